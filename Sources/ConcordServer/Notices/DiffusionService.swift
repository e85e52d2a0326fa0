import ConcordCore
import ConcordStore
import Foundation

public struct DiffusionReview: Decodable, Sendable {
    public var compliant: Bool
    public var reasons: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case compliant, reasons
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        compliant = try container.decode(Bool.self, forKey: .compliant)
        reasons = try container.decodeIfPresent([String].self, forKey: .reasons) ?? []
    }
}

/// Diffusions: an NCB sends straight to the members it chooses, who see it at once; the
/// General Secretariat reviews it afterwards. Every recipient hears of it through the outbox,
/// and is told to update its national records once it may no longer be relied on.
public struct DiffusionService: Sendable {
    let store: any Store
    let book: NoticeBook
    let journal: QueryJournal
    let alerts: AlertSignal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public init(
        store: any Store, book: NoticeBook, journal: QueryJournal, alerts: AlertSignal,
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.book = book
        self.journal = journal
        self.alerts = alerts
        self.now = now
    }

    public func circulate(_ request: DiffusionRequest, by principal: Principal) async throws -> DiffusionView {
        let time = now().truncatedToMilliseconds
        let action = "diffusion.circulated"
        try await gate.authorize(
            principal, .create, .collection(.diffusion), action: action, at: time, subject: "diffusions")
        guard let owner = principal.member else {
            try await gate.refuse(
                .forbidden("only an NCB sends diffusions"), principal, action: action, targets: [], at: time)
        }
        let diffusion = try Diffusions.circulate(request, owner: owner, id: .random(), now: time)
        try await gate.authorize(
            principal, .create, .newRecord(diffusion.envelope.facts(at: time)), action: action, at: time,
            subject: "diffusions of \(owner)")
        // Recipients are told what any recipient may see of it: an outsider's view, without history.
        let received = try Diffusions.recipients(of: diffusion).map { member in
            Change.insertAlert(
                AlertDraft(
                    recipient: .member(member), event: .diffusionUpdated, createdAt: time,
                    payload: try ConcordJSON.encoder().encode(DiffusionView(diffusion, for: .anonymous))))
        }
        try await commit(diffusion, [.insert(try diffusion.stored())] + received, by: principal, action: action)
        return DiffusionView(diffusion, for: principal)
    }

