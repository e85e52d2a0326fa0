import ConcordCore
import Foundation
import Logging
import PostgresNIO

/// The shared backend: several Concord nodes on one PostgreSQL primary.
public final class PostgresStore: Store {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects to `url` (`postgres://user:password@host:port/database?sslmode=require`) and
    /// applies pending migrations.
    public static func open(
        url: String, logger: Logger = Logger(label: "concord.postgres")
    ) async throws
        -> PostgresStore
    {
        let store = PostgresStore(configuration: try clientConfiguration(from: url), logger: logger)
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    private init(configuration: PostgresClient.Configuration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    public static func clientConfiguration(from url: String) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""),
            let host = parts.host, !host.isEmpty
        else {
            throw StoreError.configuration("not a PostgreSQL URL (postgres://user@host:port/database): \(url)")
        }
        let sslMode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        default: throw StoreError.configuration("unsupported sslmode '\(sslMode)' (disable, prefer, require)")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user ?? "postgres",
            password: parts.password, database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = 10
        return configuration
    }

    // MARK: Migrations

    /// Versioned migrations; each runs once, in order, in its own transaction. An advisory lock
    /// keeps nodes that start together from migrating twice.
    static let migrations: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE records (
                    seq BIGSERIAL PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    status TEXT NOT NULL,
                    lookup_key TEXT,
                    envelope TEXT NOT NULL,
                    body TEXT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                """
                CREATE UNIQUE INDEX records_active_lookup ON records(kind, lookup_key)
                    WHERE status = 'active' AND lookup_key IS NOT NULL
                """,
                "CREATE INDEX records_kind_seq ON records(kind, seq)",
                """
                CREATE TABLE journal (
                    position BIGINT PRIMARY KEY,
                    category TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    role TEXT,
                    member TEXT,
                    action TEXT NOT NULL,
                    targets TEXT NOT NULL,
                    purpose TEXT,
                    outcome TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX journal_writes ON journal(position) WHERE category = 'write'",
                """
                CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the journal is append-only'; END $$
                """,
                """
                CREATE TRIGGER journal_no_change BEFORE UPDATE OR DELETE ON journal
                    FOR EACH ROW EXECUTE FUNCTION journal_append_only()
                """,
                """
                CREATE TABLE journal_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    position BIGINT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "INSERT INTO journal_head (id, position, hash) VALUES (1, 0, '\(JournalChain.genesis)')",
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    secret_hash TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    member TEXT,
                    label TEXT,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    revoked_at BIGINT
                )
                """,
            ]
        ),
        (
            2,
            [
                "ALTER TABLE records ADD COLUMN review_date TEXT COLLATE \"C\"",
                "UPDATE records SET review_date = envelope::jsonb ->> 'reviewDate'",
                """
                CREATE INDEX records_review ON records(kind, owner, review_date, seq) WHERE status = 'active'
                """,
            ]
        ),
        (
            3,
            [
                "ALTER TABLE api_keys ADD COLUMN agreement TEXT",
                "CREATE TABLE agreements (id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL)",
                "CREATE TABLE hits (id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL)",
                """
                CREATE TABLE alerts (
                    seq BIGSERIAL PRIMARY KEY,
                    recipient TEXT NOT NULL,
                    event TEXT NOT NULL,
                    hit_id TEXT,
                    created_at BIGINT NOT NULL,
                    payload TEXT NOT NULL
                )
                """,
                "CREATE INDEX alerts_recipient ON alerts(recipient, seq)",
                """
                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY,
                    party TEXT NOT NULL,
                    body TEXT NOT NULL,
                    delivered_through BIGINT NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT,
                    last_error TEXT
                )
                """,
            ]
        ),
        (
            4,
            [
                "ALTER TABLE records ADD COLUMN restrictions TEXT",
                """
                UPDATE records SET restrictions = (envelope::jsonb -> 'restrictions')::text
                WHERE COALESCE(envelope::jsonb #>> '{restrictions,visibility}', 'all') != 'all'
                    OR COALESCE((envelope::jsonb #>> '{restrictions,notifyOwner}')::boolean, false)
                """,
            ]
        ),
        (
            5,
            [
                // Lets documentIndexRows read the index alone rather than whole records.
                """
                CREATE INDEX records_document_index ON records(kind, status, seq)
                    INCLUDE (id, lookup_key, owner, restrictions, review_date)
                """
            ]
        ),
        (
            6,
            [
                "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
                """
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY,
                    record_id TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    bytes BYTEA NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX attachments_record ON attachments(record_id, created_at)",
            ]
        ),
        (
            7,
            [
                """
                CREATE TABLE gateway_objects (
                    collection TEXT NOT NULL,
                    object_id TEXT NOT NULL,
                    version_ns BIGINT NOT NULL,
                    version TEXT NOT NULL,
                    type TEXT NOT NULL,
                    spec_version TEXT NOT NULL,
                    date_added BIGINT NOT NULL,
                    tlp TEXT,
                    created_by_ref TEXT,
                    added_by TEXT NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (collection, object_id, version_ns)
                )
                """,
                "CREATE INDEX gateway_objects_added ON gateway_objects(collection, date_added)",
                """
                CREATE TABLE gateway_statuses (
                    id TEXT PRIMARY KEY, api_root TEXT NOT NULL, requester TEXT NOT NULL, body TEXT NOT NULL
                )
                """,
            ]
        ),
        (
            8,
            [
                "ALTER TABLE gateway_objects ADD COLUMN added_by_key TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE gateway_objects ADD COLUMN recipients TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE gateway_objects ADD COLUMN protects_source BOOLEAN NOT NULL DEFAULT FALSE",
                """
                CREATE TABLE gateway_observables (
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    collection TEXT NOT NULL,
                    object_id TEXT NOT NULL,
                    version_ns BIGINT NOT NULL,
                    PRIMARY KEY (kind, value, collection, object_id, version_ns)
                )
                """,
                "CREATE INDEX gateway_observables_object ON gateway_observables(collection, object_id)",
                "CREATE TABLE gateway_roots (id TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL)",
            ]
        ),
    ]

    private func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7726271)", logger: self.logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS concord_migrations (
                    version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: self.logger)
            var applied = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM concord_migrations", logger: self.logger
            ).decode(Int.self) {
                applied.insert(version)
            }
            for migration in PostgresStore.migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO concord_migrations (version) VALUES (\(migration.version))", logger: self.logger)
            }
        }
    }

    // MARK: Writes

    public func apply(_ changes: [Change], journal: JournalDraft) async throws -> JournalEntry {
        try await transaction { connection in
            // The head is locked before any change: write transactions then commit in the order
            // they take sequence numbers, so a reader following alerts by sequence never skips one
            // that commits late.
            let head = try await self.lockHead(connection)
            for change in changes { try await self.apply(change, connection) }
            return try await self.append([journal], after: head, connection)[0]
        }
    }

    public func insert(
        batches next: @escaping @Sendable () throws -> InsertBatch?, atomically: Bool,
        inserted: @escaping @Sendable (InsertedBatch) throws -> Void
    ) async throws {
        if atomically {
            try await transaction { connection in
                while let batch = try next() { try inserted(try await self.insert(batch, connection)) }
            }
            return
        }
        // The next batch is read and parsed while the server writes this one.
        var upcoming = try next()
        while let batch = upcoming {
            async let written = transaction { connection in try await self.insert(batch, connection) }
            let following = Result { try next() }
            try inserted(try await written)
            upcoming = try following.get()
        }
    }

    /// One statement per batch: the rows travel as arrays and `unnest` turns them back into rows,
    /// so ten thousand records cost one round trip instead of ten thousand.
    private func insert(_ batch: InsertBatch, _ connection: PostgresConnection) async throws -> InsertedBatch {
        let head = try await lockHead(connection)
        let count = batch.records.count
        var ids: [String] = [], kinds: [String] = [], owners: [String] = [], statuses: [String] = []
        var lookupKeys: [String] = [], envelopes: [String] = [], bodies: [String] = [], reviewDates: [String] = []
        var restrictions: [String] = []
        var versions: [Int] = []
        ids.reserveCapacity(count)
        envelopes.reserveCapacity(count)
        bodies.reserveCapacity(count)
        var templates = RecordCoding.EnvelopeTemplates()
        var dates: [Date: String] = [:]
        var restrictionTexts: [Restrictions: String] = [:]
        for record in batch.records {
            let envelope = record.envelope
            ids.append(envelope.id.rawValue)
            kinds.append(envelope.kind.rawValue)
            owners.append(envelope.owner.rawValue)
            statuses.append(envelope.status.rawValue)
            // Arrays carry no NULLs here; no lookup key is ever empty, so empty stands for none.
            lookupKeys.append(record.lookupKey ?? "")
            envelopes.append(try templates.json(envelope))
            bodies.append(String(decoding: record.body, as: UTF8.self))
            versions.append(record.version)
            let reviewDate = dates[envelope.reviewDate] ?? ConcordJSON.timestamp(envelope.reviewDate)
            dates[envelope.reviewDate] = reviewDate
            reviewDates.append(reviewDate)
            let restricted =
                try restrictionTexts[envelope.restrictions]
                ?? RecordCoding.restrictionsColumn(envelope.restrictions) ?? ""
            restrictionTexts[envelope.restrictions] = restricted
            restrictions.append(restricted)
        }
        var stored = Set<String>()
        stored.reserveCapacity(count)
        if count > 0 {
            let rows = try await connection.query(
                """
                INSERT INTO records (id, kind, owner, status, lookup_key, envelope, body, version, review_date,
                    restrictions)
                SELECT id, kind, owner, status, NULLIF(lookup_key, ''), envelope, body, version, review_date,
                    NULLIF(restrictions, '')
                FROM unnest(\(ids)::text[], \(kinds)::text[], \(owners)::text[], \(statuses)::text[],
                    \(lookupKeys)::text[], \(envelopes)::text[], \(bodies)::text[], \(versions)::int8[],
                    \(reviewDates)::text[], \(restrictions)::text[])
                    WITH ORDINALITY
                    AS r(id, kind, owner, status, lookup_key, envelope, body, version, review_date, restrictions, n)
                ORDER BY n
                ON CONFLICT (kind, lookup_key) WHERE status = 'active' AND lookup_key IS NOT NULL DO NOTHING
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(String.self) { stored.insert(id) }
        }
        var inserted: [String] = []
        var duplicates: [Int] = []
        inserted.reserveCapacity(stored.count)
        for (position, id) in ids.enumerated() {
            if stored.contains(id) { inserted.append(id) } else { duplicates.append(position) }
        }
        let entry = try await append([batch.journal(inserted)], after: head, connection)[0]
        return InsertedBatch(duplicates: duplicates, entry: entry)
    }

    public func appendQueries(_ drafts: [JournalDraft]) async throws {
        guard !drafts.isEmpty else { return }
        try await transaction { connection in
            // The server flushes such commits within three WAL writer delays (600 ms by default).
            try await connection.query("SET LOCAL synchronous_commit = off", logger: self.logger)
            _ = try await self.append(drafts, after: try await self.lockHead(connection), connection)
        }
    }

    private func apply(_ change: Change, _ connection: PostgresConnection) async throws {
        switch change {
        case .insert(let record):
            let envelope = try RecordCoding.envelopeJSON(record.envelope)
            let body = String(decoding: record.body, as: UTF8.self)
            let restrictions = try RecordCoding.restrictionsColumn(record.envelope.restrictions)
            do {
                try await connection.query(
                    """
                    INSERT INTO records (id, kind, owner, status, lookup_key, envelope, body, version, review_date,
                        restrictions)
                    VALUES (\(record.envelope.id.rawValue), \(record.envelope.kind.rawValue),
                        \(record.envelope.owner.rawValue), \(record.envelope.status.rawValue), \(record.lookupKey),
                        \(envelope), \(body), \(record.version), \(ConcordJSON.timestamp(record.envelope.reviewDate)),
                        \(restrictions))
                    """, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "records_active_lookup" {
                throw StoreError.duplicate(lookupKey: record.lookupKey ?? "")
            }
        case .update(let record):
            let envelope = try RecordCoding.envelopeJSON(record.envelope)
            let body = String(decoding: record.body, as: UTF8.self)
            let restrictions = try RecordCoding.restrictionsColumn(record.envelope.restrictions)
            let rows = try await connection.query(
                """
                UPDATE records SET owner = \(record.envelope.owner.rawValue),
                    status = \(record.envelope.status.rawValue), lookup_key = \(record.lookupKey),
                    envelope = \(envelope), body = \(body), version = \(record.version),
                    review_date = \(ConcordJSON.timestamp(record.envelope.reviewDate)),
                    restrictions = \(restrictions)
                WHERE id = \(record.envelope.id.rawValue) AND version = \(record.version - 1)
                RETURNING id
                """, logger: logger)
            if try await rows.collect().count != 1 { throw StoreError.staleVersion(record.envelope.id) }
        case .insertKey(let key):
            try await connection.query(
                """
                INSERT INTO api_keys (id, secret_hash, role, member, label, created_at, expires_at, revoked_at,
                    agreement)
                VALUES (\(key.id), \(key.secretHash), \(key.role.rawValue), \(key.member?.rawValue), \(key.label),
                    \(key.createdAt.millisecondsSince1970), \(key.expiresAt.map(\.millisecondsSince1970)),
                    \(key.revokedAt.map(\.millisecondsSince1970)), \(key.agreement))
                """, logger: logger)
        case .revokeKey(let id, let at):
            let rows = try await connection.query(
                """
                UPDATE api_keys SET revoked_at = \(at.millisecondsSince1970)
                WHERE id = \(id) AND revoked_at IS NULL RETURNING id
                """, logger: logger)
            if try await rows.collect().count != 1 { throw StoreError.notFound("no active key \(id)") }
        case .putAgreement(let agreement):
            try await put("agreements", id: agreement.id, version: agreement.version, body: agreement, connection)
        case .putHit(let hit):
            try await put("hits", id: hit.id, version: hit.version, body: hit, connection)
        case .insertAlert(let alert):
            try await connection.query(
                """
                INSERT INTO alerts (recipient, event, hit_id, created_at, payload)
                VALUES (\(alert.recipient.rawValue), \(alert.event.rawValue), \(alert.hitID),
                    \(alert.createdAt.millisecondsSince1970), \(String(decoding: alert.payload, as: UTF8.self)))
                """, logger: logger)
        case .insertWebhook(let webhook):
            try await connection.query(
                """
                INSERT INTO webhooks (id, party, body, delivered_through)
                VALUES (\(webhook.id), \(webhook.party.rawValue), \(try RecordCoding.json(webhook)),
                    (SELECT COALESCE(MAX(seq), 0) FROM alerts WHERE recipient = \(webhook.party.rawValue)))
                """, logger: logger)
        case .removeWebhook(let id):
            let rows = try await connection.query("DELETE FROM webhooks WHERE id = \(id) RETURNING id", logger: logger)
            if try await rows.collect().count != 1 { throw StoreError.notFound("no webhook \(id)") }
        case .advanceCounter(let name, let value):
            let rows =
                if value == 1 {
                    try await connection.query(
                        """
                        INSERT INTO counters (name, value) VALUES (\(name), 1) ON CONFLICT (name) DO NOTHING
                        RETURNING name
                        """, logger: logger)
                } else {
                    try await connection.query(
                        """
                        UPDATE counters SET value = \(value) WHERE name = \(name) AND value = \(value - 1)
                        RETURNING name
                        """, logger: logger)
                }
            if try await rows.collect().count != 1 { throw StoreError.counterMoved(name) }
        case .insertAttachment(let attachment):
            try await connection.query(
                """
                INSERT INTO attachments (id, record_id, media_type, bytes, created_at)
                VALUES (\(attachment.id), \(attachment.record.rawValue), \(attachment.mediaType),
                    \(ByteBuffer(bytes: attachment.bytes)), \(attachment.createdAt.millisecondsSince1970))
                """, logger: logger)
        case .insertGatewayObjects(let objects):
            try await insertGatewayObjects(objects, connection)
        case .deleteGatewayObject(let collection, let id, let versions):
            // Every version when none are named.
            let named = versions?.map(\.nanosecondsSince1970)
            for table in ["gateway_objects", "gateway_observables"] {
                var bindings = PostgresBindings()
                bindings.append(collection)
                bindings.append(id)
                bindings.append(named ?? [])
                bindings.append(named == nil)
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            DELETE FROM \(table) WHERE collection = $1 AND object_id = $2
                            AND ($4 OR version_ns = ANY($3))
                            """, binds: bindings), logger: logger)
            }
        case .putGatewayRoot(let root):
            try await put("gateway_roots", id: root.name, version: root.version, body: root, connection)
        case .insertGatewayStatus(let status):
            try await connection.query(
                """
                INSERT INTO gateway_statuses (id, api_root, requester, body)
                VALUES (\(status.id), \(status.apiRoot), \(status.requester), \(String(decoding: status.json, as: UTF8.self)))
                """, logger: logger)
        }
    }

    /// Takes the clock row's lock first, so that writers commit in `date_added` order.
    private func insertGatewayObjects(_ objects: [GatewayObject], _ connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO counters (name, value) VALUES (\(GatewaySQL.clock), 0) ON CONFLICT (name) DO NOTHING",
            logger: logger)
        var last: Int64 = 0
        let clock = try await connection.query(
            "SELECT value FROM counters WHERE name = \(GatewaySQL.clock) FOR UPDATE", logger: logger)
        for try await value in clock.decode(Int64.self) { last = value }
        let times = GatewaySQL.nextTimes(after: last, count: objects.count)
        let added = try await connection.query(
            """
            INSERT INTO gateway_objects (collection, object_id, version_ns, version, type, spec_version, date_added,
                tlp, created_by_ref, added_by, added_by_key, recipients, protects_source, body)
            SELECT c, i, vn, v, t, s, d, NULLIF(l, ''), NULLIF(b, ''), a, k, r, p, j
            FROM unnest(\(objects.map(\.collection))::text[], \(objects.map(\.id))::text[],
                \(objects.map(\.version.nanosecondsSince1970))::bigint[], \(objects.map(\.version.text))::text[],
                \(objects.map(\.type))::text[], \(objects.map(\.specVersion))::text[], \(times)::bigint[],
                \(objects.map { $0.tlp?.rawValue ?? "" })::text[], \(objects.map { $0.createdByRef ?? "" })::text[],
                \(objects.map(\.addedBy.rawValue))::text[], \(objects.map(\.addedByKey))::text[],
                \(objects.map { $0.recipients.joined(separator: " ") })::text[], \(objects.map(\.protectsSource))::bool[],
                \(objects.map { String(decoding: $0.json, as: UTF8.self) })::text[])
                AS o(c, i, vn, v, t, s, d, l, b, a, k, r, p, j)
            ON CONFLICT (collection, object_id, version_ns) DO NOTHING
            RETURNING date_added, collection, object_id, version_ns
            """, logger: logger)
        var latest = last
        var inserted: Set<[String]> = []
        for try await (time, collection, id, version) in added.decode((Int64, String, String, Int64).self) {
            latest = max(latest, time)
            inserted.insert([collection, id, String(version)])
        }
        // Observables only of the versions just added: a version already held keeps its own.
        let observed = objects.filter {
            inserted.contains([$0.collection, $0.id, String($0.version.nanosecondsSince1970)])
        }.flatMap { object in object.observables.map { (object, $0) } }
        if !observed.isEmpty {
            try await connection.query(
                """
                INSERT INTO gateway_observables (kind, value, collection, object_id, version_ns)
                SELECT * FROM unnest(\(observed.map(\.1.kind.rawValue))::text[], \(observed.map(\.1.value))::text[],
                    \(observed.map(\.0.collection))::text[], \(observed.map(\.0.id))::text[],
                    \(observed.map(\.0.version.nanosecondsSince1970))::bigint[])
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        try await connection.query(
            "UPDATE counters SET value = \(latest) WHERE name = \(GatewaySQL.clock)", logger: logger)
    }

    /// Inserts version 1, or replaces exactly the version before.
    private func put<Body: Encodable>(
        _ table: String, id: String, version: Int, body: Body, _ connection: PostgresConnection
    ) async throws {
        let json = try RecordCoding.json(body)
        if version == 1 {
            try await connection.query(
                "INSERT INTO \(unescaped: table) (id, body, version) VALUES (\(id), \(json), 1)", logger: logger)
        } else {
            let rows = try await connection.query(
                """
                UPDATE \(unescaped: table) SET body = \(json), version = \(version)
                WHERE id = \(id) AND version = \(version - 1) RETURNING id
                """, logger: logger)
            if try await rows.collect().count != 1 { throw StoreError.staleVersion(RecordID(rawValue: id)) }
        }
    }

    /// Locks the journal head for the rest of the transaction, so writers on every node take
    /// turns at the end of the one chain.
    private func lockHead(_ connection: PostgresConnection) async throws -> JournalHead {
        var head = JournalHead(position: 0, hash: JournalChain.genesis)
        for try await (position, hash) in try await connection.query(
            "SELECT position, hash FROM journal_head WHERE id = 1 FOR UPDATE", logger: logger
        ).decode((Int64, String).self) {
            head = JournalHead(position: position, hash: hash)
        }
        return head
    }

    /// Seals drafts onto the chain after the locked head.
    private func append(
        _ drafts: [JournalDraft], after head: JournalHead, _ connection: PostgresConnection
    ) async throws -> [JournalEntry] {
        let entries = JournalChain.seal(drafts, after: head.position, previousHash: head.hash)
        for entry in entries {
            let draft = entry.draft
            let targets = try RecordCoding.targetsJSON(draft.targets)
            try await connection.query(
                """
                INSERT INTO journal (position, category, time, actor, role, member, action, targets, purpose,
                    outcome, previous_hash, hash)
                VALUES (\(entry.position), \(draft.category.rawValue), \(draft.time), \(draft.actor), \(draft.role),
                    \(draft.member), \(draft.action), \(targets), \(draft.purpose), \(draft.outcome),
                    \(entry.previousHash), \(entry.hash))
                """, logger: logger)
        }
        if let last = entries.last {
            try await connection.query(
                "UPDATE journal_head SET position = \(last.position), hash = \(last.hash) WHERE id = 1",
                logger: logger)
        }
        return entries
    }

    // MARK: Reads

    public func record(_ id: RecordID) async throws -> StoredRecord? {
        let rows = try await client.query(
            "SELECT seq, lookup_key, envelope, body, version FROM records WHERE id = \(id.rawValue)", logger: logger)
        return try await PostgresStore.records(rows).first?.record
    }

    public func records(ids: [RecordID]) async throws -> [StoredRecord] {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT seq, lookup_key, envelope, body, version FROM records
            WHERE id = ANY(\(ids.map(\.rawValue))::text[])
            """, logger: logger)
        return try await PostgresStore.records(rows).map(\.record)
    }

    public func records(kind: RecordKind, after cursor: Int64, limit: Int) async throws -> RecordPage {
        let rows = try await client.query(
            """
            SELECT seq, lookup_key, envelope, body, version FROM records
            WHERE kind = \(kind.rawValue) AND seq > \(cursor) ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        let records = try await PostgresStore.records(rows)
        return RecordPage(records: records.map(\.record), next: records.count == limit ? records.last?.seq : nil)
    }

    /// The columns of an index row; the review date as Unix seconds, computed by PostgreSQL.
    private static let indexRowColumns = """
        seq, id, lookup_key, owner, restrictions,
            extract(epoch FROM review_date::timestamptz)::float8, status
        """

    public func documentIndexRows(
        after cursor: Int64, through last: Int64, limit: Int
    ) async throws
        -> DocumentIndexPage
    {
        let rows = try await client.query(
            """
            SELECT \(unescaped: PostgresStore.indexRowColumns) FROM records
            WHERE kind = \(RecordKind.travelDocument.rawValue) AND status = 'active'
                AND seq > \(cursor) AND seq <= \(last)
            ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        var page: [DocumentIndexRow] = []
        page.reserveCapacity(limit)
        let lastSequence = try await PostgresStore.indexRows(rows) { page.append($0) }
        return DocumentIndexPage(rows: page, next: page.count == limit ? lastSequence : nil)
    }

    public func documentIndexRows(ids: [RecordID]) async throws -> [DocumentIndexRow] {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query(
            """
            SELECT \(unescaped: PostgresStore.indexRowColumns) FROM records
            WHERE kind = \(RecordKind.travelDocument.rawValue) AND id = ANY(\(ids.map(\.rawValue))::text[])
            """, logger: logger)
        var found: [DocumentIndexRow] = []
        try await PostgresStore.indexRows(rows) { found.append($0) }
        return found
    }

    @discardableResult
    private static func indexRows(
        _ rows: PostgresRowSequence, _ body: (DocumentIndexRow) -> Void
    ) async throws -> Int64? {
        var reader = RecordCoding.IndexRowReader()
        var last: Int64?
        for try await (seq, id, lookupKey, owner, restrictions, reviewSeconds, status) in rows.decode(
            (Int64, String, String?, String, String?, Double, String).self)
        {
            last = seq
            body(
                try reader.row(
                    uuidBits: RecordID(rawValue: id).uuidBits, id: id,
                    key: lookupKey.flatMap(DocumentKey.init(lookupKey:)), lookupKey: lookupKey ?? "",
                    owner: owner, restrictions: restrictions, reviewSeconds: reviewSeconds, status: status))
        }
        return last
    }

    public func recordsDue(
        kind: RecordKind, owner: MemberCode, before date: Date, after cursor: String?, limit: Int
    ) async throws -> DuePage {
        let (afterDate, afterSeq) = try RecordCoding.dueCursor(cursor)
        let rows = try await client.query(
            """
            SELECT seq, lookup_key, envelope, body, version FROM records
            WHERE kind = \(kind.rawValue) AND owner = \(owner.rawValue) AND status = 'active'
                AND review_date < \(ConcordJSON.timestamp(date)) AND (review_date, seq) > (\(afterDate), \(afterSeq))
            ORDER BY review_date, seq LIMIT \(limit)
            """, logger: logger)
        let records = try await PostgresStore.records(rows)
        let next =
            records.count == limit
            ? records.last.map {
                RecordCoding.dueCursor(reviewDate: ConcordJSON.timestamp($0.record.envelope.reviewDate), seq: $0.seq)
            } : nil
        return DuePage(records: records.map(\.record), next: next)
    }

    private static func records(_ rows: PostgresRowSequence) async throws -> [(seq: Int64, record: StoredRecord)] {
        var result: [(Int64, StoredRecord)] = []
        for try await (seq, lookupKey, envelope, body, version) in rows.decode(
            (Int64, String?, String, String, Int).self)
        {
            result.append(
                (
                    seq,
                    StoredRecord(
                        envelope: try RecordCoding.envelope(envelope), lookupKey: lookupKey, body: Data(body.utf8),
                        version: version)
                ))
        }
        return result
    }

    public func journal(
        after position: Int64, limit: Int, category: JournalDraft.Category?
    ) async throws
        -> [JournalEntry]
    {
        let columns =
            "position, category, time, actor, role, member, action, targets, purpose, outcome, "
            + "previous_hash, hash"
        let rows: PostgresRowSequence
        if let category {
            rows = try await client.query(
                """
                SELECT \(unescaped: columns) FROM journal WHERE position > \(position)
                AND category = \(category.rawValue) ORDER BY position LIMIT \(limit)
                """, logger: logger)
        } else {
            rows = try await client.query(
                """
                SELECT \(unescaped: columns) FROM journal WHERE position > \(position)
                ORDER BY position LIMIT \(limit)
                """, logger: logger)
        }
        var entries: [JournalEntry] = []
        for try await row in rows {
            let (position, category, time, actor, role, member, action, targets, purpose, outcome, previous, hash) =
                try row.decode(
                    (
                        Int64, String, Int64, String, String?, String?, String, String, String?, String, String,
                        String
                    ).self)
            guard let category = JournalDraft.Category(rawValue: category) else {
                throw StoreError.corrupt("journal entry \(position) has an unknown category")
            }
            entries.append(
                JournalEntry(
                    position: position,
                    draft: JournalDraft(
                        category: category, time: time, actor: actor, role: role, member: member, action: action,
                        targets: try RecordCoding.targets(targets), purpose: purpose, outcome: outcome),
                    previousHash: previous, hash: hash))
        }
        return entries
    }

    public func lastRecordSequence() async throws -> Int64 {
        let rows = try await client.query("SELECT coalesce(max(seq), 0)::int8 FROM records", logger: logger)
        for try await last in rows.decode(Int64.self) { return last }
        return 0
    }

    public func journalHead() async throws -> JournalHead? {
        let rows = try await client.query("SELECT position, hash FROM journal_head WHERE id = 1", logger: logger)
        for try await (position, hash) in rows.decode((Int64, String).self) where position > 0 {
            return JournalHead(position: position, hash: hash)
        }
        return nil
    }

    public func apiKey(secretHash: String) async throws -> APIKeyRecord? {
        try await apiKeys(
            try await client.query(
                "SELECT \(unescaped: PostgresStore.keyColumns) FROM api_keys WHERE secret_hash = \(secretHash)",
                logger: logger)
        ).first
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await apiKeys(
            try await client.query(
                "SELECT \(unescaped: PostgresStore.keyColumns) FROM api_keys WHERE id = \(id)", logger: logger)
        ).first
    }

    public func apiKeys() async throws -> [APIKeyRecord] {
        try await apiKeys(
            try await client.query(
                "SELECT \(unescaped: PostgresStore.keyColumns) FROM api_keys ORDER BY created_at, id", logger: logger))
    }

    private static let keyColumns =
        "id, secret_hash, role, member, label, created_at, expires_at, revoked_at, agreement"

    private func apiKeys(_ rows: PostgresRowSequence) async throws -> [APIKeyRecord] {
        var keys: [APIKeyRecord] = []
        for try await (id, secretHash, role, member, label, createdAt, expiresAt, revokedAt, agreement)
            in rows.decode((String, String, String, String?, String?, Int64, Int64?, Int64?, String?).self)
        {
            guard let role = Role(rawValue: role) else { throw StoreError.corrupt("key \(id) has an unknown role") }
            var memberCode: MemberCode?
            if let member {
                guard let code = MemberCode(member) else {
                    throw StoreError.corrupt("key \(id) has an unknown member")
                }
                memberCode = code
            }
            keys.append(
                APIKeyRecord(
                    id: id, secretHash: secretHash, role: role, member: memberCode, label: label,
                    createdAt: Date(millisecondsSince1970: createdAt),
                    expiresAt: expiresAt.map(Date.init(millisecondsSince1970:)),
                    revokedAt: revokedAt.map(Date.init(millisecondsSince1970:)),
                    agreement: agreement))
        }
        return keys
    }

    // MARK: Agreements, hits, alerts

    public func agreement(id: String) async throws -> Agreement? {
        try await bodies(
            try await client.query("SELECT body FROM agreements WHERE id = \(id)", logger: logger), Agreement.self
        ).first
    }

    public func agreements() async throws -> [Agreement] {
        try await bodies(
            try await client.query("SELECT body FROM agreements ORDER BY id", logger: logger), Agreement.self)
    }

    public func hit(id: String) async throws -> Hit? {
        try await bodies(try await client.query("SELECT body FROM hits WHERE id = \(id)", logger: logger), Hit.self)
            .first
    }

    private func bodies<Value: Decodable>(_ rows: PostgresRowSequence, _: Value.Type) async throws -> [Value] {
        var values: [Value] = []
        for try await body in rows.decode(String.self) {
            values.append(try RecordCoding.decode(Value.self, body, "\(Value.self)"))
        }
        return values
    }

    public func hits(for party: Party, before cursor: Int64?, limit: Int) async throws -> [(sequence: Int64, hit: Hit)]
    {
        let rows = try await client.query(
            """
            SELECT alerts.seq, hits.body FROM alerts JOIN hits ON hits.id = alerts.hit_id
            WHERE alerts.recipient = \(party.rawValue) AND alerts.event = \(AlertEvent.hitCreated.rawValue)
                AND alerts.seq < \(cursor ?? Int64.max)
            ORDER BY alerts.seq DESC LIMIT \(limit)
            """, logger: logger)
        var hits: [(sequence: Int64, hit: Hit)] = []
        for try await (sequence, body) in rows.decode((Int64, String).self) {
            hits.append((sequence, try RecordCoding.decode(Hit.self, body, "hit")))
        }
        return hits
    }

    public func alerts(for party: Party, after sequence: Int64, limit: Int) async throws -> [Alert] {
        let rows = try await client.query(
            """
            SELECT seq, recipient, event, hit_id, created_at, payload FROM alerts
            WHERE recipient = \(party.rawValue) AND seq > \(sequence) ORDER BY seq LIMIT \(limit)
            """, logger: logger)
        var alerts: [Alert] = []
        for try await (seq, recipient, event, hitID, createdAt, payload) in rows.decode(
            (Int64, String, String, String?, Int64, String).self)
        {
            alerts.append(
                Alert(
                    sequence: seq,
                    draft: AlertDraft(
                        recipient: try RecordCoding.party(recipient), event: try RecordCoding.event(event),
                        hitID: hitID, createdAt: Date(millisecondsSince1970: createdAt),
                        payload: Data(payload.utf8))))
        }
        return alerts
    }

    public func webhooks(party: Party?) async throws -> [WebhookState] {
        let rows = try await client.query(
            """
            SELECT body, delivered_through, failures, next_attempt_at, last_error FROM webhooks
            WHERE \(party?.rawValue)::text IS NULL OR party = \(party?.rawValue) ORDER BY id
            """, logger: logger)
        var webhooks: [WebhookState] = []
        for try await (body, deliveredThrough, failures, nextAttemptAt, lastError) in rows.decode(
            (String, Int64, Int32, Int64?, String?).self)
        {
            webhooks.append(
                WebhookState(
                    webhook: try RecordCoding.decode(Webhook.self, body, "webhook"),
                    progress: WebhookProgress(
                        deliveredThrough: deliveredThrough, failures: Int(failures),
                        nextAttemptAt: nextAttemptAt.map(Date.init(millisecondsSince1970:)), lastError: lastError)))
        }
        return webhooks
    }

    public func recordDelivery(webhook id: String, _ progress: WebhookProgress) async throws {
        try await client.query(
            """
            UPDATE webhooks SET delivered_through = \(progress.deliveredThrough), failures = \(Int32(progress.failures)),
                next_attempt_at = \(progress.nextAttemptAt.map(\.millisecondsSince1970)),
                last_error = \(progress.lastError)
            WHERE id = \(id)
            """, logger: logger)
    }

    public func counter(_ name: String) async throws -> Int64 {
        let rows = try await client.query("SELECT value FROM counters WHERE name = \(name)", logger: logger)
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }

    public func attachments(of record: RecordID) async throws -> [RecordAttachment] {
        let rows = try await client.query(
            """
            SELECT id, media_type, bytes, created_at FROM attachments
            WHERE record_id = \(record.rawValue) ORDER BY created_at, id
            """, logger: logger)
        var found: [RecordAttachment] = []
        for try await (id, mediaType, bytes, createdAt) in rows.decode((String, String, ByteBuffer, Int64).self) {
            found.append(
                RecordAttachment(
                    id: id, record: record, mediaType: mediaType, bytes: Data(bytes.readableBytesView),
                    createdAt: Date(millisecondsSince1970: createdAt)))
        }
        return found
    }

    public func gatewayObjects(_ query: GatewayQuery) async throws -> GatewayPage {
        let (sql, binds) = GatewaySQL.select(query) { "$\($0)" }
        var bindings = PostgresBindings()
        for bind in binds {
            switch bind {
            case .text(let value): bindings.append(value)
            case .integer(let value): bindings.append(value)
            }
        }
        return GatewaySQL.page(try await gatewayObjects(sql, binds), limit: query.limit)
    }

    public func gatewayObjects(
        observedAs kind: ObservableKind, values: [String], limit: Int
    ) async throws
        -> [GatewayObject]
    {
        let (sql, binds) = GatewaySQL.selectObserved(kind: kind, values: values, limit: limit) { "$\($0)" }
        return try await gatewayObjects(sql, binds)
    }

    private func gatewayObjects(_ sql: String, _ binds: [GatewaySQL.Bind]) async throws -> [GatewayObject] {
        var bindings = PostgresBindings()
        for bind in binds {
            switch bind {
            case .text(let value): bindings.append(value)
            case .integer(let value): bindings.append(value)
            }
        }
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var objects: [GatewayObject] = []
        for try await row in rows {
            let (collection, id, type, specVersion, version, dateAdded, tlp) = try row.decode(
                (String, String, String, String, String, Int64, String?).self)
            let columns = row.makeRandomAccess()
            objects.append(
                try GatewaySQL.object(
                    collection: collection, id: id, type: type, specVersion: specVersion, version: version,
                    dateAdded: dateAdded, tlp: tlp, createdByRef: try columns[7].decode(String?.self),
                    addedBy: try columns[8].decode(String.self), addedByKey: try columns[9].decode(String.self),
                    recipients: try columns[10].decode(String.self), protectsSource: try columns[11].decode(Bool.self),
                    body: Array(try columns[12].decode(String.self).utf8)))
        }
        return objects
    }

    public func gatewayRoots() async throws -> [GatewayRoot] {
        try await bodies(
            try await client.query("SELECT body FROM gateway_roots ORDER BY id", logger: logger), GatewayRoot.self)
    }

    public func gatewayStatus(id: String) async throws -> GatewayStatusRecord? {
        let rows = try await client.query(
            "SELECT api_root, requester, body FROM gateway_statuses WHERE id = \(id)", logger: logger)
        for try await (apiRoot, requester, body) in rows.decode((String, String, String).self) {
            return GatewayStatusRecord(id: id, apiRoot: apiRoot, requester: requester, json: Array(body.utf8))
        }
        return nil
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    /// Runs `body` in a transaction and rethrows the error that caused a rollback, not the wrapper.
    private func transaction<Result: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let cause = error.closureError ?? error.commitError ?? error.beginError { throw cause }
            throw error
        }
    }
}
