import Foundation

public enum DiffusionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case wanted
    case missing
    case information
    case alert

    public var purpose: Purpose {
        switch self {
        case .wanted: .wantedPerson
        case .missing: .missingPerson
        case .information: .investigation
        case .alert: .alert
        }
    }
}

/// Who a diffusion goes to: every member, or those the owner lists.
public enum DiffusionRecipients: Sendable, Hashable {
    case allMembers
    case listed(Set<MemberCode>)

    public func includes(_ member: MemberCode) -> Bool {
        switch self {
        case .allMembers: true
        case .listed(let members): members.contains(member)
        }
    }
}

extension DiffusionRecipients: Codable {
    /// `"all"`, or the list of members' codes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self) {
            guard word == "all" else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "recipients are \"all\" or a list of member codes")
            }
            self = .allMembers
        } else {
            self = .listed(Set(try container.decode([MemberCode].self)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .allMembers: try container.encode("all")
        case .listed(let members): try container.encode(members.sorted())
        }
    }
}

/// `circulated` on sending: recipients see it at once. The General Secretariat's review follows
/// and finds it `compliant` or `nonCompliant`; the owner may cancel it until it is found non-compliant.
public enum DiffusionState: String, Sendable, Hashable, Codable, CaseIterable {
    case circulated
    case compliant
    case nonCompliant = "non-compliant"
    case cancelled

    /// Recipients see the diffusion and checks match it.
    public var isServed: Bool { self == .circulated || self == .compliant }
}

/// What an owner NCB sends.
public struct DiffusionRequest: Sendable, Hashable, Codable {
    public var kind: DiffusionKind
    public var recipients: DiffusionRecipients
    public var subjects: [NoticeSubject]
    /// What is asked of the recipients, and why.
    public var summary: MultilingualText

    public init(
        kind: DiffusionKind, recipients: DiffusionRecipients, subjects: [NoticeSubject], summary: MultilingualText
    ) {
        self.kind = kind
        self.recipients = recipients
        self.subjects = subjects
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, recipients, subjects, summary
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(DiffusionKind.self, forKey: .kind)
        recipients = try container.decode(DiffusionRecipients.self, forKey: .recipients)
        subjects = try container.list(NoticeSubject.self, forKey: .subjects)
        summary = try container.decode(MultilingualText.self, forKey: .summary)
    }
}

public struct DiffusionTransition: Sendable, Hashable, Codable {
    public var diffusion: RecordID
    public var owner: MemberCode
    public var from: DiffusionState
    public var to: DiffusionState
    public var authority: NoticeAuthority
    public var actor: String
    public var reasons: [String]
    public var at: Date

    /// The journal's action name: `diffusion.compliant`, `diffusion.non-compliant`, ...
    public var action: String { "diffusion.\(to.rawValue)" }
}

/// A diffusion as kept. Its envelope's restrictions mirror the recipients, so that every read
/// path that asks the policy already hides it from members it was not sent to.
public struct Diffusion: Sendable, Hashable, Codable {
    public var envelope: Envelope
    public var content: DiffusionRequest
    public var state: DiffusionState
    public var history: [DiffusionTransition]
    public var version: Int

    public var id: RecordID { envelope.id }
    public var owner: MemberCode { envelope.owner }
}

/// Told to a recipient once a diffusion it received may no longer be relied on.
public struct RecordsUpdateRequest: Sendable, Hashable, Codable {
    public var recipient: MemberCode
    public var diffusion: RecordID
    public var owner: MemberCode
    public var message: String
    public var reasons: [String]
}

public enum Diffusions {
    /// Checks and circulates a diffusion. Listed recipients must be other members.
    public static func circulate(
        _ request: DiffusionRequest, owner: MemberCode, id: RecordID, now: Date
    ) throws(ValidationFailure) -> Diffusion {
        var issues: [FieldIssue] = []
        if case .listed(let members) = request.recipients {
            if members.isEmpty { issues.append(FieldIssue("recipients", "at least one member, or \"all\"")) }
            if members.contains(owner) { issues.append(FieldIssue("recipients", "the owner does not send to itself")) }
        }
        if request.subjects.isEmpty && (request.kind == .wanted || request.kind == .missing) {
            issues.append(FieldIssue("subjects", "required: the person the diffusion is about"))
        }
        for (index, subject) in request.subjects.enumerated() where subject.familyName == nil {
            issues.append(FieldIssue("subjects[\(index)].familyName", "required"))
        }
        if request.summary.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            issues.append(FieldIssue("summary.text", "must not be blank"))
        } else if request.summary.text.count > Notices.maximumTextLength {
            issues.append(FieldIssue("summary.text", "at most \(Notices.maximumTextLength) characters"))
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
        let visibility: Restrictions.Visibility =
            switch request.recipients {
            case .allMembers: .allMembers
            case .listed(let members): .onlyListed(members)
            }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let envelope = Envelope(
            id: id, kind: .diffusion, owner: owner, purpose: request.kind.purpose,
            restrictions: Restrictions(visibility: visibility), confidentiality: .restricted, createdAt: now,
            updatedAt: now, reviewDate: calendar.date(byAdding: .year, value: Notices.retentionYears, to: now) ?? now,
            status: .active)
        return Diffusion(envelope: envelope, content: request, state: .circulated, history: [], version: 1)
    }

