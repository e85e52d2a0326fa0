import ConcordCore
import ConcordMatching
import ConcordStore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the in-memory signature index in step with the store by following the journal's
/// write entries, like the document index: local writes catch up before they answer, the
/// polling loop brings in writes of other nodes and of the CLI. A withdrawn signature leaves
/// the index, so it stops matching at once.
public final class SignatureIndexFollower: Service, Sendable {
    private let store: any Store
    private let index = SharedIndex(SignatureIndex())
    /// The last journal entry the index reflects.
    private let position = Mutex<Int64>(0)
    private let queue = SerialQueue()
    private let pollInterval: Duration
    private let logger: Logger
    private static let pageSize = 10_000

    public init(store: any Store, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Builds the index from every active signature. The head is read first: what is written
    /// meanwhile is applied again by the next catch-up, which is harmless.
    public func load() async throws {
        try await queue.run {
            let head = try await self.store.journalHead()?.position ?? 0
            var entries: [SignatureIndex.Entry] = []
            var cursor: Int64 = 0
            while true {
                let page = try await self.store.records(kind: .imageSignature, after: cursor, limit: Self.pageSize)
                for stored in page.records where stored.envelope.status == .active {
                    entries.append(Self.entry(try SignatureRecord(stored)))
                }
                guard let next = page.next else { break }
                cursor = next
            }
            var fresh = SignatureIndex(entries)
            self.index.write { swap(&$0, &fresh) }
            self.position.withLock { $0 = head }
            self.logger.info(
                "signature index loaded from the store",
                metadata: ["signatures": "\(entries.count)", "journal": "\(head)"])
        }
    }

    /// Applies every write journaled since the last catch-up, one catch-up at a time.
    public func catchUp() async throws {
        try await queue.run {
            while true {
                let after = self.position.withLock { $0 }
                let entries = try await self.store.journal(after: after, limit: 1000, category: .write)
                for entry in entries {
                    let ids = entry.draft.targets.map(RecordID.init(rawValue:))
                    if !ids.isEmpty {
                        let records = try await self.store.records(ids: ids).filter {
                            $0.envelope.kind == .imageSignature
                        }
                        try self.refresh(records)
                    }
                    self.position.withLock { $0 = entry.position }
                }
                if entries.count < 1000 { return }
            }
        }
    }

    private func refresh(_ records: [StoredRecord]) throws {
        guard !records.isEmpty else { return }
        let signatures = try records.map(SignatureRecord.init)
        index.write { index in
            // Withdrawals first, so that a value withdrawn and shared again within one entry stays.
            for record in signatures where record.envelope.status != .active {
                index.remove(type: record.signature.type, value: record.signature.value, id: record.envelope.id)
            }
            for record in signatures where record.envelope.status == .active {
                index.upsert(Self.entry(record))
            }
        }
        // Matching goes on while the tables are worked out, under a shared hold; only putting
        // them in place takes the index from it.
        if index.read(\.wantsPDQRebuild) {
            let tables = index.read { $0.rebuiltPDQTables() }
            index.write { $0.install(tables) }
        }
    }

    static func entry(_ record: SignatureRecord) -> SignatureIndex.Entry {
        SignatureIndex.Entry(
            id: record.envelope.id, type: record.signature.type, value: record.signature.value,
            category: record.signature.category, reviewDate: record.envelope.reviewDate)
    }

    /// Reads the index under its lock, shared with other readers, without copying it.
    public func read<Result: Sendable>(_ body: (SignatureIndex) -> Result) -> Result {
        index.read(body)
    }

    public var count: Int { index.read { $0.count } }

    public func run() async throws {
        await repeatUntilShutdown(
            every: pollInterval, logger: logger, failure: "signature index could not follow the journal"
        ) { try await self.catchUp() }
    }
}
