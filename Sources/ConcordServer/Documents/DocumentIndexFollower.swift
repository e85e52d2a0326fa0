import ConcordCore
import ConcordMatching
import ConcordStore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the in-memory document index in step with the store by following the journal's
/// write entries. Local writes call `catchUp()` before they answer, so a document recorded a
/// moment ago is found at once; the polling loop picks up writes made by other nodes or by
/// the CLI on the same data folder.
public final class DocumentIndexFollower: Service, Sendable {
    private let store: any Store
    private let index = Mutex(DocumentIndex())
    private let position = Mutex<Int64>(0)
    private let queue = SerialQueue()
    private let pollInterval: Duration
    private let logger: Logger

    public init(store: any Store, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Builds the index from every stored document. The head is read first: anything written
    /// while loading is applied again by the next catch-up, which is harmless.
    public func load() async throws {
        let head = try await store.journalHead()?.position ?? 0
        var fresh = DocumentIndex()
        var cursor: Int64 = 0
        while true {
            let page = try await store.records(kind: .travelDocument, after: cursor, limit: 10_000)
            for stored in page.records where stored.envelope.status == .active {
                let record = try TravelDocumentRecord(stored)
                fresh.upsert(
                    id: record.envelope.id, key: try record.document.key, owner: record.envelope.owner,
                    restrictions: record.envelope.restrictions, reviewDate: record.envelope.reviewDate)
            }
            guard let next = page.next else { break }
            cursor = next
        }
        let loaded = fresh
        index.withLock { $0 = loaded }
        position.withLock { $0 = head }
        logger.info("document index loaded", metadata: ["documents": "\(loaded.count)", "journal": "\(head)"])
    }

    /// Applies every write journaled since the last catch-up. Catch-ups run one at a time: two
    /// running together could read a record's states out of order and leave the older one.
    public func catchUp() async throws {
        try await queue.run {
            while true {
                let after = self.position.withLock { $0 }
                let entries = try await self.store.journal(after: after, limit: 1000, category: .write)
                for entry in entries {
                    try await self.refresh(entry.draft.targets.map(RecordID.init(rawValue:)))
                    self.position.withLock { $0 = entry.position }
                }
                if entries.count < 1000 { return }
            }
        }
    }

    /// Reads an entry's records in one go: a bulk import journals ten thousand per entry, and one
    /// query each would make catching up with a large import take longer than the import.
    private func refresh(_ ids: [RecordID]) async throws {
        guard !ids.isEmpty else { return }
        var changes: [(record: TravelDocumentRecord, key: DocumentKey)] = []
        for stored in try await store.records(ids: ids) where stored.envelope.kind == .travelDocument {
            let record = try TravelDocumentRecord(stored)
            changes.append((record, try record.document.key))
        }
        index.withLock { index in
            for (record, key) in changes {
                let envelope = record.envelope
                if envelope.status == .active {
                    index.upsert(
                        id: envelope.id, key: key, owner: envelope.owner, restrictions: envelope.restrictions,
                        reviewDate: envelope.reviewDate)
                } else {
                    index.remove(id: envelope.id, key: key)
                }
            }
        }
    }

    /// Candidates for a key, read under the lock without copying the index.
    public func candidates(for key: DocumentKey) -> [DocumentIndex.Candidate] {
        index.withLock { index in
            var found: [DocumentIndex.Candidate] = []
            index.forEachCandidate(of: key) { found.append($0) }
            return found
        }
    }

    public var count: Int { index.withLock { $0.count } }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.pollInterval) }
            } catch {
                return
            }
            do {
                try await catchUp()
            } catch {
                logger.error("document index could not follow the journal", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Runs jobs one after another, in the order they were submitted.
actor SerialQueue {
    private var tail: Task<Void, any Error>?

    func run(_ job: @escaping @Sendable () async throws -> Void) async throws {
        let previous = tail
        let task = Task {
            _ = await previous?.result
            try await job()
        }
        tail = task
        try await task.value
    }
}
