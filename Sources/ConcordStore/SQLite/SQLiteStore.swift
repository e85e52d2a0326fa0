import ConcordCore
import Foundation
import GRDB
import GRDBSQLite
import Logging

/// The embedded backend: one SQLite database in WAL mode inside a data folder.
public final class SQLiteStore: Store {
    private let pool: DatabasePool
    private let checkpointer: WALCheckpointer
    private let folderLock: StoreFolderLock
    public let path: String

    /// Opens (creating if needed) the store in `folder`, applying pending migrations. Some
    /// rewrite every record, which takes minutes in a store of millions: they are logged.
    public init(folder: URL, logger: Logger = Logger(label: "concord.sqlite")) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        folderLock = try StoreFolderLock(path: StoreFolderLock.path(in: folder))
        path = SQLiteStore.path(in: folder)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // A start reads the document index in eight ranges at once (to keep a cold disk busy),
        // and requests read meanwhile; GRDB's default of five readers would queue them.
        configuration.maximumReaderCount = 12
        configuration.prepareDatabase { db in
            // FULL makes every commit reach the disk before it returns: an acknowledged write
            // survives a power cut, not only a crash of the process.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The writer's inserts land all over the indexes of tables of millions of rows (ids
            // are random); 64 MiB of page cache instead of SQLite's 2 keeps their inner pages
            // in memory, and copying the log into the database every 64 MiB instead of every
            // 4 writes a page that several commits changed once. Readers keep the default
            // cache: there are several, and reads are narrow.
            if !db.configuration.readonly {
                try db.execute(sql: SQLiteStore.writerSettings)
            }
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        let migrator = SQLiteStore.migrator
        let (applied, records) = try pool.read { db in
            guard try db.tableExists("records") else { return (Set<String>(), 0) }
            return (try migrator.appliedIdentifiers(db), try Int.fetchOne(db, sql: "SELECT max(seq) FROM records") ?? 0)
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        // A new store migrates in no time; an old one with records says what it is doing.
        if records > 0, !pending.isEmpty {
            logger.info(
                "migrating the store",
                metadata: ["path": "\(path)", "records": "\(records)", "migrations": "\(pending)"])
            let started = ContinuousClock.now
            try migrator.migrate(pool)
            let seconds = (ContinuousClock.now - started).components.seconds
            logger.info("store migrated", metadata: ["seconds": "\(seconds)"])
        } else {
            try migrator.migrate(pool)
        }
        checkpointer = try WALCheckpointer(path: path)
    }

    /// Where the database file of a data folder is.
    public static func path(in folder: URL) -> String {
        folder.appendingPathComponent("concord.sqlite").path
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-records-journal-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE records (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        owner TEXT NOT NULL,
                        status TEXT NOT NULL,
                        lookup_key TEXT,
                        envelope TEXT NOT NULL,
                        body TEXT NOT NULL,
                        version INTEGER NOT NULL
                    );
                    CREATE UNIQUE INDEX records_active_lookup ON records(kind, lookup_key)
                        WHERE status = 'active' AND lookup_key IS NOT NULL;
                    CREATE INDEX records_kind_seq ON records(kind, seq);

                    CREATE TABLE journal (
                        position INTEGER PRIMARY KEY,
                        category TEXT NOT NULL,
                        time INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        role TEXT,
                        member TEXT,
                        action TEXT NOT NULL,
                        targets TEXT NOT NULL,
                        purpose TEXT,
                        outcome TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX journal_writes ON journal(position) WHERE category = 'write';
                    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    CREATE TABLE journal_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        position INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );

                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY,
                        secret_hash TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL,
                        member TEXT,
                        label TEXT,
                        created_at INTEGER NOT NULL,
                        expires_at INTEGER,
                        revoked_at INTEGER
                    );
                    """)
        }
        migrator.registerMigration("2-review-dates") { db in
            try db.execute(
                sql: """
                    ALTER TABLE records ADD COLUMN review_date TEXT;
                    UPDATE records SET review_date = json_extract(envelope, '$.reviewDate');
                    CREATE INDEX records_review ON records(kind, owner, review_date, seq) WHERE status = 'active';
                    """)
        }
        migrator.registerMigration("3-hits-alerts") { db in
            try db.execute(
                sql: """
                    ALTER TABLE api_keys ADD COLUMN agreement TEXT;
                    CREATE TABLE agreements (id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL);
                    CREATE TABLE hits (id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL);
                    CREATE TABLE alerts (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        recipient TEXT NOT NULL,
                        event TEXT NOT NULL,
                        hit_id TEXT,
                        created_at INTEGER NOT NULL,
                        payload TEXT NOT NULL
                    );
                    CREATE INDEX alerts_recipient ON alerts(recipient, seq);
                    CREATE TABLE webhooks (
                        id TEXT PRIMARY KEY,
                        party TEXT NOT NULL,
                        body TEXT NOT NULL,
                        delivered_through INTEGER NOT NULL,
                        failures INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        last_error TEXT
                    );
                    """)
        }
        migrator.registerMigration("4-restrictions-column") { db in
            try db.execute(
                sql: """
                    ALTER TABLE records ADD COLUMN restrictions TEXT;
                    UPDATE records SET restrictions = json_extract(envelope, '$.restrictions')
                    WHERE COALESCE(json_extract(envelope, '$.restrictions.visibility'), 'all') != 'all'
                        OR COALESCE(json_extract(envelope, '$.restrictions.notifyOwner'), 0) != 0;
                    """)
        }
        migrator.registerMigration("5-document-index-rows") { db in
            // Covers documentIndexRows: building the document index then reads a tenth of the
            // bytes it would read from the table, whose rows carry the whole record.
            try db.execute(
                sql: """
                    CREATE INDEX records_document_index
                        ON records(kind, status, seq, id, lookup_key, owner, restrictions, review_date)
                    """)
        }
        migrator.registerMigration("6-counters-attachments") { db in
            try db.execute(
                sql: """
                    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    CREATE TABLE attachments (
                        id TEXT PRIMARY KEY,
                        record_id TEXT NOT NULL,
                        media_type TEXT NOT NULL,
                        bytes BLOB NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX attachments_record ON attachments(record_id, created_at);
                    """)
        }
        migrator.registerMigration("7-gateway") { db in
            try db.execute(
                sql: """
                    CREATE TABLE gateway_objects (
                        collection TEXT NOT NULL,
                        object_id TEXT NOT NULL,
                        version_ns INTEGER NOT NULL,
                        version TEXT NOT NULL,
                        type TEXT NOT NULL,
                        spec_version TEXT NOT NULL,
                        date_added INTEGER NOT NULL,
                        tlp TEXT,
                        created_by_ref TEXT,
                        added_by TEXT NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (collection, object_id, version_ns)
                    );
                    CREATE INDEX gateway_objects_added ON gateway_objects(collection, date_added);
                    CREATE TABLE gateway_statuses (
                        id TEXT PRIMARY KEY, api_root TEXT NOT NULL, requester TEXT NOT NULL, body BLOB NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("8-gateway-groups") { db in
            try db.execute(
                sql: """
                    ALTER TABLE gateway_objects ADD COLUMN added_by_key TEXT NOT NULL DEFAULT '';
                    ALTER TABLE gateway_objects ADD COLUMN recipients TEXT NOT NULL DEFAULT '';
                    ALTER TABLE gateway_objects ADD COLUMN protects_source BOOLEAN NOT NULL DEFAULT 0;
                    CREATE TABLE gateway_observables (
                        kind TEXT NOT NULL,
                        value TEXT NOT NULL,
                        collection TEXT NOT NULL,
                        object_id TEXT NOT NULL,
                        version_ns INTEGER NOT NULL,
                        PRIMARY KEY (kind, value, collection, object_id, version_ns)
                    ) WITHOUT ROWID;
                    CREATE INDEX gateway_observables_object ON gateway_observables(collection, object_id);
                    CREATE TABLE gateway_roots (id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("9-record-columns") { db in
            // The envelope was JSON text beside columns that repeated half of it, and kinds and
            // ids were text repeated in several indexes: a generated travel document took 1,080
            // bytes on disk, rows, indexes and journal together, and takes 580 now. Each
            // envelope field is a column of its own, in the forms `SQLiteRecordColumns`
            // describes. The document index rows are a partial index of active travel documents
            // alone; it still ends with the kind and status, which SQLite needs in a covering
            // index that its query names.
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'records'")
            func milliseconds(_ time: String) -> String {
                "CAST(round((julianday(\(time)) - 2440587.5) * 86400000) AS INTEGER)"
            }
            let idValue = DatabaseFunction("concord_record_id", argumentCount: 1, pure: true) { values in
                SQLiteRecordColumns.value(of: RecordID(rawValue: String.fromDatabaseValue(values[0]) ?? ""))
            }
            db.add(function: idValue)
            defer { db.remove(function: idValue) }
            let document = SQLiteRecordColumns.code(.travelDocument)
            try db.execute(
                sql: """
                    CREATE TABLE records_columns (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id NOT NULL UNIQUE,
                        kind INTEGER NOT NULL,
                        owner TEXT NOT NULL,
                        status TEXT NOT NULL,
                        lookup_key TEXT,
                        purpose TEXT NOT NULL,
                        confidentiality TEXT NOT NULL,
                        restrictions TEXT,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        review_date INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        version INTEGER NOT NULL
                    );
                    INSERT INTO records_columns (seq, id, kind, owner, status, lookup_key, purpose, confidentiality,
                        restrictions, created_at, updated_at, review_date, body, version)
                    SELECT seq, concord_record_id(id), \(SQLiteRecordColumns.codeExpression(ofName: "kind")), owner,
                        status, lookup_key, json_extract(envelope, '$.purpose'),
                        json_extract(envelope, '$.confidentiality'), restrictions,
                        \(milliseconds("json_extract(envelope, '$.createdAt')")),
                        \(milliseconds("json_extract(envelope, '$.updatedAt')")), \(milliseconds("review_date")),
                        body, version
                    FROM records ORDER BY seq;
                    DROP TABLE records;
                    ALTER TABLE records_columns RENAME TO records;
                    CREATE UNIQUE INDEX records_active_lookup ON records(kind, lookup_key)
                        WHERE status = 'active' AND lookup_key IS NOT NULL;
                    CREATE INDEX records_kind_seq ON records(kind, seq);
                    CREATE INDEX records_review ON records(kind, owner, review_date, seq) WHERE status = 'active';
                    CREATE INDEX records_document_index
                        ON records(seq, id, lookup_key, owner, restrictions, review_date, kind, status)
                        WHERE kind = \(document) AND status = 'active';
                    """)
            // Sequences are positions in the change feed and are never given twice, not even
            // those of inserts that were rolled back.
            if let sequence {
                try db.execute(
                    sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'records'", arguments: [sequence])
                if db.changesCount == 0 {
                    try db.execute(
                        sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('records', ?)", arguments: [sequence])
                }
            }
        }
        return migrator
    }

    public func apply(_ changes: [Change], journal: JournalDraft) async throws -> JournalEntry {
        try await pool.write { db in
            for change in changes { try SQLiteStore.apply(change, db) }
            return try SQLiteStore.append([journal], db)[0]
        }
    }

    public func insert(
        batches next: @escaping @Sendable () throws -> InsertBatch?, atomically: Bool,
        inserted: @escaping @Sendable (InsertedBatch) throws -> Void
    ) async throws {
        // Millions of inserts touch index pages all over a large file; a page cache of a few
        // hundred megabytes instead of SQLite's two keeps them from being read again and again,
        // and letting the writer copy the log into the database every 256 MiB rather than every
        // 64 MiB writes a page changed by many batches fewer times.
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 65536")
        }
        do {
            if atomically {
                try await pool.write { db in
                    while let batch = try next() { try inserted(try SQLiteStore.insert(batch, db)) }
                }
            } else {
                // Each batch is a write of its own, so other writers get their turn, and the next
                // batch is read and parsed while SQLite writes this one.
                var upcoming = try next()
                while let batch = upcoming {
                    async let written = pool.write { db in try SQLiteStore.insert(batch, db) }
                    let following = Result { try next() }
                    try inserted(try await written)
                    upcoming = try following.get()
                }
            }
        } catch {
            try? await pool.writeWithoutTransaction { db in try db.execute(sql: SQLiteStore.writerSettings) }
            throw error
        }
        try await pool.writeWithoutTransaction { db in try db.execute(sql: SQLiteStore.writerSettings) }
    }

    /// The writer connection's page cache and checkpoint interval, outside bulk imports.
    private static let writerSettings = "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384"

    private static func insert(_ batch: InsertBatch, _ db: Database) throws -> InsertedBatch {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO records (\(SQLiteRecordColumns.names)) VALUES (\(SQLiteRecordColumns.marks))
                ON CONFLICT (kind, lookup_key) WHERE status = 'active' AND lookup_key IS NOT NULL DO NOTHING
                """)
        var restrictions: [Restrictions: String?] = [:]
        var inserted: [String] = []
        var duplicates: [Int] = []
        inserted.reserveCapacity(batch.records.count)
        for (position, record) in batch.records.enumerated() {
            // A batch shares a handful of restriction sets; each is encoded once.
            let restricted =
                try restrictions[record.envelope.restrictions]
                ?? RecordCoding.restrictionsColumn(record.envelope.restrictions)
            restrictions[record.envelope.restrictions] = restricted
            statement.setUncheckedArguments(SQLiteRecordColumns.arguments(record, restrictions: restricted))
            try statement.execute()
            if db.changesCount == 1 {
                inserted.append(record.envelope.id.rawValue)
            } else {
                duplicates.append(position)
            }
        }
        let entry = try append([batch.journal(inserted)], db)[0]
        return InsertedBatch(duplicates: duplicates, entry: entry)
    }

    public func appendQueries(_ drafts: [JournalDraft]) async throws {
        guard !drafts.isEmpty else { return }
        try await pool.writeWithoutTransaction { db in
            // NORMAL commits to the write-ahead log without waiting for the disk; the log is
            // synced by the next FULL commit or checkpoint, and entries stay in order either way.
            // Prepared once per connection: every check commits here, and parsing these
            // statements each time cost more than the commit itself.
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
            try db.inTransaction {
                _ = try SQLiteStore.append(drafts, db)
                return .commit
            }
        }
    }

    private static func apply(_ change: Change, _ db: Database) throws {
        switch change {
        case .insert(let record):
            do {
                try db.execute(
                    sql: "INSERT INTO records (\(SQLiteRecordColumns.names)) VALUES (\(SQLiteRecordColumns.marks))",
                    arguments: SQLiteRecordColumns.arguments(
                        record, restrictions: try RecordCoding.restrictionsColumn(record.envelope.restrictions)))
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                && error.message?.contains("lookup_key") == true
            {
                throw StoreError.duplicate(lookupKey: record.lookupKey ?? "")
            }
        case .update(let record):
            try db.execute(
                sql: """
                    UPDATE records SET (\(SQLiteRecordColumns.names)) = (\(SQLiteRecordColumns.marks))
                    WHERE id = ? AND version = ?
                    """,
                arguments: SQLiteRecordColumns.arguments(
                    record, restrictions: try RecordCoding.restrictionsColumn(record.envelope.restrictions))
                    + [SQLiteRecordColumns.value(of: record.envelope.id), record.version - 1])
            if db.changesCount != 1 { throw StoreError.staleVersion(record.envelope.id) }
        case .insertKey(let key):
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, secret_hash, role, member, label, created_at, expires_at, revoked_at,
                        agreement)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.id, key.secretHash, key.role.rawValue, key.member?.rawValue, key.label,
                    key.createdAt.millisecondsSince1970, key.expiresAt.map(\.millisecondsSince1970),
                    key.revokedAt.map(\.millisecondsSince1970), key.agreement,
                ])
        case .revokeKey(let id, let at):
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [at.millisecondsSince1970, id])
            if db.changesCount != 1 { throw StoreError.notFound("no active key \(id)") }
        case .putAgreement(let agreement):
            try put("agreements", id: agreement.id, version: agreement.version, body: agreement, db)
        case .putHit(let hit):
            try put("hits", id: hit.id, version: hit.version, body: hit, db)
        case .insertAlert(let alert):
            try db.execute(
                sql: "INSERT INTO alerts (recipient, event, hit_id, created_at, payload) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    alert.recipient.rawValue, alert.event.rawValue, alert.hitID,
                    alert.createdAt.millisecondsSince1970, String(decoding: alert.payload, as: UTF8.self),
                ])
        case .insertWebhook(let webhook):
            try db.execute(
                sql: """
                    INSERT INTO webhooks (id, party, body, delivered_through)
                    VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM alerts WHERE recipient = ?))
                    """,
                arguments: [
                    webhook.id, webhook.party.rawValue, try RecordCoding.json(webhook), webhook.party.rawValue,
                ])
        case .removeWebhook(let id):
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            if db.changesCount != 1 { throw StoreError.notFound("no webhook \(id)") }
        case .advanceCounter(let name, let value):
            if value == 1 {
                try db.execute(
                    sql: "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO NOTHING",
                    arguments: [name])
            } else {
                try db.execute(
                    sql: "UPDATE counters SET value = ? WHERE name = ? AND value = ?",
                    arguments: [value, name, value - 1])
            }
            if db.changesCount != 1 { throw StoreError.counterMoved(name) }
        case .insertAttachment(let attachment):
            try db.execute(
                sql: "INSERT INTO attachments (id, record_id, media_type, bytes, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    attachment.id, attachment.record.rawValue, attachment.mediaType, attachment.bytes,
                    attachment.createdAt.millisecondsSince1970,
                ])
        case .insertGatewayObjects(let objects):
            try insertGatewayObjects(objects, db)
        case .deleteGatewayObject(let collection, let id, let versions):
            var condition = "collection = ? AND object_id = ?"
            var arguments: [(any DatabaseValueConvertible)?] = [collection, id]
            if let versions {
                condition += " AND version_ns IN (" + versions.map { _ in "?" }.joined(separator: ", ") + ")"
                arguments += versions.map(\.nanosecondsSince1970)
            }
            for table in ["gateway_objects", "gateway_observables"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE \(condition)", arguments: StatementArguments(arguments))
            }
        case .putGatewayRoot(let root):
            try put("gateway_roots", id: root.name, version: root.version, body: root, db)
        case .insertGatewayStatus(let status):
            try db.execute(
                sql: "INSERT INTO gateway_statuses (id, api_root, requester, body) VALUES (?, ?, ?, ?)",
                arguments: [status.id, status.apiRoot, status.requester, Data(status.json)])
        }
    }

    private static func insertGatewayObjects(_ objects: [GatewayObject], _ db: Database) throws {
        let last =
            try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [GatewaySQL.clock]) ?? 0
        let times = GatewaySQL.nextTimes(after: last, count: objects.count)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO gateway_objects (collection, object_id, version_ns, version, type, spec_version,
                    date_added, tlp, created_by_ref, added_by, added_by_key, recipients, protects_source, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (collection, object_id, version_ns) DO NOTHING
                """)
        let observed = try db.cachedStatement(
            sql: """
                INSERT INTO gateway_observables (kind, value, collection, object_id, version_ns)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
        var latest = last
        for (object, time) in zip(objects, times) {
            let version = object.version.nanosecondsSince1970
            try statement.execute(arguments: [
                object.collection, object.id, version, object.version.text, object.type, object.specVersion, time,
                object.tlp?.rawValue, object.createdByRef, object.addedBy.rawValue, object.addedByKey,
                object.recipients.joined(separator: " "), object.protectsSource, Data(object.json),
            ])
            guard db.changesCount == 1 else { continue }
            latest = time
            for observable in object.observables {
                try observed.execute(arguments: [
                    observable.kind.rawValue, observable.value, object.collection, object.id, version,
                ])
            }
        }
        try db.execute(
            sql: """
                INSERT INTO counters (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = excluded.value
                """,
            arguments: [GatewaySQL.clock, latest])
    }

    /// Inserts version 1, or replaces exactly the version before.
    private static func put<Body: Encodable>(
        _ table: String, id: String, version: Int, body: Body, _ db: Database
    ) throws {
        let json = try RecordCoding.json(body)
        if version == 1 {
            try db.execute(sql: "INSERT INTO \(table) (id, body, version) VALUES (?, ?, 1)", arguments: [id, json])
        } else {
            try db.execute(
                sql: "UPDATE \(table) SET body = ?, version = ? WHERE id = ? AND version = ?",
                arguments: [json, version, id, version - 1])
            if db.changesCount != 1 { throw StoreError.staleVersion(RecordID(rawValue: id)) }
        }
    }

    /// Seals drafts onto the chain inside the caller's write transaction, which SQLite
    /// serialises, so two writers can never link to the same head.
    private static func append(_ drafts: [JournalDraft], _ db: Database) throws -> [JournalEntry] {
        let head = try Row.fetchOne(db.cachedStatement(sql: "SELECT position, hash FROM journal_head WHERE id = 1"))
        let entries = JournalChain.seal(
            drafts, after: head?["position"] ?? 0, previousHash: head?["hash"] ?? JournalChain.genesis)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO journal (position, category, time, actor, role, member, action, targets, purpose,
                    outcome, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for entry in entries {
            let draft = entry.draft
            try statement.execute(arguments: [
                entry.position, draft.category.rawValue, draft.time, draft.actor, draft.role, draft.member,
                draft.action, try RecordCoding.targetsJSON(draft.targets), draft.purpose, draft.outcome,
                entry.previousHash, entry.hash,
            ])
        }
        if let last = entries.last {
            try db.cachedStatement(
                sql: """
                    INSERT INTO journal_head (id, position, hash) VALUES (1, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET position = excluded.position, hash = excluded.hash
                    """
            ).execute(arguments: [last.position, last.hash])
        }
        return entries
    }

    public func record(_ id: RecordID) async throws -> StoredRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(SQLiteRecordColumns.names) FROM records WHERE id = ?",
                arguments: [SQLiteRecordColumns.value(of: id)]
            ).map(SQLiteRecordColumns.record)
        }
    }

    public func records(ids: [RecordID]) async throws -> [StoredRecord] {
        guard !ids.isEmpty else { return [] }
        return try await pool.read { db in
            var records: [StoredRecord] = []
            records.reserveCapacity(ids.count)
            // Well under SQLite's limit on bound parameters.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = ids[start..<min(start + 500, ids.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT \(SQLiteRecordColumns.names) FROM records WHERE id IN (\(marks))",
                    arguments: StatementArguments(chunk.map(SQLiteRecordColumns.value(of:))))
                records += try rows.map(SQLiteRecordColumns.record)
            }
            return records
        }
    }

    public func records(kind: RecordKind, after cursor: Int64, limit: Int) async throws -> RecordPage {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, \(SQLiteRecordColumns.names) FROM records
                    WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [SQLiteRecordColumns.code(kind), cursor, limit])
            let next: Int64? = rows.count == limit ? rows.last?["seq"] : nil
            return RecordPage(records: try rows.map(SQLiteRecordColumns.record), next: next)
        }
    }

    /// The columns of an index row, the review date in Unix seconds.
    private static let indexRowColumns = "seq, id, lookup_key, owner, restrictions, review_date / 1000.0, status"

    /// Reads `records_document_index` alone, which holds active travel documents only (so the
    /// kind's code is written out: a partial index applies to literals alone). Named, because the
    /// planner would rather take `records_kind_seq` and read every row; a test holds the plan.
    static let activeDocumentRows = """
        SELECT \(indexRowColumns) FROM records INDEXED BY records_document_index
        WHERE kind = \(SQLiteRecordColumns.code(.travelDocument)) AND status = 'active' AND seq > ? AND seq <= ?
        ORDER BY seq LIMIT ?
        """

    public func documentIndexRows(
        after cursor: Int64, through last: Int64, limit: Int
    ) async throws
        -> DocumentIndexPage
    {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: SQLiteStore.activeDocumentRows)
            statement.setUncheckedArguments([cursor, last, limit])
            var rows: [DocumentIndexRow] = []
            rows.reserveCapacity(limit)
            let lastSequence = try SQLiteStore.indexRows(statement) { rows.append($0) }
            return DocumentIndexPage(rows: rows, next: rows.count == limit ? lastSequence : nil)
        }
    }

    public func documentIndexRows(ids: [RecordID]) async throws -> [DocumentIndexRow] {
        guard !ids.isEmpty else { return [] }
        return try await pool.read { db in
            var rows: [DocumentIndexRow] = []
            rows.reserveCapacity(ids.count)
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = ids[start..<min(start + 500, ids.count)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let statement = try db.makeStatement(
                    sql: """
                        SELECT \(SQLiteStore.indexRowColumns) FROM records
                        WHERE kind = ? AND id IN (\(marks))
                        """)
                statement.setUncheckedArguments(
                    StatementArguments(
                        [SQLiteRecordColumns.code(.travelDocument)] + chunk.map(SQLiteRecordColumns.value(of:))))
                try SQLiteStore.indexRows(statement) { rows.append($0) }
            }
            return rows
        }
    }

    /// Steps through a statement selecting `indexRowColumns`; returns the last row's sequence.
    @discardableResult
    private static func indexRows(_ statement: Statement, _ body: (DocumentIndexRow) -> Void) throws -> Int64? {
        var reader = RecordCoding.IndexRowReader()
        var last: Int64?
        let cursor = try Row.fetchCursor(statement)
        let sqlite = statement.sqliteStatement
        // Columns are read from SQLite directly, the id and key from their bytes in place: a
        // generic decoding of each value, and a Data or string of each id and key, would be
        // made and dropped for each of millions of rows.
        func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
            sqlite3_column_blob(sqlite, column).map {
                UnsafeRawBufferPointer(start: $0, count: Int(sqlite3_column_bytes(sqlite, column)))
            }
        }
        func text(_ column: Int32) -> String? { bytes(column).map { String(decoding: $0, as: UTF8.self) } }
        while try cursor.next() != nil {
            last = sqlite3_column_int64(sqlite, 0)
            let uuidBits =
                sqlite3_column_type(sqlite, 1) == SQLITE_BLOB
                ? bytes(1).flatMap(SQLiteRecordColumns.uuidBits(ofBlob:)) : nil
            body(
                try reader.row(
                    uuidBits: uuidBits, id: uuidBits.map { RecordID(uuidBits: $0).rawValue } ?? text(1) ?? "",
                    key: bytes(2).flatMap(DocumentKey.init(lookupKeyBytes:)),
                    lookupKey: text(2) ?? "", owner: text(3) ?? "", restrictions: text(4),
                    reviewSeconds: sqlite3_column_double(sqlite, 5), status: text(6) ?? ""))
        }
        return last
    }

    public func recordsDue(
        kind: RecordKind, owner: MemberCode, before date: Date, after cursor: String?, limit: Int
    ) async throws -> DuePage {
        let (afterText, afterSeq) = try RecordCoding.dueCursor(cursor)
        // Here the cursor's review date is in milliseconds, as the column holds it.
        guard let afterDate = afterText.isEmpty ? Int64.min : Int64(afterText) else {
            throw StoreError.invalidCursor(cursor ?? "")
        }
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, \(SQLiteRecordColumns.names) FROM records
                    WHERE kind = ? AND owner = ? AND status = 'active' AND review_date < ?
                        AND (review_date, seq) > (?, ?)
                    ORDER BY review_date, seq LIMIT ?
                    """,
                arguments: [
                    SQLiteRecordColumns.code(kind), owner.rawValue, date.millisecondsSince1970,
                    afterDate, afterSeq, limit,
                ])
            let next =
                rows.count == limit
                ? rows.last.map {
                    RecordCoding.dueCursor(reviewDate: String($0["review_date"] as Int64), seq: $0["seq"])
                } : nil
            return DuePage(records: try rows.map(SQLiteRecordColumns.record), next: next)
        }
    }

    public func journal(
        after position: Int64, limit: Int, category: JournalDraft.Category?
    ) async throws
        -> [JournalEntry]
    {
        try await pool.read { db in
            let filter = category == nil ? "" : "AND category = ?"
            var arguments: StatementArguments = [position]
            if let category { arguments += [category.rawValue] }
            arguments += [limit]
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM journal WHERE position > ? \(filter) ORDER BY position LIMIT ?",
                arguments: arguments
            ).map { row in
                guard let category = JournalDraft.Category(rawValue: row["category"]) else {
                    throw StoreError.corrupt("journal entry \(row["position"] as Int64) has an unknown category")
                }
                return JournalEntry(
                    position: row["position"],
                    draft: JournalDraft(
                        category: category, time: row["time"], actor: row["actor"], role: row["role"],
                        member: row["member"], action: row["action"],
                        targets: try RecordCoding.targets(row["targets"]), purpose: row["purpose"],
                        outcome: row["outcome"]),
                    previousHash: row["previous_hash"], hash: row["hash"])
            }
        }
    }

    public func lastRecordSequence() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM records") ?? 0 }
    }

    public func journalHead() async throws -> JournalHead? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT position, hash FROM journal_head WHERE id = 1").map {
                JournalHead(position: $0["position"], hash: $0["hash"])
            }
        }
    }

    public func apiKey(secretHash: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE secret_hash = ?", arguments: [secretHash])
                .map(SQLiteStore.apiKey)
        }
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]).map(SQLiteStore.apiKey)
        }
    }

    public func apiKeys() async throws -> [APIKeyRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, id").map(SQLiteStore.apiKey)
        }
    }

    private static func apiKey(_ row: Row) throws -> APIKeyRecord {
        guard let role = Role(rawValue: row["role"]) else {
            throw StoreError.corrupt("key \(row["id"] as String) has an unknown role")
        }
        let member: MemberCode?
        if let code: String = row["member"] {
            guard let parsed = MemberCode(code) else {
                throw StoreError.corrupt("key \(row["id"] as String) has an unknown member")
            }
            member = parsed
        } else {
            member = nil
        }
        return APIKeyRecord(
            id: row["id"], secretHash: row["secret_hash"], role: role, member: member, label: row["label"],
            createdAt: Date(millisecondsSince1970: row["created_at"]),
            expiresAt: (row["expires_at"] as Int64?).map(Date.init(millisecondsSince1970:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millisecondsSince1970:)), agreement: row["agreement"]
        )
    }

    public func agreement(id: String) async throws -> Agreement? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM agreements WHERE id = ?", arguments: [id]).map {
                try RecordCoding.decode(Agreement.self, $0, "agreement \(id)")
            }
        }
    }

    public func agreements() async throws -> [Agreement] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM agreements ORDER BY id").map {
                try RecordCoding.decode(Agreement.self, $0, "agreement")
            }
        }
    }

    public func hit(id: String) async throws -> Hit? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM hits WHERE id = ?", arguments: [id]).map {
                try RecordCoding.decode(Hit.self, $0, "hit \(id)")
            }
        }
    }

    public func hits(for party: Party, before cursor: Int64?, limit: Int) async throws -> [(sequence: Int64, hit: Hit)]
    {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT alerts.seq, hits.body FROM alerts JOIN hits ON hits.id = alerts.hit_id
                    WHERE alerts.recipient = ? AND alerts.event = ? AND alerts.seq < ?
                    ORDER BY alerts.seq DESC LIMIT ?
                    """,
                arguments: [party.rawValue, AlertEvent.hitCreated.rawValue, cursor ?? Int64.max, limit]
            ).map { row in (row["seq"], try RecordCoding.decode(Hit.self, row["body"], "hit")) }
        }
    }

    public func alerts(for party: Party, after sequence: Int64, limit: Int) async throws -> [Alert] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, recipient, event, hit_id, created_at, payload FROM alerts
                    WHERE recipient = ? AND seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [party.rawValue, sequence, limit]
            ).map { row in
                Alert(
                    sequence: row["seq"],
                    draft: AlertDraft(
                        recipient: try RecordCoding.party(row["recipient"]),
                        event: try RecordCoding.event(row["event"]),
                        hitID: row["hit_id"], createdAt: Date(millisecondsSince1970: row["created_at"]),
                        payload: Data((row["payload"] as String).utf8)))
            }
        }
    }

    public func webhooks(party: Party?) async throws -> [WebhookState] {
        try await pool.read { db in
            let rows =
                if let party {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM webhooks WHERE party = ? ORDER BY id", arguments: [party.rawValue])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM webhooks ORDER BY id")
                }
            return try rows.map { row in
                WebhookState(
                    webhook: try RecordCoding.decode(Webhook.self, row["body"], "webhook"),
                    progress: WebhookProgress(
                        deliveredThrough: row["delivered_through"], failures: row["failures"],
                        nextAttemptAt: (row["next_attempt_at"] as Int64?).map(Date.init(millisecondsSince1970:)),
                        lastError: row["last_error"]))
            }
        }
    }

    public func recordDelivery(webhook id: String, _ progress: WebhookProgress) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE webhooks SET delivered_through = ?, failures = ?, next_attempt_at = ?, last_error = ?
                    WHERE id = ?
                    """,
                arguments: [
                    progress.deliveredThrough, progress.failures, progress.nextAttemptAt.map(\.millisecondsSince1970),
                    progress.lastError, id,
                ])
        }
    }

    public func counter(_ name: String) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name]) ?? 0
        }
    }

    public func attachments(of record: RecordID) async throws -> [RecordAttachment] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, media_type, bytes, created_at FROM attachments
                    WHERE record_id = ? ORDER BY created_at, id
                    """,
                arguments: [record.rawValue]
            ).map { row in
                RecordAttachment(
                    id: row["id"], record: record, mediaType: row["media_type"], bytes: row["bytes"],
                    createdAt: Date(millisecondsSince1970: row["created_at"]))
            }
        }
    }

    public func gatewayObjects(_ query: GatewayQuery) async throws -> GatewayPage {
        let (sql, binds) = GatewaySQL.select(query) { _ in "?" }
        let objects = try await gatewayObjects(sql, binds)
        return GatewaySQL.page(objects, limit: query.limit)
    }

    public func gatewayObjects(
        observedAs kind: ObservableKind, values: [String], limit: Int
    ) async throws
        -> [GatewayObject]
    {
        let (sql, binds) = GatewaySQL.selectObserved(kind: kind, values: values, limit: limit) { _ in "?" }
        return try await gatewayObjects(sql, binds)
    }

    private func gatewayObjects(_ sql: String, _ binds: [GatewaySQL.Bind]) async throws -> [GatewayObject] {
        let arguments = StatementArguments(
            binds.map { bind -> (any DatabaseValueConvertible)? in
                switch bind {
                case .text(let value): value
                case .integer(let value): value
                }
            })
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                try GatewaySQL.object(
                    collection: row["collection"], id: row["object_id"], type: row["type"],
                    specVersion: row["spec_version"], version: row["version"], dateAdded: row["date_added"],
                    tlp: row["tlp"], createdByRef: row["created_by_ref"], addedBy: row["added_by"],
                    addedByKey: row["added_by_key"], recipients: row["recipients"],
                    protectsSource: row["protects_source"], body: [UInt8](row["body"] as Data))
            }
        }
    }

    public func gatewayRoots() async throws -> [GatewayRoot] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM gateway_roots ORDER BY id").map {
                try RecordCoding.decode(GatewayRoot.self, $0, "gateway root")
            }
        }
    }

    public func gatewayStatus(id: String) async throws -> GatewayStatusRecord? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT api_root, requester, body FROM gateway_statuses WHERE id = ?", arguments: [id]
            ).map { row in
                GatewayStatusRecord(
                    id: id, apiRoot: row["api_root"], requester: row["requester"], json: [UInt8](row["body"] as Data))
            }
        }
    }

    /// How the database file is laid out: its pages, and how many of them are free.
    public struct FileLayout: Sendable, Equatable {
        public let pages: Int
        public let freePages: Int
        public let pageSize: Int
        public var bytes: Int { pages * pageSize }
    }

    public func fileLayout() async throws -> FileLayout {
        try await pool.read { db in try SQLiteStore.fileLayout(db) }
    }

    private static func fileLayout(_ db: Database) throws -> FileLayout {
        FileLayout(
            pages: try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
            freePages: try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0,
            pageSize: try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
    }

    /// Rewrites the file with VACUUM and returns its layout before and after.
    ///
    /// Pages freed by a migration that rebuilt a table stay in the file until then. And a
    /// bulk import fills every index of the records at once, so their pages alternate in the
    /// file: building the document index from the store then reads its covering index from all
    /// over the file, and a start with a cold page cache reads several times the bytes it
    /// needs. After VACUUM each table and index lies in one run of pages.
    ///
    /// The rewrite goes through a temporary copy and the write-ahead log: it needs free disk
    /// about twice the store's size, and holds the write lock until it ends. So it is refused
    /// while another process (or another open store) has this store open, and the store cannot
    /// be opened while it runs.
    ///
    /// `started` is called once the store is known to be alone, before the rewrite begins.
    public func compact(started: () -> Void = {}) async throws -> (before: FileLayout, after: FileLayout) {
        try await folderLock.exclusively {
            started()
            return try await checkpointer.withoutPasses {
                try await pool.writeWithoutTransaction { db in
                    let before = try SQLiteStore.fileLayout(db)
                    try db.execute(sql: "VACUUM")
                    // The log now holds the whole rewritten file; copying it back shortens the file.
                    try db.checkpoint(.truncate)
                    return (before, try SQLiteStore.fileLayout(db))
                }
            }
        }
    }

    public func close() async throws {
        defer { folderLock.release() }
        try await checkpointer.stop()
        try pool.close()
    }

    /// One background checkpoint pass, as the checkpointer makes a few times a second.
    func checkpointPass() async throws -> (frames: Int, copied: Int) {
        try await checkpointer.pass()
    }
}