    /// The members a diffusion reaches: those listed, or every member but the owner.
    public static func recipients(of diffusion: Diffusion) -> [MemberCode] {
        switch diffusion.content.recipients {
        case .allMembers: Members.all.map(\.code).filter { $0 != diffusion.owner }
        case .listed(let members): members.sorted()
        }
    }

    /// The owner, the General Secretariat and the CCF always see a diffusion; recipients' NCBs
    /// while it is served. Nobody else, whatever their role.
    public static func isVisible(_ diffusion: Diffusion, to principal: Principal) -> Bool {
        switch principal.role {
        case .secretariatReviewer, .secretariatAdmin, .ccf:
            return true
        case .ncbOfficer, .ncbAdmin:
            guard let member = principal.member else { return false }
            if member == diffusion.owner { return true }
            return diffusion.state.isServed && diffusion.content.recipients.includes(member)
        default:
            return false
        }
    }

    /// The General Secretariat's review. A non-compliant diffusion stops being served and every
    /// recipient is asked to update its national records; reasons are then required.
    public static func review(
        _ diffusion: Diffusion, compliant: Bool, by principal: Principal, reasons: [String] = [], at now: Date
    ) throws(DomainError) -> (Diffusion, DiffusionTransition, [RecordsUpdateRequest]) {
        guard principal.role == .secretariatReviewer, principal.member != diffusion.owner else {
            throw DomainError.forbidden("only the General Secretariat reviews diffusions")
        }
        guard diffusion.state == .circulated else {
            throw DomainError.conflict("a \(diffusion.state.rawValue) diffusion is not awaiting review")
        }
        let reasons = try Notices.reasonText(reasons)
        if !compliant && reasons.isEmpty {
            throw DomainError.invalid(field: "reasons", "give the reasons a diffusion is non-compliant")
        }
        let (moved, transition) = move(
            diffusion, to: compliant ? .compliant : .nonCompliant, authority: .secretariat, by: principal,
            reasons: reasons, at: now)
        guard !compliant else { return (moved, transition, []) }
        let message =
            "The General Secretariat found diffusion \(diffusion.id) from \(diffusion.owner) non-compliant with "
            + "INTERPOL's rules. It is no longer served: update your national records and stop relying on it."
        return (moved, transition, updateRequests(for: diffusion, message: message, reasons: reasons))
    }

    /// The owner withdraws its diffusion; recipients are told so they update their records too.
    public static func cancel(
        _ diffusion: Diffusion, by principal: Principal, reasons: [String] = [], at now: Date
    ) throws(DomainError) -> (Diffusion, DiffusionTransition, [RecordsUpdateRequest]) {
        guard principal.role?.isNCB == true, principal.member == diffusion.owner else {
            throw DomainError.forbidden("only the owner may cancel a diffusion")
        }
        guard diffusion.state.isServed else {
            throw DomainError.conflict("a \(diffusion.state.rawValue) diffusion cannot be cancelled")
        }
        let reasons = try Notices.reasonText(reasons)
        let (moved, transition) = move(
            diffusion, to: .cancelled, authority: .owner, by: principal, reasons: reasons, at: now)
        let message =
            "\(diffusion.owner) cancelled diffusion \(diffusion.id). It is no longer served: update your national records."
        return (moved, transition, updateRequests(for: diffusion, message: message, reasons: reasons))
    }

    private static func move(
        _ diffusion: Diffusion, to state: DiffusionState, authority: NoticeAuthority, by principal: Principal,
        reasons: [String], at now: Date
    ) -> (Diffusion, DiffusionTransition) {
        let transition = DiffusionTransition(
            diffusion: diffusion.id, owner: diffusion.owner, from: diffusion.state, to: state, authority: authority,
            actor: principal.actor, reasons: reasons, at: now)
        var moved = diffusion
        moved.state = state
        if !state.isServed { moved.envelope.status = .withdrawn }
        moved.envelope.updatedAt = now
        moved.history.append(transition)
        moved.version += 1
        return (moved, transition)
    }

    private static func updateRequests(
        for diffusion: Diffusion, message: String, reasons: [String]
    ) -> [RecordsUpdateRequest] {
        recipients(of: diffusion).map {
            RecordsUpdateRequest(
                recipient: $0, diffusion: diffusion.id, owner: diffusion.owner, message: message, reasons: reasons)
        }
    }
}
