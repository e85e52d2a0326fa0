import Foundation

/// The domain rules of notices: drafting, the lifecycle, and who may see them.
///
/// ```
/// draft ──> submitted ──> published ──> cancelled | expired | withdrawn
///   ^           │──> refused
///   └ returned <┘
/// ```
///
/// - The owner NCB submits (from draft or returned) and edits (in draft or returned). It may
///   cancel its notice at any point before a final state, published included.
/// - Only a `secretariat.reviewer` publishes, refuses or returns a submitted request; refusing
///   and returning need reasons. A reviewer acting for a member can never decide on that
///   member's own request, so no NCB can publish what it asked for.
/// - A published notice expires once its review date has passed; the platform or the General
///   Secretariat records it.
/// - The General Secretariat, or the CCF by its decision, withdraws a published notice, with reasons.
public enum Notices {
    /// Notices are nominal data: five years before the owner must review them.
    public static let retentionYears = 5
    public static let maximumReasonLength = 2000

    /// A new draft. Drafts may be incomplete: completeness is checked on submission.
    public static func draft(_ request: NoticeRequest, owner: MemberCode, id: RecordID, now: Date) -> Notice {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let reviewDate = calendar.date(byAdding: .year, value: retentionYears, to: now) ?? now
        let envelope = Envelope(
            id: id, kind: .notice, owner: owner, purpose: request.type.purpose,
            restrictions: request.restrictions ?? .none, confidentiality: .officialUse, createdAt: now,
            updatedAt: now, reviewDate: reviewDate, status: .active)
        return Notice(envelope: envelope, content: request, state: .draft)
    }

    /// The owner's new version of a draft or of a request returned for information.
    public static func edit(
        _ notice: Notice, to request: NoticeRequest, by principal: Principal, at now: Date
    ) throws(DomainError) -> Notice {
        guard isOwnerNCB(principal, of: notice) else {
            throw DomainError.forbidden("only the owner of a notice may edit it")
        }
        guard notice.state == .draft || notice.state == .returned else {
            throw DomainError.conflict("a \(notice.state.rawValue) notice cannot be edited")
        }
        guard request.type == notice.type else {
            throw DomainError.invalid(field: "type", "a notice keeps its type; draft a new one instead")
        }
        var edited = notice
        edited.content = request
        edited.envelope.restrictions = request.restrictions ?? .none
        edited.envelope.updatedAt = now
        edited.version += 1
        return edited
    }

    /// Records the General Secretariat's justified exception to the red notice penalty threshold.
    public static func recordPenaltyException(
        _ notice: Notice, reason: String, by principal: Principal, at now: Date
    ) throws(DomainError) -> Notice {
        guard principal.role == .secretariatReviewer, principal.member != notice.owner else {
            throw DomainError.forbidden("only the General Secretariat may waive the penalty threshold")
        }
        guard notice.type == .red else {
            throw DomainError.invalid(field: "type", "only red notices have a penalty threshold")
        }
        guard notice.state == .submitted else {
            throw DomainError.conflict("an exception is recorded while the request is under review")
        }
        guard let reason = try reasonText([reason]).first else {
            throw DomainError.invalid(field: "reason", "justify the exception")
        }
        var changed = notice
        changed.penaltyException = PenaltyException(reason: reason, actor: principal.actor, at: now)
        changed.envelope.updatedAt = now
        changed.version += 1
        return changed
    }

