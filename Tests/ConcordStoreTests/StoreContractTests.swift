import ConcordCore
import ConcordTestSupport
import Foundation
import Testing

@testable import ConcordStore

/// One contract, two backends: everything here must hold for SQLite and PostgreSQL alike.
@Suite("Store contract")
struct StoreContractTests {
    @Test("a record reads back exactly as written", arguments: Backend.allCases)
    func roundTrip(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let record = try sampleDocument(restrictions: Restrictions(visibility: .onlyListed([MemberCode("DEU")!])))
            let entry = try await test.store.apply(
                [.insert(record)], journal: sampleDraft(targets: [record.envelope.id.rawValue]))
            #expect(entry.position == 1)
            #expect(try await test.store.record(record.envelope.id) == record)
            #expect(try await test.store.record(.random()) == nil)
        }
    }

    @Test("a second active record with the same key is refused and nothing is written", arguments: Backend.allCases)
    func duplicateLookupKey(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let first = try sampleDocument()
            try await test.store.apply([.insert(first)], journal: sampleDraft())
            let other = try sampleDocument(number: "XX0000001")
            let duplicate = try sampleDocument(number: "24-xf-99871")
            await #expect(throws: StoreError.duplicate(lookupKey: duplicate.lookupKey!)) {
                try await test.store.apply([.insert(other), .insert(duplicate)], journal: sampleDraft())
            }
            #expect(try await test.store.record(other.envelope.id) == nil)
            #expect(try await test.store.journalHead()?.position == 1)
        }
    }

    @Test("a withdrawn record frees its key for a new record", arguments: Backend.allCases)
    func withdrawnKeyReusable(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            var record = try sampleDocument()
            try await test.store.apply([.insert(record)], journal: sampleDraft())
            record.envelope.status = .withdrawn
            record.version = 2
            try await test.store.apply([.update(record)], journal: sampleDraft())
            let again = try sampleDocument()
            try await test.store.apply([.insert(again)], journal: sampleDraft())
            #expect(try await test.store.record(record.envelope.id)?.envelope.status == .withdrawn)
            #expect(try await test.store.record(again.envelope.id)?.envelope.status == .active)
        }
    }

    @Test("an update from a stale version is refused", arguments: Backend.allCases)
    func staleVersion(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            var record = try sampleDocument()
            try await test.store.apply([.insert(record)], journal: sampleDraft())
            record.version = 3
            await #expect(throws: StoreError.staleVersion(record.envelope.id)) {
                try await test.store.apply([.update(record)], journal: sampleDraft())
            }
            #expect(try await test.store.record(record.envelope.id)?.version == 1)
            #expect(try await test.store.journalHead()?.position == 1)
        }
    }

    @Test("records of a kind page in insertion order", arguments: Backend.allCases)
    func paging(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            var written: [RecordID] = []
            for number in 0..<7 {
                let record = try sampleDocument(number: "P\(number)")
                try await test.store.apply([.insert(record)], journal: sampleDraft())
                written.append(record.envelope.id)
            }
            var read: [RecordID] = []
            var cursor: Int64 = 0
            var pages = 0
            while true {
                let page = try await test.store.records(kind: .travelDocument, after: cursor, limit: 3)
                read += page.records.map(\.envelope.id)
                pages += 1
                guard let next = page.next else { break }
                cursor = next
            }
            #expect(read == written)
            #expect(pages == 3)
        }
    }

    @Test("the journal chains writes and query batches, and filters by category", arguments: Backend.allCases)
    func journalChain(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await test.store.apply([], journal: sampleDraft(targets: ["a"]))
            try await test.store.appendQueries([
                sampleDraft(.query, action: "document.check"), sampleDraft(.query, action: "document.read"),
            ])
            try await test.store.apply([], journal: sampleDraft(targets: ["b"]))
            let all = try await test.store.journal(after: 0, limit: 100, category: nil)
            #expect(all.map(\.position) == [1, 2, 3, 4])
            #expect(
                all.map(\.draft.action) == ["document.record", "document.check", "document.read", "document.record"])
            for (previous, entry) in zip(all, all.dropFirst()) { #expect(entry.previousHash == previous.hash) }
            #expect(all.first?.previousHash == JournalChain.genesis)
            let writes = try await test.store.journal(after: 1, limit: 100, category: .write)
            #expect(writes.map(\.position) == [4])
            #expect(writes.first?.draft.targets == ["b"])
            #expect(try await test.store.journalHead() == JournalHead(position: 4, hash: all[3].hash))
            #expect(try await test.store.verifyJournal() == .sound(entries: 4))
        }
    }

    @Test("journal targets read back exactly, whatever characters they hold", arguments: Backend.allCases)
    func journalTargets(_ backend: Backend) async throws {
        let targets: [[String]] = [
            [], ["01a23ee9-dc09-716b-8a66-d7553167437f", "a/b c"], ["say \"hi\"", "back\\slash"],
            ["line\nbreak\ttab\u{1}"], ["Παπαδόπουλος", "محمد", "emoji 🛂"],
        ]
        try await withTestStore(backend) { test in
            try await test.store.appendQueries(targets.map { sampleDraft(.query, targets: $0) })
            let read = try await test.store.journal(after: 0, limit: 100, category: nil)
            #expect(read.map(\.draft.targets) == targets)
            #expect(try await test.store.verifyJournal() == .sound(entries: Int64(targets.count)))
        }
    }

    @Test("concurrent writers never fork the chain", arguments: Backend.allCases)
    func concurrentWriters(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<24 {
                    group.addTask {
                        if number % 3 == 0 {
                            try await test.store.appendQueries([sampleDraft(.query), sampleDraft(.query)])
                        } else {
                            let record = try sampleDocument(number: "C\(number)")
                            try await test.store.apply([.insert(record)], journal: sampleDraft())
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await test.store.verifyJournal() == .sound(entries: 32))
        }
    }

    @Test("keys are found by hash and id, listed, and revoked once", arguments: Backend.allCases)
    func apiKeys(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let issued = try APIKeys.issue(
                role: .ncbOfficer, member: MemberCode("FRA"), label: "desk 4", expiresAt: now + 86_400, now: now)
            try await test.store.apply([.insertKey(issued.record)], journal: sampleDraft(action: "key.issue"))
            #expect(try await test.store.apiKey(secretHash: APIKeys.hash(issued.secret)) == issued.record)
            #expect(try await test.store.apiKey(id: issued.record.id) == issued.record)
            #expect(try await test.store.apiKey(secretHash: APIKeys.hash("concord_wrong")) == nil)
            #expect(try await test.store.apiKeys() == [issued.record])
            try await test.store.apply(
                [.revokeKey(id: issued.record.id, at: now + 60)], journal: sampleDraft(action: "key.revoke"))
            #expect(try await test.store.apiKey(id: issued.record.id)?.revokedAt == now + 60)
            await #expect(throws: StoreError.notFound("no active key \(issued.record.id)")) {
                try await test.store.apply(
                    [.revokeKey(id: issued.record.id, at: now + 120)], journal: sampleDraft(action: "key.revoke"))
            }
            #expect(try await test.store.journalHead()?.position == 2)
        }
    }

    @Test("reopening applies no migration twice and keeps everything", arguments: Backend.allCases)
    func reopen(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let record = try sampleDocument()
            try await test.store.apply([.insert(record)], journal: sampleDraft())
            let reopened = try await test.reopen()
            #expect(try await reopened.record(record.envelope.id) == record)
            #expect(try await reopened.verifyJournal() == .sound(entries: 1))
            try await reopened.close()
        }
    }

    @Test("the journal refuses updates and deletes through SQL", arguments: Backend.allCases)
    func appendOnly(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await test.store.apply([], journal: sampleDraft())
            await #expect(throws: (any Error).self) {
                try await test.execute(["UPDATE journal SET outcome = 'edited'"])
            }
            await #expect(throws: (any Error).self) { try await test.execute(["DELETE FROM journal"]) }
            #expect(try await test.store.verifyJournal() == .sound(entries: 1))
        }
    }

    /// Hands batches out one after another, as an import does, and gives up at the end if told to.
    static func batches(
        _ batches: [[StoredRecord]], failAtEnd: Bool = false
    ) -> @Sendable () throws -> InsertBatch? {
        let remaining = Locked(batches)
        return {
            let batch = remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            guard let batch else {
                if failAtEnd { throw StoreError.corrupt("abandoned") }
                return nil
            }
            return InsertBatch(records: batch) { sampleDraft(action: "document.import", targets: $0) }
        }
    }

    @Test("bulk inserts leave out duplicates of active records and journal the rest", arguments: Backend.allCases)
    func bulkInsert(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let existing = try sampleDocument(number: "E1")
            try await test.store.apply([.insert(existing)], journal: sampleDraft())
            let first = [
                try sampleDocument(number: "B1"), try sampleDocument(number: "e-1"), try sampleDocument(number: "B2"),
            ]
            let second = [try sampleDocument(number: "B3"), try sampleDocument(number: "b1")]
            let outcomes = Locked<[InsertedBatch]>([])
            try await test.store.insert(
                batches: Self.batches([first, second]), atomically: false,
                inserted: { outcome in outcomes.withLock { $0.append(outcome) } })
            let reported = outcomes.value
            #expect(reported.map(\.duplicates) == [[1], [1]])
            #expect(reported.map(\.entry.position) == [2, 3])
            #expect(reported[0].entry.draft.targets == [first[0].envelope.id.rawValue, first[2].envelope.id.rawValue])
            #expect(reported[1].entry.draft.targets == [second[0].envelope.id.rawValue])
            for record in [first[0], first[2], second[0]] {
                #expect(try await test.store.record(record.envelope.id) == record)
            }
            for record in [first[1], second[1]] { #expect(try await test.store.record(record.envelope.id) == nil) }
            let page = try await test.store.records(kind: .travelDocument, after: 0, limit: 10)
            #expect(page.records.map(\.envelope.id) == [existing, first[0], first[2], second[0]].map(\.envelope.id))
            #expect(try await test.store.verifyJournal() == .sound(entries: 3))
        }
    }

    @Test("an atomic bulk insert that is given up writes nothing at all", arguments: Backend.allCases)
    func bulkInsertAbandoned(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await test.store.apply([], journal: sampleDraft())
            let records = [try sampleDocument(number: "A1"), try sampleDocument(number: "A2")]
            let reported = Locked(0)
            await #expect(throws: StoreError.corrupt("abandoned")) {
                try await test.store.insert(
                    batches: Self.batches([[records[0]], [records[1]]], failAtEnd: true), atomically: true,
                    inserted: { _ in reported.withLock { $0 += 1 } })
            }
            #expect(reported.value == 2)
            for record in records { #expect(try await test.store.record(record.envelope.id) == nil) }
            #expect(try await test.store.journalHead()?.position == 1)
            // The same batches, not given up, are all there.
            try await test.store.insert(
                batches: Self.batches([[records[0]], [records[1]]]), atomically: true, inserted: { _ in })
            #expect(try await test.store.records(ids: records.map(\.envelope.id)).count == 2)
            #expect(try await test.store.verifyJournal() == .sound(entries: 3))
        }
    }

    @Test("records are read by id in bulk, the missing ones left out", arguments: Backend.allCases)
    func recordsByID(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let records = try (0..<1200).map { try sampleDocument(number: "R\($0)") }
            try await test.store.apply(records.map(Change.insert), journal: sampleDraft())
            let wanted = records.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            let found = try await test.store.records(ids: wanted.map(\.envelope.id) + [.random()])
            #expect(Set(found) == Set(wanted))
            #expect(try await test.store.records(ids: []).isEmpty)
        }
    }

    /// What an index row must say about a stored record.
    static func expectRow(_ row: DocumentIndexRow?, of record: StoredRecord) {
        #expect(row?.id == record.envelope.id)
        #expect(row?.key.lookupKey == record.lookupKey)
        #expect(row?.owner == record.envelope.owner)
        #expect(row?.restrictions == record.envelope.restrictions)
        #expect(row?.isActive == (record.envelope.status == .active))
        // Computed from the stored timestamp by the database; a millisecond either way is enough.
        #expect(
            abs((row?.reviewDate.timeIntervalSince1970 ?? 0) - record.envelope.reviewDate.timeIntervalSince1970) < 0.001
        )
    }

    @Test(
        "index rows page through active documents with their owners, restrictions and review dates",
        arguments: Backend.allCases)
    func indexRows(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            #expect(try await test.store.lastRecordSequence() == 0)
            let listed = Restrictions(visibility: .onlyListed([MemberCode("DEU")!]), notifyOwner: true)
            var withdrawn = try sampleDocument(number: "W1")
            let applied = [try sampleDocument(owner: "DEU", number: "A1", restrictions: listed), withdrawn]
            try await test.store.apply(applied.map(Change.insert), journal: sampleDraft())
            withdrawn.envelope.status = .withdrawn
            withdrawn.version = 2
            try await test.store.apply([.update(withdrawn)], journal: sampleDraft())
            let imported = [
                try sampleDocument(number: "B1"),
                try sampleDocument(
                    number: "B2", restrictions: Restrictions(visibility: .allExcept([MemberCode("ITA")!]))),
                try sampleDocument(number: "B3", restrictions: listed),
            ]
            try await test.store.insert(batches: Self.batches([imported]), atomically: true, inserted: { _ in })

            let last = try await test.store.lastRecordSequence()
            var rows: [DocumentIndexRow] = []
            var cursor: Int64 = 0
            var pages = 0
            var ends: [Int64] = []
            while true {
                let page = try await test.store.documentIndexRows(after: cursor, through: last, limit: 2)
                rows += page.rows
                pages += 1
                guard let next = page.next else { break }
                ends.append(next)
                cursor = next
            }
            let active = [applied[0]] + imported
            #expect(pages == 3)
            #expect(rows.count == active.count)
            for (row, record) in zip(rows, active) { Self.expectRow(row, of: record) }

            // Split at the end of the first page, the two ranges hold the same rows between them.
            let split = try #require(ends.first)
            let before = try await test.store.documentIndexRows(after: 0, through: split, limit: 10)
            let after = try await test.store.documentIndexRows(after: split, through: last, limit: 10)
            #expect(before.next == nil && after.next == nil)
            #expect(before.rows.map(\.id) == active[..<2].map(\.envelope.id))
            #expect(after.rows.map(\.id) == active[2...].map(\.envelope.id))

            let byID = try await test.store.documentIndexRows(ids: [
                withdrawn.envelope.id, imported[1].envelope.id, .random(),
            ])
            #expect(byID.count == 2)
            Self.expectRow(byID.first { $0.id == withdrawn.envelope.id }, of: withdrawn)
            Self.expectRow(byID.first { $0.id == imported[1].envelope.id }, of: imported[1])
        }
    }

    /// The document index keeps ids as UUID bits; a travel document with any other id is
    /// reported as the corruption it is, not loaded under an id it does not have.
    @Test("an index row of a travel document whose id is not a UUID is refused", arguments: Backend.allCases)
    func indexRowWithOtherID(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            var odd = try sampleDocument(number: "ODD1")
            odd.envelope.id = RecordID(rawValue: "legacy-17")
            try await test.store.apply([.insert(odd)], journal: sampleDraft())
            let refusal = StoreError.corrupt("travel document 'legacy-17' has an id that is not a UUID")
            let last = try await test.store.lastRecordSequence()
            await #expect(throws: refusal) {
                _ = try await test.store.documentIndexRows(after: 0, through: last, limit: 10)
            }
            await #expect(throws: refusal) { _ = try await test.store.documentIndexRows(ids: [odd.envelope.id]) }
        }
    }

    @Test(
        "an index row of a travel document whose lookup key is unreadable names the record", arguments: Backend.allCases
    )
    func indexRowWithUnreadableKey(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            var odd = try sampleDocument(number: "ODD2")
            odd.lookupKey = "FRA|passport|odd 2"
            try await test.store.apply([.insert(odd)], journal: sampleDraft())
            let last = try await test.store.lastRecordSequence()
            await #expect(
                throws: StoreError.corrupt("travel document \(odd.envelope.id) has lookup key 'FRA|passport|odd 2'")
            ) {
                _ = try await test.store.documentIndexRows(after: 0, through: last, limit: 10)
            }
        }
    }

    @Test("records stored before the restrictions column get it from their envelopes")
    func restrictionsMigration() async throws {
        try await withTestStore(.postgres) { test in
            let listed = Restrictions(visibility: .onlyListed([MemberCode("DEU")!]))
            let records = [
                try sampleDocument(number: "M1"), try sampleDocument(number: "M2", restrictions: listed),
                try sampleDocument(number: "M3", restrictions: Restrictions(notifyOwner: true)),
            ]
            try await test.store.apply(records.map(Change.insert), journal: sampleDraft())
            try await test.store.close()
            try await test.execute([
                "DROP INDEX records_document_index", "ALTER TABLE records DROP COLUMN restrictions",
                "DELETE FROM concord_migrations WHERE version IN (4, 5)",
            ])
            let reopened = try await test.reopen()
            let rows = try await reopened.documentIndexRows(after: 0, through: .max, limit: 10).rows
            #expect(rows.count == records.count)
            for (row, record) in zip(rows, records) { Self.expectRow(row, of: record) }
            try await reopened.close()
        }
    }

    @Test("a checkpoint pass of its own copies the whole log into the database, and writes go on")
    func backgroundCheckpoint() async throws {
        try await withTestStore(.sqlite) { test in
            let store = try #require(test.store as? SQLiteStore)
            for n in 0..<20 {
                _ = try await store.apply([.insert(try sampleDocument(number: "CP\(n)"))], journal: sampleDraft())
            }
            let pass = try await store.checkpointPass()
            #expect(pass.frames > 0)
            #expect(pass.copied == pass.frames)
            let after = try sampleDocument(number: "CPAFTER")
            _ = try await store.apply([.insert(after)], journal: sampleDraft())
            #expect(try await store.record(after.envelope.id) != nil)
        }
    }

    @Test("index rows are read from the covering index, never from the records themselves")
    func indexRowsPlan() async throws {
        try await withTestStore(.sqlite) { test in
            let plan = try await sqliteQueryPlan(
                folder: URL(fileURLWithPath: test.location), SQLiteStore.activeDocumentRows,
                arguments: ["0", "100", "10"])
            #expect(plan == ["SEARCH records USING COVERING INDEX records_document_index (seq>? AND seq<?)"])
        }
    }

    @Test(
        "a counter moves one step at a time with its write, and a writer that lost the race changes nothing",
        arguments: Backend.allCases)
    func counters(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            #expect(try await test.store.counter("notice-2026") == 0)
            let first = try sampleDocument(number: "K1")
            try await test.store.apply(
                [.insert(first), .advanceCounter(name: "notice-2026", to: 1)], journal: sampleDraft())
            try await test.store.apply([.advanceCounter(name: "notice-2026", to: 2)], journal: sampleDraft())
            #expect(try await test.store.counter("notice-2026") == 2)
            #expect(try await test.store.counter("notice-2027") == 0)

            let late = try sampleDocument(number: "K2")
            for stale: Int64 in [1, 2, 4] {
                await #expect(throws: StoreError.counterMoved("notice-2026")) {
                    try await test.store.apply(
                        [.insert(late), .advanceCounter(name: "notice-2026", to: stale)], journal: sampleDraft())
                }
            }
            #expect(try await test.store.record(late.envelope.id) == nil)
            #expect(try await test.store.counter("notice-2026") == 2)
            #expect(try await test.store.journalHead()?.position == 2)
        }
    }

    @Test("racing writers each take a different number, none twice", arguments: Backend.allCases)
    func counterRace(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let taken = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        while true {
                            let next = try await test.store.counter("race") + 1
                            do {
                                try await test.store.apply(
                                    [.advanceCounter(name: "race", to: next)], journal: sampleDraft())
                                return next
                            } catch StoreError.counterMoved {
                                continue
                            }
                        }
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(taken.sorted() == Array(1...12))
        }
    }

    @Test("attachments read back byte for byte, per record, oldest first", arguments: Backend.allCases)
    func attachments(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let record = RecordID.random()
            let time = Date(timeIntervalSince1970: 1_790_000_000)
            let bytes = Data([0xFF, 0xD8, 0xFF, 0x00, 0x01, 0xFE] + Array(repeating: 0x7F, count: 3000))
            let older = RecordAttachment(
                id: "a2", record: record, mediaType: "image/jpeg", bytes: bytes, createdAt: time)
            let newer = RecordAttachment(
                id: "a1", record: record, mediaType: "image/png", bytes: Data([0x89, 0x50, 0x4E, 0x47]),
                createdAt: time + 1)
            let elsewhere = RecordAttachment(
                id: "b1", record: .random(), mediaType: "image/png", bytes: Data([1]), createdAt: time)
            try await test.store.apply(
                [.insertAttachment(newer), .insertAttachment(older), .insertAttachment(elsewhere)],
                journal: sampleDraft())
            #expect(try await test.store.attachments(of: record) == [older, newer])
            #expect(try await test.store.attachments(of: .random()).isEmpty)
        }
    }

    static func stixObject(
        _ id: String, version: String, collection: String = "c1", type: String = "indicator", tlp: TLPLevel? = nil
    ) -> GatewayObject {
        GatewayObject(
            collection: collection, id: id, type: type, specVersion: "2.1", version: STIXTimestamp(version)!, tlp: tlp,
            createdByRef: nil, addedBy: .partner(agreement: "agr_a1"),
            json: Array(#"{"id":"\#(id)","modified":"\#(version)"}"#.utf8))
    }

    @Test(
        "Gateway objects page in the order added, by cursor or by time, and re-adding a version changes nothing",
        arguments: Backend.allCases)
    func gatewayPaging(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let ids = (0..<7).map { "indicator--00000000-0000-4000-8000-00000000000\($0)" }
            try await test.store.apply(
                ids.map { [Self.stixObject($0, version: "2024-01-01T00:00:00.000Z")] }.map(Change.insertGatewayObjects)
                    + [
                        .insertGatewayObjects([
                            Self.stixObject(ids[0], version: "2024-01-01T00:00:00.000Z", collection: "c2")
                        ])
                    ],
                journal: sampleDraft())
            var seen: [String] = []
            var query = GatewayQuery(collection: "c1", limit: 3)
            var pages = 0
            while true {
                let page = try await test.store.gatewayObjects(query)
                seen += page.objects.map(\.id)
                pages += 1
                guard let next = page.next else { break }
                query.cursor = next
            }
            #expect(seen == ids)
            #expect(pages == 3)
            let all = try await test.store.gatewayObjects(GatewayQuery(collection: "c1", limit: 100)).objects
            let times = all.compactMap(\.dateAdded)
            #expect(times.count == 7 && zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
            #expect(all[0].json == Self.stixObject(ids[0], version: "2024-01-01T00:00:00.000Z").json)
            #expect(
                all[0].version.text == "2024-01-01T00:00:00.000Z" && all[0].addedBy == .partner(agreement: "agr_a1"))
            // added_after is strict: exactly the objects after the third one's time.
            let after = try await test.store.gatewayObjects(
                GatewayQuery(collection: "c1", addedAfter: times[2], limit: 100))
            #expect(after.objects.map(\.id) == Array(ids[3...]))
            // The same version again is left as it was, with its first date_added.
            try await test.store.apply(
                [.insertGatewayObjects([Self.stixObject(ids[1], version: "2024-01-01T00:00:00Z")])],
                journal: sampleDraft())
            let again = try await test.store.gatewayObjects(GatewayQuery(collection: "c1", limit: 100)).objects
            #expect(again == all)
            #expect(try await test.store.gatewayObjects(GatewayQuery(collection: "c2", limit: 100)).objects.count == 1)
        }
    }

    @Test(
        "Gateway versions filter to the first, the last, all or named ones, and deletes remove them",
        arguments: Backend.allCases)
    func gatewayVersions(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let id = "malware--11111111-2222-4333-8444-555555555555"
            let other = "indicator--11111111-2222-4333-8444-555555555556"
            let versions = ["2024-03-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.123456Z"]
            try await test.store.apply(
                [.insertGatewayObjects(versions.map { Self.stixObject(id, version: $0, type: "malware") })],
                journal: sampleDraft())
            try await test.store.apply(
                [.insertGatewayObjects([Self.stixObject(other, version: versions[0], tlp: .red)])],
                journal: sampleDraft())
            func found(_ versions: GatewayVersions, types: [String] = [], ids: [String] = []) async throws -> [String] {
                try await test.store.gatewayObjects(
                    GatewayQuery(collection: "c1", limit: 100, ids: ids, types: types, versions: versions)
                ).objects.map { "\($0.id.prefix(3)) \($0.version.text)" }
            }
            #expect(try await found(.last, ids: [id]) == ["mal 2024-03-01T00:00:00.000Z"])
            #expect(try await found(.first, ids: [id]) == ["mal 2024-01-01T00:00:00.000Z"])
            #expect(try await found(.all, types: ["malware"]).count == 3)
            #expect(
                try await found(.exactly([STIXTimestamp("2024-02-01T00:00:00.123456000Z")!]))
                    == ["mal 2024-02-01T00:00:00.123456Z"])
            #expect(try await found(.last, types: ["indicator"]) == ["ind 2024-03-01T00:00:00.000Z"])
            let red = try await test.store.gatewayObjects(GatewayQuery(collection: "c1", limit: 100, ids: [other]))
            #expect(red.objects.first?.tlp == .red)
            try await test.store.apply(
                [.deleteGatewayObject(collection: "c1", id: id, versions: [STIXTimestamp(versions[0])!])],
                journal: sampleDraft())
            #expect(try await found(.last, ids: [id]) == ["mal 2024-02-01T00:00:00.123456Z"])
            try await test.store.apply(
                [.deleteGatewayObject(collection: "c1", id: id, versions: nil)], journal: sampleDraft())
            #expect(try await found(.all, ids: [id]).isEmpty)
            #expect(try await found(.all).count == 1)
        }
    }

    @Test("a Gateway page by added_after walks the date index, whatever the collection's size")
    func gatewayPagePlan() async throws {
        try await withTestStore(.sqlite) { test in
            let (sql, _) = GatewaySQL.select(GatewayQuery(collection: "c1", addedAfter: Date(), limit: 100)) { _ in "?"
            }
            let plan = try await sqliteQueryPlan(
                folder: URL(fileURLWithPath: test.location), sql, arguments: ["c1", "0", "101"])
            #expect(plan.first == "SEARCH o USING INDEX gateway_objects_added (collection=? AND date_added>?)")
            // The newest-version test probes the primary key, one object at a time.
            #expect(plan.contains { $0.contains("SEARCH n USING") && $0.contains("(collection=? AND object_id=?") })
            #expect(!plan.contains { $0.contains("SCAN") || $0.contains("TEMP B-TREE") })
        }
    }

    @Test(
        "Gateway observables find their versions across collections, keep the sender's facts and leave with them",
        arguments: Backend.allCases)
    func gatewayObservables(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let id = "indicator--00000000-0000-4000-8000-000000000001"
            let address = Observable("192.0.2.7", as: .ipv4)!
            let network = Observable("192.0.2.0/24", as: .ipv4)!
            var first = Self.stixObject(id, version: "2024-01-01T00:00:00.000Z", tlp: .red)
            first.observables = [address]
            first.addedByKey = "key_1"
            first.recipients = ["key_2", "agr_3"]
            first.protectsSource = true
            var second = Self.stixObject(id, version: "2024-02-01T00:00:00.000Z", collection: "c2")
            second.observables = [address, network]
            try await test.store.apply([.insertGatewayObjects([first, second])], journal: sampleDraft())
            // A second try at the same version names other values: the stored version keeps its own.
            var again = first
            again.observables = [Observable("evil.example", as: .domain)!]
            try await test.store.apply([.insertGatewayObjects([again])], journal: sampleDraft())
            #expect(
                try await test.store.gatewayObjects(observedAs: .domain, values: ["evil.example"], limit: 10).isEmpty)

            let found = try await test.store.gatewayObjects(
                observedAs: .ipv4, values: address.correlatingValues, limit: 10)
            #expect(found.map(\.collection) == ["c1", "c2"])
            #expect(found[0].addedByKey == "key_1" && found[0].recipients == ["key_2", "agr_3"])
            #expect(found[0].protectsSource && found[0].tlp == .red && !found[1].protectsSource)
            let inNetwork = try await test.store.gatewayObjects(
                observedAs: .ipv4, values: ["192.0.2.0/24"], limit: 10)
            #expect(inNetwork.map(\.collection) == ["c2"])
            #expect(try await test.store.gatewayObjects(observedAs: .ipv4, values: ["192.0.2.7"], limit: 1).count == 1)

            try await test.store.apply(
                [.deleteGatewayObject(collection: "c2", id: id, versions: [second.version])], journal: sampleDraft())
            let left = try await test.store.gatewayObjects(observedAs: .ipv4, values: ["192.0.2.7"], limit: 10)
            #expect(left.map(\.collection) == ["c1"])
            try await test.store.apply(
                [.deleteGatewayObject(collection: "c1", id: id, versions: nil)], journal: sampleDraft())
            #expect(try await test.store.gatewayObjects(observedAs: .ipv4, values: ["192.0.2.7"], limit: 10).isEmpty)
        }
    }

    @Test("Gateway trust groups are replaced only from the version read", arguments: Backend.allCases)
    func gatewayRoots(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let request = NewGatewayRoot(
                title: "Cyber", participants: [.party(.secretariat)],
                collections: [NewGatewayCollection(title: "Shared", readers: ["participants"], writers: ["GS"])])
            let root = try GatewayRoots.make(name: "cyber", request, previous: nil, now: now)
            try await test.store.apply([.putGatewayRoot(root)], journal: sampleDraft())
            #expect(try await test.store.gatewayRoots() == [root])
            let replaced = try GatewayRoots.make(name: "cyber", request, previous: root, now: now + 60)
            try await test.store.apply([.putGatewayRoot(replaced)], journal: sampleDraft())
            #expect(try await test.store.gatewayRoots() == [replaced])
            await #expect(throws: StoreError.self) {
                try await test.store.apply([.putGatewayRoot(replaced)], journal: sampleDraft())
            }
        }
    }

    @Test("Gateway status resources read back as written", arguments: Backend.allCases)
    func gatewayStatus(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            let status = GatewayStatusRecord(
                id: "2d086da7-4bdc-4f91-900e-d77486753710", apiRoot: "gateway", requester: "agreement:a1",
                json: Array(#"{"status":"complete","total_count":2}"#.utf8))
            try await test.store.apply([.insertGatewayStatus(status)], journal: sampleDraft())
            #expect(try await test.store.gatewayStatus(id: status.id) == status)
            #expect(try await test.store.gatewayStatus(id: "missing") == nil)
        }
    }
}
