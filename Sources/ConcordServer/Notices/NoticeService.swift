import ConcordCore
import ConcordStore
import Foundation

/// What an owner NCB asks of a notice, and what a reviewer decides about one.
public struct NoticeStep: Decodable, Sendable {
    public var reasons: [String]

    public init(reasons: [String]) {
        self.reasons = reasons
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reasons
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        reasons = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent([String].self, forKey: .reasons) ?? []
    }
}

public struct NoticeDecision: Decodable, Sendable {
    public enum Outcome: String, Decodable, Sendable {
        case publish, refuse, `return`

        var state: NoticeState {
            switch self {
            case .publish: .published
            case .refuse: .refused
            case .return: .returned
            }
        }
    }

    public var decision: Outcome
    public var reasons: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case decision, reasons
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        decision = try container.decode(Outcome.self, forKey: .decision)
        reasons = try container.decodeIfPresent([String].self, forKey: .reasons) ?? []
    }
}

/// The General Secretariat's justification for publishing a red notice below the penalty threshold.
public struct PenaltyExceptionRequest: Decodable, Sendable {
    public var reason: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }
}

/// The filters of `GET /v1/notices`.
public struct NoticeFilter: Sendable {
    public var type: NoticeType?
    public var state: NoticeState?
    public var owner: MemberCode?

    public init(type: NoticeType? = nil, state: NoticeState? = nil, owner: MemberCode? = nil) {
        self.type = type
        self.state = state
        self.owner = owner
    }
}

/// Notices from draft to publication and after. Every path asks the policy, journals what it
/// did, and tells the owner of each step of its notice through the alerts outbox.
public struct NoticeService: Sendable {
    let store: any Store
    let book: NoticeBook
    let journal: QueryJournal
    let alerts: AlertSignal
    let terms: ComplianceTerms
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public static let pageSize = 50
    public static let maximumImages = 10

    public init(
        store: any Store, book: NoticeBook, journal: QueryJournal, alerts: AlertSignal,
        terms: ComplianceTerms = .default, now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.book = book
        self.journal = journal
        self.alerts = alerts
        self.terms = terms
        self.now = now
    }

    /// A new draft of the caller's member. Drafts may be incomplete; the view says what is missing.
    public func create(_ request: NoticeRequest, by principal: Principal) async throws -> NoticeView {
        let time = now().truncatedToMilliseconds
        let action = "notice.draft"
        try await gate.authorize(
            principal, .create, .collection(.notice), action: action, at: time, subject: "notices")
        guard let owner = principal.member else {
            try await gate.refuse(
                .forbidden("only an NCB drafts notices"), principal, action: action, targets: [], at: time)
        }
        let facts = RecordFacts(
            kind: .notice, owner: owner, restrictions: request.restrictions ?? .none, status: .active)
        try await gate.authorize(
            principal, .create, .newRecord(facts), action: action, at: time, subject: "notices of \(owner)")
        let record = NoticeRecord(notice: Notices.draft(request, owner: owner, id: .random(), now: time))
        try await commit(record, [.insert(try record.stored())], by: principal, action: action, outcome: "drafted")
        return NoticeView(record, for: principal)
    }

