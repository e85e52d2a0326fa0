import ConcordCore
import ConcordTestSupport
import Foundation
import GRDB
import Testing

@testable import ConcordStore

@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    /// Writes records as the store did when the envelope was JSON text and restrictions lived
    /// in it alone (the schema after migration 3), then opens the folder as the store does now.
    @Test(
        "records stored as envelope JSON with named kinds read back unchanged, with index rows, due pages, sequences"
    )
    func envelopeColumns() async throws {
        let folder = try makeTemporaryDirectory(prefix: "concord-migration")
        defer { removeDirectory(folder) }
        // Milliseconds that are exact binary fractions: the old text dropped a millisecond from
        // times held as a double just below a whole millisecond, and the column keeps what it held.
        let created = Date(timeIntervalSince1970: 1_790_000_000.125)
        var withdrawn = try sampleDocument(number: "M4", at: created)
        withdrawn.envelope.status = .withdrawn
        withdrawn.envelope.updatedAt = Date(timeIntervalSince1970: 1_790_086_400.5)
        withdrawn.version = 2
        var notice = try sampleDocument(number: "M5", at: created)
        notice.envelope.kind = .notice
        notice.envelope.purpose = .investigation
        notice.envelope.confidentiality = .restricted
        notice.lookupKey = nil
        // Ids Concord makes are lowercase UUIDs, held as 16 bytes; any other id stays text.
        notice.envelope.id = RecordID(rawValue: "NOTICE-2026/17")
        let records = [
            try sampleDocument(number: "M1", at: created),
            try sampleDocument(
                number: "M2", restrictions: Restrictions(visibility: .onlyListed([MemberCode("DEU")!])), at: created),
            try sampleDocument(number: "M3", restrictions: Restrictions(notifyOwner: true), at: created),
            withdrawn, notice,
        ]

        let queue = try DatabaseQueue(path: folder.appendingPathComponent("concord.sqlite").path)
        try SQLiteStore.migrator.migrate(queue, upTo: "3-hits-alerts")
        try await queue.write { db in
            for record in records {
                try db.execute(
                    sql: """
                        INSERT INTO records (id, kind, owner, status, lookup_key, envelope, body, version, review_date)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.envelope.id.rawValue, record.envelope.kind.rawValue, record.envelope.owner.rawValue,
                        record.envelope.status.rawValue, record.lookupKey,
                        try RecordCoding.envelopeJSON(record.envelope), String(decoding: record.body, as: UTF8.self),
                        record.version, ConcordJSON.timestamp(record.envelope.reviewDate),
                    ])
            }
            // Inserts that were rolled back used sequences the feed must never hand out again.
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = 100 WHERE name = 'records'")
        }
        try queue.close()

        let store = try SQLiteStore(folder: folder)
        for record in records { #expect(try await store.record(record.envelope.id) == record) }
        #expect(try await store.records(ids: records.map(\.envelope.id)).count == records.count)

        let rows = try await store.documentIndexRows(after: 0, through: .max, limit: 10).rows
        #expect(rows.map(\.id) == records[0..<3].map(\.envelope.id))
        for (row, record) in zip(rows, records) { StoreContractTests.expectRow(row, of: record) }

        let later = try sampleDocument(number: "M6", at: created)
        _ = try await store.apply([.insert(later)], journal: sampleDraft())
        let after = try await store.documentIndexRows(after: 100, through: .max, limit: 10).rows
        #expect(after.map(\.id) == [later.envelope.id])

        // Due pages of two walk the four active documents in review order, then stop.
        var due: [RecordID] = []
        var cursor: String?
        repeat {
            let page = try await store.recordsDue(
                kind: .travelDocument, owner: MemberCode("FRA")!, before: .distantFuture, after: cursor, limit: 2)
            due += page.records.map(\.envelope.id)
            cursor = page.next
        } while cursor != nil
        #expect(Set(due) == Set((records[0..<3] + [later]).map(\.envelope.id)))
        #expect(due.count == 4)
        try await store.close()
    }

    @Test("compacting gives free pages back and keeps every record, index row and journal entry")
    func compact() async throws {
        let folder = try makeTemporaryDirectory(prefix: "concord-compact")
        defer { removeDirectory(folder) }
        var store = try SQLiteStore(folder: folder)
        let records = try (0..<200).map { try sampleDocument(number: "C\($0)") }
        for record in records { _ = try await store.apply([.insert(record)], journal: sampleDraft()) }
        try await store.close()
        // Pages freed as a migration that rebuilds a table frees them.
        try await executeSQLite(folder: folder, fillAndDrop)

        store = try SQLiteStore(folder: folder)
        let head = try await store.journalHead()
        let (before, after) = try await store.compact()
        #expect(before.freePages >= 256)
        #expect(after.freePages == 0)
        #expect(after.pages <= before.pages - before.freePages)
        #expect(try await store.fileLayout() == after)
        let file = try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int
        #expect(file == after.bytes)

        for record in records { #expect(try await store.record(record.envelope.id) == record) }
        let rows = try await store.documentIndexRows(after: 0, through: .max, limit: 500).rows
        #expect(rows.map(\.id) == records.map(\.envelope.id))
        #expect(try await store.journalHead() == head)
        guard case .sound(let entries) = try await store.verifyJournal() else {
            Issue.record("the journal is not sound after compacting")
            return
        }
        #expect(entries == Int64(records.count))
        try await store.close()
    }

    @Test("a closed store's commits are all in its database file, none left only in its log")
    func closingCopiesTheLog() async throws {
        let folder = try makeTemporaryDirectory(prefix: "concord-close")
        defer { removeDirectory(folder) }
        let store = try SQLiteStore(folder: folder)
        let records = try (1...300).map { try sampleDocument(number: "C\($0)") }
        _ = try await store.apply(records.map { .insert($0) }, journal: sampleDraft())
        try await store.close()
        // Closed twice, as a test's fixture and its server may both close it, and asked for a
        // checkpoint after: SQLite is not asked to work through the closed connection.
        try await store.close()
        #expect(try await store.checkpointPass() == (0, 0))
        // A copy of the database file without its log, which SQLite then never reads.
        let alone = try makeTemporaryDirectory(prefix: "concord-close-file")
        defer { removeDirectory(alone) }
        let file = alone.appendingPathComponent("file-alone.sqlite").path
        try FileManager.default.copyItem(atPath: SQLiteStore.path(in: folder), toPath: file)
        let count = try await DatabaseQueue(path: file).read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM records WHERE lookup_key LIKE '%|C%'")
        }
        #expect(count == 300)
    }

    @Test("compacting is refused while the store is open elsewhere, and the store does not open while it runs")
    func compactNeedsTheStoreAlone() async throws {
        let folder = try makeTemporaryDirectory(prefix: "concord-compact")
        defer { removeDirectory(folder) }
        let server = try SQLiteStore(folder: folder)
        let compactor = try SQLiteStore(folder: folder)
        await #expect(
            throws: StoreError.inUse("another process has the store open (a server, an import): stop it first")
        ) {
            _ = try await compactor.compact()
        }
        // The refused store is still open, usable, and shared with others.
        let record = try sampleDocument(number: "L1")
        _ = try await compactor.apply([.insert(record)], journal: sampleDraft())
        #expect(try await server.record(record.envelope.id) == record)
        try await SQLiteStore(folder: folder).close()

        try await server.close()
        _ = try await compactor.compact()
        // Compaction gave the lock back: the folder opens again.
        let reopened = try SQLiteStore(folder: folder)
        #expect(try await reopened.record(record.envelope.id) == record)
        try await reopened.close()
        try await compactor.close()

        let compacting = try StoreFolderLock(path: StoreFolderLock.path(in: folder))
        try await compacting.exclusively {
            #expect(throws: StoreError.inUse("the store is being compacted; open it when that has ended")) {
                _ = try SQLiteStore(folder: folder)
            }
        }
        compacting.release()
    }

    @Test("canonical UUIDs are held as their 16 bytes and read back as written; other ids stay text")
    func recordIDs() throws {
        for _ in 0..<100 {
            let id = RecordID.random()
            let bits = try #require(id.uuidBits)
            #expect(RecordID(uuidBits: bits) == id)
            let value = SQLiteRecordColumns.value(of: id).databaseValue
            guard case .blob(let bytes) = value.storage else {
                Issue.record("\(id) is held as \(value)")
                continue
            }
            #expect(bytes.count == 16)
            #expect(try SQLiteRecordColumns.recordID(value) == id)
        }
        let uuid = "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6071"
        for text in [
            uuid.uppercased(), String(uuid.dropLast()), uuid + "0", uuid.replacingOccurrences(of: "-", with: ""),
            "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f607g", "0190b3c4x5d6e-7f80-9a1b-2c3d4e5f6071", "", "NOTICE-2026/17",
        ] {
            let id = RecordID(rawValue: text)
            #expect(id.uuidBits == nil)
            #expect(SQLiteRecordColumns.value(of: id).databaseValue == text.databaseValue)
            #expect(try SQLiteRecordColumns.recordID(SQLiteRecordColumns.value(of: id).databaseValue) == id)
        }
    }

    @Test("every kind has its own code, and codes read back as their kinds")
    func kindCodes() {
        let codes = RecordKind.allCases.map(SQLiteRecordColumns.code)
        #expect(Set(codes).count == RecordKind.allCases.count)
        for kind in RecordKind.allCases {
            #expect(SQLiteRecordColumns.kind(code: SQLiteRecordColumns.code(kind)) == kind)
        }
        #expect(SQLiteRecordColumns.kind(code: 0) == nil)
    }
}
