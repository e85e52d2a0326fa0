import ConcordCore
import ConcordStore
import ConcordTestSupport
import Foundation
import Testing

@testable import ConcordServer

/// A real store whose first query commit is held at a gate, so a test can line up other
/// queries behind it without relying on timing.
final class GatedStore: Store {
    let inner: any Store
    let gateOpen = Locked(false)
    let failFirst: Bool
    let batchSizes = Locked<[Int]>([])

    init(_ inner: any Store, failFirst: Bool = false) {
        self.inner = inner
        self.failFirst = failFirst
    }

    func appendQueries(_ drafts: [JournalDraft]) async throws {
        let first = batchSizes.withLock { sizes in
            sizes.append(drafts.count)
            return sizes.count == 1
        }
        if first {
            while !gateOpen.value { try await Task.sleep(for: .milliseconds(1)) }
            if failFirst { throw StoreError.corrupt("the disk is full") }
        }
        try await inner.appendQueries(drafts)
    }

    func apply(_ changes: [Change], journal: JournalDraft) async throws -> JournalEntry {
        try await inner.apply(changes, journal: journal)
    }
    func insert(
        batches next: @escaping @Sendable () throws -> InsertBatch?, atomically: Bool,
        inserted: @escaping @Sendable (InsertedBatch) throws -> Void
    ) async throws {
        try await inner.insert(batches: next, atomically: atomically, inserted: inserted)
    }
    func record(_ id: RecordID) async throws -> StoredRecord? { try await inner.record(id) }
    func records(ids: [RecordID]) async throws -> [StoredRecord] { try await inner.records(ids: ids) }
    func records(kind: RecordKind, after cursor: Int64, limit: Int) async throws -> RecordPage {
        try await inner.records(kind: kind, after: cursor, limit: limit)
    }
    func documentIndexRows(after cursor: Int64, through last: Int64, limit: Int) async throws -> DocumentIndexPage {
        try await inner.documentIndexRows(after: cursor, through: last, limit: limit)
    }
    func lastRecordSequence() async throws -> Int64 {
        try await inner.lastRecordSequence()
    }
    func documentIndexRows(ids: [RecordID]) async throws -> [DocumentIndexRow] {
        try await inner.documentIndexRows(ids: ids)
    }
    func recordsDue(
        kind: RecordKind, owner: MemberCode, before date: Date, after cursor: String?, limit: Int
    )
        async throws -> DuePage
    {
        try await inner.recordsDue(kind: kind, owner: owner, before: date, after: cursor, limit: limit)
    }
    func journal(after position: Int64, limit: Int, category: JournalDraft.Category?) async throws -> [JournalEntry] {
        try await inner.journal(after: position, limit: limit, category: category)
    }
    func journalHead() async throws -> JournalHead? { try await inner.journalHead() }
    func apiKey(secretHash: String) async throws -> APIKeyRecord? { try await inner.apiKey(secretHash: secretHash) }
    func apiKey(id: String) async throws -> APIKeyRecord? { try await inner.apiKey(id: id) }
    func apiKeys() async throws -> [APIKeyRecord] { try await inner.apiKeys() }
    func agreement(id: String) async throws -> Agreement? { try await inner.agreement(id: id) }
    func agreements() async throws -> [Agreement] { try await inner.agreements() }
    func hit(id: String) async throws -> Hit? { try await inner.hit(id: id) }
    func hits(for party: Party, before cursor: Int64?, limit: Int) async throws -> [(sequence: Int64, hit: Hit)] {
        try await inner.hits(for: party, before: cursor, limit: limit)
    }
    func alerts(for party: Party, after sequence: Int64, limit: Int) async throws -> [Alert] {
        try await inner.alerts(for: party, after: sequence, limit: limit)
    }
    func webhooks(party: Party?) async throws -> [WebhookState] { try await inner.webhooks(party: party) }
    func recordDelivery(webhook id: String, _ progress: WebhookProgress) async throws {
        try await inner.recordDelivery(webhook: id, progress)
    }
    func counter(_ name: String) async throws -> Int64 { try await inner.counter(name) }
    func attachments(of record: RecordID) async throws -> [RecordAttachment] { try await inner.attachments(of: record) }
    func gatewayObjects(_ query: GatewayQuery) async throws -> GatewayPage { try await inner.gatewayObjects(query) }
    func gatewayStatus(id: String) async throws -> GatewayStatusRecord? { try await inner.gatewayStatus(id: id) }
    func gatewayObjects(observedAs kind: ObservableKind, values: [String], limit: Int) async throws -> [GatewayObject] {
        try await inner.gatewayObjects(observedAs: kind, values: values, limit: limit)
    }
    func gatewayRoots() async throws -> [GatewayRoot] { try await inner.gatewayRoots() }
    func close() async throws { try await inner.close() }
}

@Suite("Query journal")
struct QueryJournalTests {
    /// Starts a leader held at the gate, queues `followers` queries behind it, then opens the gate.
    private func lineUp(
        _ store: GatedStore, followers: Int
    ) async throws -> (leader: Result<Void, any Error>, followers: [Result<Void, any Error>]) {
        let journal = QueryJournal(store: store)
        let leader = Task { try await journal.record(sampleDraft(.query, action: "leader")) }
        while store.batchSizes.value.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
        let queued = (0..<followers).map { number in
            Task { try await journal.record(sampleDraft(.query, action: "follower \(number)")) }
        }
        while await journal.waitingCount < followers { try await Task.sleep(for: .milliseconds(1)) }
        store.gateOpen.withLock { $0 = true }
        var results: [Result<Void, any Error>] = []
        for task in queued { results.append(await task.result) }
        return (await leader.result, results)
    }

    @Test("queries that arrive during a commit share the next one")
    func groupCommit() async throws {
        try await withTestStore(.sqlite) { test in
            let store = GatedStore(test.store)
            let outcome = try await lineUp(store, followers: 99)
            #expect(throws: Never.self) { try outcome.leader.get() }
            #expect(outcome.followers.allSatisfy { (try? $0.get()) != nil })
            #expect(store.batchSizes.value == [1, 99])
            #expect(try await test.store.verifyJournal() == .sound(entries: 100))
        }
    }

    @Test("a failed commit fails its own queries only, and nobody waits for ever")
    func failedLeader() async throws {
        try await withTestStore(.sqlite) { test in
            let store = GatedStore(test.store, failFirst: true)
            let outcome = try await lineUp(store, followers: 10)
            #expect(throws: StoreError.self) { try outcome.leader.get() }
            #expect(outcome.followers.allSatisfy { (try? $0.get()) != nil })
            let entries = try await test.store.journal(after: 0, limit: 100, category: .query)
            #expect(entries.count == 10)
            #expect(!entries.contains { $0.draft.action == "leader" })
        }
    }
}