    public func notice(_ id: RecordID, for principal: Principal) async throws -> NoticeView {
        let time = now()
        let record = try await visible(id, principal, .read, action: "notice.read", at: time)
        let images = try await store.attachments(of: id).map(\.id)
        let envelope = record.notice.envelope
        try await ReadJournal(store: store, journal: journal, alerts: alerts).record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "notice.read", targets: [id.rawValue],
                purpose: envelope.purpose, outcome: "disclosed"),
            of: envelope, by: principal, at: time)
        return NoticeView(record, for: principal, images: images)
    }

    /// The notices the caller may see, newest first. Hidden notices are left out before
    /// counting, so `total` never reveals them.
    public func list(
        _ filter: NoticeFilter, after cursor: String?, by principal: Principal
    ) async throws -> ListPage<NoticeView> {
        let time = now()
        try await gate.authorize(
            principal, .read, .collection(.notice), action: "notice.list", at: time, subject: "notices")
        try await book.catchUp()
        let matching = await book.allNotices.filter { record in
            let notice = record.notice
            return Notices.isVisible(notice, to: principal, at: time)
                && filter.type.map { $0 == notice.type } != false && filter.state.map { $0 == notice.state } != false
                && filter.owner.map { $0 == notice.owner } != false
        }
        let page = try CreationCursor.page(matching, after: cursor, limit: Self.pageSize) {
            ($0.notice.envelope.createdAt, $0.notice.id)
        }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "notice.list",
                targets: page.items.map(\.notice.id.rawValue), purpose: nil,
                outcome: "listed \(page.items.count) of \(matching.count)"))
        return ListPage(
            items: page.items.map { NoticeView($0, for: principal) }, total: matching.count, next: page.next)
    }

    /// The owner's new version of a draft or of a returned request.
    public func edit(_ id: RecordID, to request: NoticeRequest, by principal: Principal) async throws -> NoticeView {
        let time = now().truncatedToMilliseconds
        var record = try await visible(id, principal, .update, action: "notice.edit", at: time)
        record.notice = try Notices.edit(record.notice, to: request, by: principal, at: time)
        try await commit(
            record, [.update(try record.stored())], by: principal, action: "notice.edit", outcome: "edited")
        return NoticeView(record, for: principal)
    }

    /// Sends the request to the General Secretariat with the findings of the automated checks.
    public func submit(_ id: RecordID, by principal: Principal) async throws -> NoticeView {
        try await ownerStep(id, to: .submitted, reasons: [], by: principal)
    }

    public func cancel(_ id: RecordID, _ step: NoticeStep, by principal: Principal) async throws -> NoticeView {
        try await ownerStep(id, to: .cancelled, reasons: step.reasons, by: principal)
    }

    private func ownerStep(
        _ id: RecordID, to state: NoticeState, reasons: [String], by principal: Principal
    ) async throws -> NoticeView {
        let time = now().truncatedToMilliseconds
        let action = "notice.\(state.rawValue)"
        let record = try await visible(id, principal, .update, action: action, at: time)
        return try await move(record, to: state, reasons: reasons, by: principal, action: action, at: time)
    }

    /// The General Secretariat publishes, refuses or returns a submitted request.
    public func decide(_ id: RecordID, _ decision: NoticeDecision, by principal: Principal) async throws -> NoticeView {
        let state = decision.decision.state
        return try await secretariatStep(id, to: state, .update, reasons: decision.reasons, by: principal)
    }

    /// The General Secretariat records a justified exception to the red notice penalty
    /// threshold while the request is under review; its findings are weighed again.
    public func recordPenaltyException(
        _ id: RecordID, _ request: PenaltyExceptionRequest, by principal: Principal
    ) async throws -> NoticeView {
        let time = now().truncatedToMilliseconds
        let action = "notice.penalty-exception"
        try await gate.authorize(
            principal, .update, .complianceReview(.notice), action: action, targets: [id.rawValue], at: time,
            subject: "the review of notices")
        var record = try await visible(id, principal, .read, action: action, at: time)
        record.notice = try Notices.recordPenaltyException(
            record.notice, reason: request.reason, by: principal, at: time)
        let others = await book.allNotices.map(\.notice)
        record.findings = Compliance.review(record.notice, existing: others, terms: terms)
        try await commit(
            record, [.update(try record.stored())], by: principal, action: action,
            outcome: "exception: \(request.reason)")
        return NoticeView(record, for: principal)
    }

    /// The General Secretariat, or the CCF by its decision, withdraws a published notice.
    public func withdraw(_ id: RecordID, _ step: NoticeStep, by principal: Principal) async throws -> NoticeView {
        try await secretariatStep(id, to: .withdrawn, .withdraw, reasons: step.reasons, by: principal)
    }

    private func secretariatStep(
        _ id: RecordID, to state: NoticeState, _ policyAction: Action, reasons: [String], by principal: Principal
    ) async throws -> NoticeView {
        let time = now().truncatedToMilliseconds
        let action = "notice.\(state.rawValue)"
        try await gate.authorize(
            principal, policyAction, .complianceReview(.notice), action: action, targets: [id.rawValue], at: time,
            subject: "the review of notices")
        let record = try await visible(id, principal, .read, action: action, at: time)
        return try await move(record, to: state, reasons: reasons, by: principal, action: action, at: time)
    }

    /// The platform ends the published notices whose review date has passed, telling each
    /// owner. Another node may get there first; such a notice is left to it.
    @discardableResult
    public func expireDue() async throws -> Int {
        let time = now().truncatedToMilliseconds
        try await book.catchUp()
        let due = await book.allNotices.filter {
            $0.notice.state == .published && $0.notice.envelope.reviewDate <= time
        }
        var expired = 0
        for record in due {
            do {
                _ = try await move(
                    record, to: .expired, reasons: [], by: .localOperator, action: "notice.expired", at: time)
                expired += 1
            } catch DomainError.conflict {
                continue
            }
        }
        return expired
    }

    /// Takes a lifecycle step, journals it with the write and tells the owner through the outbox.
    /// Publishing takes the year's next reference in the same transaction; should another
    /// publication take it first, the step is tried again with the one after.
    private func move(
        _ record: NoticeRecord, to state: NoticeState, reasons: [String], by principal: Principal, action: String,
        at time: Date
    ) async throws -> NoticeView {
        for _ in 0..<8 {
            var changes: [Change] = []
            var reference: NoticeReference?
            if state == .published {
                let year = Calendar.utc.component(.year, from: time)
                let counter = NoticeReference.counter(year: year)
                let next = try await store.counter(counter) + 1
                guard let allocated = NoticeReference(year: year, sequence: Int(next)) else {
                    throw DomainError.unavailable("no notice reference is left for \(year)")
                }
                reference = allocated
                changes.append(.advanceCounter(name: counter, to: next))
            }
            var moved = record
            let (notice, transition) = try Notices.transition(
                record.notice, to: state, by: principal, reasons: reasons, reference: reference, at: time)
            moved.notice = notice
            if state == .submitted {
                let others = await book.allNotices.map(\.notice)
                moved.findings = Compliance.review(notice, existing: others, terms: terms)
            }
            let update = NoticeUpdate(transition: transition, type: notice.type, reference: notice.reference)
            // The counter goes first: a publication that lost the race for the number is then
            // refused by the counter, and tried again, before its reference clashes with the winner's.
            changes.append(.update(try moved.stored()))
            changes.append(
                .insertAlert(
                    AlertDraft(
                        recipient: .member(notice.owner), event: .noticeUpdated, createdAt: time,
                        payload: try ConcordJSON.encoder().encode(update))))
            do {
                let outcome = ([state.rawValue] + transition.reasons).joined(separator: ": ")
                try await commit(moved, changes, by: principal, action: action, outcome: outcome)
            } catch StoreError.counterMoved {
                continue
            }
            alerts.notify()
            return NoticeView(moved, for: principal)
        }
        throw DomainError.unavailable("notice references are in demand; try again")
    }

    /// Attaches a photo of the subject; only the owner may, while the notice is not final.
    public func attachImage(_ id: RecordID, _ bytes: Data, by principal: Principal) async throws -> NoticeView {
        let time = now().truncatedToMilliseconds
        let action = "notice.image"
        let record = try await visible(id, principal, .update, action: action, at: time)
        guard record.notice.state.isFinal == false else {
            throw DomainError.conflict("a \(record.notice.state.rawValue) notice takes no more images")
        }
        let existing = try await store.attachments(of: id)
        guard existing.count < Self.maximumImages else {
            throw DomainError.conflict("a notice has at most \(Self.maximumImages) images")
        }
        guard let format = ImageFormat(signatureOf: bytes) else {
            throw Problem.unsupportedImage("not a JPEG or PNG image")
        }
        guard format.isComplete(bytes) else {
            throw Problem.invalidImage("the \(format.rawValue) image is truncated or damaged")
        }
        let attachment = RecordAttachment(
            id: UUID().uuidString.lowercased(), record: id, mediaType: format.mediaType, bytes: bytes, createdAt: time)
        try await store.apply(
            [.insertAttachment(attachment)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: action,
                targets: [id.rawValue, attachment.id], purpose: record.notice.envelope.purpose,
                outcome: "attached \(format.rawValue), \(bytes.count) bytes"))
        return NoticeView(record, for: principal, images: existing.map(\.id) + [attachment.id])
    }

    /// Submitted requests and diffusions awaiting review, riskiest and longest waiting first.
    public func reviewQueue(by principal: Principal) async throws -> [ReviewQueueEntry] {
        let time = now()
        try await gate.authorize(
            principal, .read, .complianceReview(.notice), action: "review.queue", at: time,
            subject: "the review queue")
        try await book.catchUp()
        var entries: [String: (ReviewQueueEntry.Kind, String, MemberCode)] = [:]
        var items: [ReviewQueueItem] = []
        for record in await book.allNotices where record.notice.state == .submitted {
            let notice = record.notice
            entries[notice.id.rawValue] = (.notice, notice.type.rawValue, notice.owner)
            items.append(
                ReviewQueueItem(
                    notice: notice.id, submittedAt: notice.submittedAt ?? notice.envelope.updatedAt,
                    findings: record.findings))
        }
        for diffusion in await book.allDiffusions where diffusion.state == .circulated {
            entries[diffusion.id.rawValue] = (.diffusion, diffusion.content.kind.rawValue, diffusion.owner)
            items.append(ReviewQueueItem(notice: diffusion.id, submittedAt: diffusion.envelope.createdAt, findings: []))
        }
        let ordered = ReviewQueue.ordered(items, at: time)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "review.queue",
                targets: ordered.map(\.notice.rawValue), purpose: nil, outcome: "listed \(ordered.count)"))
        return ordered.compactMap { item in
            guard let (kind, type, owner) = entries[item.notice.rawValue] else { return nil }
            return ReviewQueueEntry(
                kind: kind, id: item.notice.rawValue, type: type, owner: owner, waitingSince: item.submittedAt,
                riskScore: item.riskScore, priority: item.priority(at: time), findings: item.findings)
        }
    }

    /// A notice the caller may see, once the policy let its role do `action` to notices at all.
    /// A missing notice and a hidden one are refused alike. Owners' writes also need the policy's
    /// leave on the notice itself, so another member is told only that the notice is not its own.
    func visible(
        _ id: RecordID, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> NoticeRecord {
        let subject = "notice \(id)"
        if action != .read {
            try await gate.authorize(
                principal, action, .collection(.notice), action: name, targets: [id.rawValue], at: time,
                subject: subject)
        }
        try await gate.authorize(
            principal, .read, .collection(.notice), action: name, targets: [id.rawValue], at: time, subject: subject)
        try await book.catchUp()
        guard let record = await book.notice(id), Notices.isVisible(record.notice, to: principal, at: time) else {
            try await gate.refuse(.notFound("no \(subject)"), principal, action: name, targets: [id.rawValue], at: time)
        }
        if action != .read {
            try await gate.authorize(
                principal, action, .record(record.notice.envelope.facts(at: time)), action: name,
                targets: [id.rawValue], at: time, subject: subject)
        }
        return record
    }

    private func commit(
        _ record: NoticeRecord, _ changes: [Change], by principal: Principal, action: String, outcome: String
    ) async throws {
        let notice = record.notice
        let draft = JournalDraft(
            category: .write, time: notice.envelope.updatedAt, principal: principal, action: action,
            targets: [notice.id.rawValue], purpose: notice.envelope.purpose, outcome: outcome)
        do {
            try await store.apply(changes, journal: draft)
        } catch StoreError.staleVersion {
            throw DomainError.conflict("notice \(notice.id) changed meanwhile; read it again")
        }
        try await book.catchUp()
    }
}

/// What the owner is told of each step of its notice, on every alert channel.
struct NoticeUpdate: Encodable {
    var transition: NoticeTransition
    var type: NoticeType
    var reference: NoticeReference?

    func encode(to encoder: any Encoder) throws {
        try transition.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(reference, forKey: .reference)
    }

    enum CodingKeys: String, CodingKey {
        case type, reference
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
