import ConcordCore
import ConcordStore
import Foundation

/// Each party's hits and their follow-up.
public struct HitService: Sendable {
    let store: any Store
    let journal: QueryJournal
    let alerts: AlertSignal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public static let pageSize = 50

    public init(store: any Store, journal: QueryJournal, alerts: AlertSignal, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.journal = journal
        self.alerts = alerts
        self.now = now
    }

    /// The caller's side's hits, newest first.
    public func list(after cursor: String?, by principal: Principal) async throws -> HitPage {
        let time = now()
        let party = try await inbox(of: principal, action: "hit.list", at: time)
        var before: Int64?
        if let cursor {
            guard let sequence = Int64(cursor), sequence > 0 else {
                throw DomainError.invalid(field: "cursor", "'\(cursor)' is not a cursor this list returned")
            }
            before = sequence
        }
        let page = try await store.hits(for: party, before: before, limit: Self.pageSize)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "hit.list", targets: page.map(\.hit.id),
                purpose: nil, outcome: "listed \(page.count)"))
        return HitPage(
            hits: page.map(\.hit), next: page.count == Self.pageSize ? page.last.map { String($0.sequence) } : nil)
    }

    public func hit(_ id: String, by principal: Principal) async throws -> Hit {
        let time = now()
        let hit = try await authorized(id, principal, .read, action: "hit.read", at: time)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "hit.read",
                targets: [id, hit.record.rawValue], purpose: nil, outcome: "disclosed"))
        return hit
    }

    /// Moves a hit along its follow-up; every party is told.
    public func move(_ id: String, _ change: HitStateChange, by principal: Principal) async throws -> Hit {
        let time = now().truncatedToMilliseconds
        let hit = try await authorized(id, principal, .update, action: "hit.follow-up", at: time)
        let moved = try Hits.move(hit, change, by: principal, now: time)
        let changes =
            [Change.putHit(moved)] + (try AlertDraft.hit(moved, event: .hitUpdated, now: time)).map(Change.insertAlert)
        do {
            try await store.apply(
                changes,
                journal: JournalDraft(
                    category: .write, time: time, principal: principal, action: "hit.follow-up",
                    targets: [id, hit.record.rawValue], purpose: nil, outcome: moved.state.rawValue))
        } catch StoreError.staleVersion {
            throw DomainError.conflict("hit \(id) changed meanwhile; read it again")
        }
        alerts.notify()
        return moved
    }

    /// The party whose inbox the principal reads, once the policy allows it.
    func inbox(of principal: Principal, action name: String, at time: Date) async throws -> Party {
        try await gate.side(of: principal, .read, Target.inbox, action: name, at: time, subject: "hits")
    }

    /// A hit the principal is a party to. A missing hit is judged like a hit with no parties, so
    /// that "no such hit" and "not yours" read the same, and other roles are refused either way.
    private func authorized(
        _ id: String, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> Hit {
        let hit = try await store.hit(id: id)
        try await gate.authorize(
            principal, action, .hit(hit?.facts ?? HitFacts(parties: [])), action: name, targets: [id], at: time,
            subject: "hit \(id)")
        guard let hit else {
            try await gate.refuse(.notFound("no hit \(id)"), principal, action: name, targets: [id], at: time)
        }
        return hit
    }
}