    public func diffusion(_ id: RecordID, for principal: Principal) async throws -> DiffusionView {
        let time = now()
        let diffusion = try await visible(id, principal, .read, action: "diffusion.read", at: time)
        try await ReadJournal(store: store, journal: journal, alerts: alerts).record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "diffusion.read",
                targets: [id.rawValue], purpose: diffusion.envelope.purpose, outcome: "disclosed"),
            of: diffusion.envelope, by: principal, at: time)
        return DiffusionView(diffusion, for: principal)
    }

    /// The diffusions the caller sent or received while they are served, newest first; the
    /// General Secretariat and the CCF see all.
    public func list(after cursor: String?, by principal: Principal) async throws -> ListPage<DiffusionView> {
        let time = now()
        try await gate.authorize(
            principal, .read, .collection(.diffusion), action: "diffusion.list", at: time, subject: "diffusions")
        try await book.catchUp()
        let matching = await book.allDiffusions.filter { isVisible($0, to: principal, at: time) }
        let page = try CreationCursor.page(matching, after: cursor, limit: NoticeService.pageSize) {
            ($0.envelope.createdAt, $0.id)
        }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "diffusion.list",
                targets: page.items.map(\.id.rawValue), purpose: nil,
                outcome: "listed \(page.items.count) of \(matching.count)"))
        return ListPage(
            items: page.items.map { DiffusionView($0, for: principal) }, total: matching.count, next: page.next)
    }

    /// The General Secretariat's finding. A non-compliant diffusion stops being served, and
    /// every recipient is told to update its national records.
    public func review(
        _ id: RecordID, _ review: DiffusionReview, by principal: Principal
    ) async throws
        -> DiffusionView
    {
        let time = now().truncatedToMilliseconds
        let action = review.compliant ? "diffusion.compliant" : "diffusion.non-compliant"
        try await gate.authorize(
            principal, .update, .complianceReview(.diffusion), action: action, targets: [id.rawValue], at: time,
            subject: "the review of diffusions")
        let diffusion = try await visible(id, principal, .read, action: action, at: time)
        let (moved, transition, requests) = try Diffusions.review(
            diffusion, compliant: review.compliant, by: principal, reasons: review.reasons, at: time)
        return try await settle(moved, transition, requests, by: principal, action: action)
    }

    /// The owner withdraws its diffusion; recipients are told to update their records.
    public func cancel(_ id: RecordID, _ step: NoticeStep, by principal: Principal) async throws -> DiffusionView {
        let time = now().truncatedToMilliseconds
        let action = "diffusion.cancelled"
        let diffusion = try await visible(id, principal, .update, action: action, at: time)
        let (moved, transition, requests) = try Diffusions.cancel(
            diffusion, by: principal, reasons: step.reasons, at: time)
        return try await settle(moved, transition, requests, by: principal, action: action)
    }

    /// Stores a reviewed or cancelled diffusion with the alerts: the owner hears of the step,
    /// each recipient of the request to update its records.
    private func settle(
        _ diffusion: Diffusion, _ transition: DiffusionTransition, _ requests: [RecordsUpdateRequest],
        by principal: Principal, action: String
    ) async throws -> DiffusionView {
        let time = transition.at
        let encoder = ConcordJSON.encoder()
        var changes: [Change] = [
            .update(try diffusion.stored()),
            .insertAlert(
                AlertDraft(
                    recipient: .member(diffusion.owner), event: .diffusionUpdated, createdAt: time,
                    payload: try encoder.encode(transition))),
        ]
        for request in requests {
            changes.append(
                .insertAlert(
                    AlertDraft(
                        recipient: .member(request.recipient), event: .recordsUpdateRequested, createdAt: time,
                        payload: try encoder.encode(request))))
        }
        try await commit(diffusion, changes, by: principal, action: action)
        return DiffusionView(diffusion, for: principal)
    }

    private func isVisible(_ diffusion: Diffusion, to principal: Principal, at time: Date) -> Bool {
        Policy.decide(principal, .read, .record(diffusion.envelope.facts(at: time))).isAllowed
            && Diffusions.isVisible(diffusion, to: principal)
    }

    /// A diffusion the caller may see; missing and hidden ones are refused alike.
    private func visible(
        _ id: RecordID, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> Diffusion {
        let subject = "diffusion \(id)"
        try await gate.authorize(
            principal, action, .collection(.diffusion), action: name, targets: [id.rawValue], at: time,
            subject: subject)
        try await book.catchUp()
        guard let diffusion = await book.diffusion(id), isVisible(diffusion, to: principal, at: time) else {
            try await gate.refuse(.notFound("no \(subject)"), principal, action: name, targets: [id.rawValue], at: time)
        }
        if action != .read {
            try await gate.authorize(
                principal, action, .record(diffusion.envelope.facts(at: time)), action: name,
                targets: [id.rawValue], at: time, subject: subject)
        }
        return diffusion
    }

    private func commit(
        _ diffusion: Diffusion, _ changes: [Change], by principal: Principal, action: String
    ) async throws {
        let draft = JournalDraft(
            category: .write, time: diffusion.envelope.updatedAt, principal: principal, action: action,
            targets: [diffusion.id.rawValue], purpose: diffusion.envelope.purpose, outcome: diffusion.state.rawValue)
        do {
            try await store.apply(changes, journal: draft)
        } catch StoreError.staleVersion {
            throw DomainError.conflict("diffusion \(diffusion.id) changed meanwhile; read it again")
        }
        try await book.catchUp()
        alerts.notify()
    }
}
