public import ConcordCore
public import ConcordStore
public import Foundation
import GRDB
import Logging
import PostgresNIO

/// The two storage backends every contract test runs against.
public enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }
}

/// A fresh, empty store of one backend, plus raw SQL access for tests that play the attacker
/// and tamper with the database behind the store's back.
public struct TestStore: Sendable {
    public let backend: Backend
    public let store: any Store
    /// The data folder (SQLite) or the database URL (PostgreSQL).
    public let location: String

    public static func make(_ backend: Backend) async throws -> TestStore {
        switch backend {
        case .sqlite:
            let folder = try makeTemporaryDirectory(prefix: "concord-store")
            return TestStore(backend: backend, store: try SQLiteStore(folder: folder), location: folder.path)
        case .postgres:
            let url = try await ThrowawayPostgres.shared().makeDatabase()
            return TestStore(backend: backend, store: try await PostgresStore.open(url: url), location: url)
        }
    }

    /// Opens the same database again, as a restarted node would.
    public func reopen() async throws -> any Store {
        switch backend {
        case .sqlite: try SQLiteStore(folder: URL(fileURLWithPath: location))
        case .postgres: try await PostgresStore.open(url: location)
        }
    }

    /// Runs statements directly on the database, outside the store.
    public func execute(_ statements: [String]) async throws {
        switch backend {
        case .sqlite:
            try await executeSQLite(folder: URL(fileURLWithPath: location), statements)
        case .postgres:
            let configuration = try PostgresStore.clientConfiguration(from: location)
            let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                for statement in statements {
                    try await client.query(PostgresQuery(unsafeSQL: statement))
                }
                group.cancelAll()
            }
        }
    }

    public func close() async {
        try? await store.close()
        if backend == .sqlite { removeDirectory(URL(fileURLWithPath: location)) }
    }
}

/// Runs `body` with a fresh store and closes it afterwards, whether the body passed or failed.
public func withTestStore(
    _ backend: Backend, _ body: (TestStore) async throws -> Void
) async throws {
    let testStore = try await TestStore.make(backend)
    do {
        try await body(testStore)
    } catch {
        await testStore.close()
        throw error
    }
    await testStore.close()
}

/// A travel document record ready to store, for tests that need realistic data.
public func sampleDocument(
    owner: String = "FRA", number: String = "24XF99871", restrictions: Restrictions = .none,
    at time: Date = Date(timeIntervalSince1970: 1_790_000_000)
) throws -> StoredRecord {
    let member = MemberCode(owner)!
    let request = NewTravelDocument(
        issuer: Members.member(member).issuer, type: .passport, number: number, status: .stolen,
        restrictions: restrictions)
    return try TravelDocuments.record(request, owner: member, id: .random(), now: time).stored()
}

public func sampleDraft(
    _ category: JournalDraft.Category = .write, action: String = "document.record", targets: [String] = []
) -> JournalDraft {
    JournalDraft(
        category: category, time: Date(timeIntervalSince1970: 1_790_000_000),
        principal: .key("key_test", role: .ncbOfficer, member: MemberCode("FRA")), action: action,
        targets: targets, purpose: .borderManagement, outcome: "ok")
}

/// How SQLite would run a query on the database of a data folder, one line per step.
public func sqliteQueryPlan(folder: URL, _ sql: String, arguments: [String]) async throws -> [String] {
    let queue = try DatabaseQueue(path: folder.appendingPathComponent("concord.sqlite").path)
    return try await queue.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments))
            .map { $0["detail"] as String }
    }
}

/// Runs statements directly on the SQLite database of a data folder, outside the store.
public func executeSQLite(folder: URL, _ statements: [String]) async throws {
    let queue = try DatabaseQueue(path: folder.appendingPathComponent("concord.sqlite").path)
    try await queue.write { db in
        for statement in statements { try db.execute(sql: statement) }
    }
    try queue.close()
}

/// Statements that fill a table of 1 MiB and drop it, leaving 256 free pages of 4 KiB in the file.
public let fillAndDrop = [
    "CREATE TABLE filler (bytes BLOB)",
    """
    INSERT INTO filler WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 64)
    SELECT zeroblob(16384) FROM n
    """,
    "DROP TABLE filler",
]