    /// Moves a notice to `state` on behalf of `principal`. Submitting checks the request is
    /// complete, and publishing also checks the penalty threshold; both throw `ValidationFailure`
    /// listing every issue. Other refusals are `DomainError`s. Publishing needs the `reference` the General Secretariat gives the notice.
    public static func transition(
        _ notice: Notice, to state: NoticeState, by principal: Principal, reasons: [String] = [],
        reference: NoticeReference? = nil, at now: Date
    ) throws -> (Notice, NoticeTransition) {
        let authority = try authority(for: notice, to: state, by: principal, at: now)
        let reasons = try reasonText(reasons)
        if reasonsRequired(to: state) && reasons.isEmpty {
            throw DomainError.invalid(field: "reasons", "give the reasons for a \(state.rawValue) notice")
        }
        var moved = notice
        switch state {
        case .submitted:
            // The penalty threshold waits for the review: only the General Secretariat may waive it.
            let issues = completenessIssues(in: notice.content)
            if !issues.isEmpty { throw ValidationFailure(issues) }
            moved.submittedAt = now
        case .published:
            try validate(notice.content, penaltyException: notice.penaltyException)
            guard let reference else {
                throw DomainError.invalid(field: "reference", "a published notice needs its reference")
            }
            moved.reference = reference
            moved.publishedAt = now
        default:
            break
        }
        let transition = NoticeTransition(
            notice: notice.id, owner: notice.owner, from: notice.state, to: state, authority: authority,
            actor: principal.actor, reasons: reasons, at: now)
        moved.state = state
        // Final notices are kept for the journal's sake but served to nobody.
        if state.isFinal { moved.envelope.status = .withdrawn }
        moved.envelope.updatedAt = now
        moved.history.append(transition)
        moved.version += 1
        return (moved, transition)
    }

    /// Who may take a notice from its current state to `state`; throws for anyone else.
    static func authority(
        for notice: Notice, to state: NoticeState, by principal: Principal, at now: Date
    ) throws(DomainError) -> NoticeAuthority {
        let from = notice.state
        let owner = isOwnerNCB(principal, of: notice)
        // Not the owner's side: a reviewer who acts for the owner member decides nothing on its notices.
        let reviewer = principal.role == .secretariatReviewer && principal.member != notice.owner
        func require(_ allowed: Bool, _ who: String) throws(DomainError) {
            if !allowed { throw DomainError.forbidden("only \(who) may make a notice \(state.rawValue)") }
        }
        switch (from, state) {
        case (.draft, .submitted), (.returned, .submitted):
            try require(owner, "the owner")
            return .owner
        case (.submitted, .published), (.submitted, .refused), (.submitted, .returned):
            try require(reviewer, "the General Secretariat, never the requesting member,")
            return .secretariat
        case (.draft, .cancelled), (.submitted, .cancelled), (.returned, .cancelled), (.published, .cancelled):
            try require(owner, "the owner")
            return .owner
        case (.published, .expired):
            let system = principal.kind == .localOperator && principal.member == nil
            try require(system || reviewer, "the platform or the General Secretariat")
            guard notice.envelope.reviewDate <= now else {
                throw DomainError.conflict("the notice's review date has not passed")
            }
            return system ? .system : .secretariat
        case (.published, .withdrawn):
            try require(reviewer || principal.role == .ccf, "the General Secretariat or the CCF")
            return principal.role == .ccf ? .ccf : .secretariat
        default:
            throw DomainError.conflict("a \(from.rawValue) notice cannot become \(state.rawValue)")
        }
    }

    static func reasonsRequired(to state: NoticeState) -> Bool {
        state == .refused || state == .returned || state == .withdrawn
    }

    static func isOwnerNCB(_ principal: Principal, of notice: Notice) -> Bool {
        principal.role?.isNCB == true && principal.member == notice.owner
    }

    /// Trimmed, non-blank reasons; each at most `maximumReasonLength` characters.
    static func reasonText(_ reasons: [String]) throws(DomainError) -> [String] {
        var kept: [String] = []
        for reason in reasons {
            let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            if text.count > maximumReasonLength {
                throw DomainError.invalid(field: "reasons", "each reason at most \(maximumReasonLength) characters")
            }
            kept.append(text)
        }
        return kept
    }

    /// Whether `principal` may see the notice at all. The owner, the General Secretariat and the
    /// CCF see every state; other members see published notices only, and only as the owner's
    /// restrictions and the policy allow. Searches, lists and counts must filter by this, so a
    /// notice hidden from someone is never even counted for them.
    public static func isVisible(_ notice: Notice, to principal: Principal, at now: Date) -> Bool {
        guard Policy.decide(principal, .read, .record(notice.envelope.facts(at: now))).isAllowed else { return false }
        if principal.member == notice.owner || principal.role == .secretariatReviewer || principal.role == .ccf {
            return true
        }
        return notice.state == .published
    }
}
