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
///
/// With a snapshot path, the node starts from the snapshot file when it holds a valid snapshot
/// of this store's journal and catches up from there; otherwise it reads every document from
/// the store. The snapshot is written again when the follower stops and on request.
public final class DocumentIndexFollower: Service, Sendable {
    private let store: any Store
    private let index = Mutex(DocumentIndex())
    /// The last journal entry the index reflects.
    private let position = Mutex(DocumentIndex.SnapshotPosition(journalPosition: 0, journalHash: ""))
    private let queue = SerialQueue()
    private let pollInterval: Duration
    private let snapshotPath: String?
    private let logger: Logger
    private let loadPageSize: Int
    /// A store larger than the page cache is read from the disk one page at a time per
    /// stripe, and a virtual disk answers several reads at once almost as fast as one (here,
    /// 27,000 random 4 KB reads a second one at a time, 111,000 sixteen at a time). Eight
    /// stripes keep the disk busy; they cost nothing when the store is in memory.
    private static let loadStripes = 8

    public init(
        store: any Store, pollInterval: Duration = .seconds(1), snapshotPath: String? = nil, loadPageSize: Int = 20_000,
        logger: Logger
    ) {
        self.store = store
        self.loadPageSize = loadPageSize
        self.pollInterval = pollInterval
        self.snapshotPath = snapshotPath
        self.logger = logger
    }

    public enum Source: Sendable, Equatable {
        case snapshot
        case store
    }

    /// Builds the index, from the snapshot if there is a usable one, else from the store.
    @discardableResult
    public func load() async throws -> Source {
        if let snapshotPath, try await loadSnapshot(from: snapshotPath) { return .snapshot }
        try await loadFromStore()
        return .store
    }

    /// Builds the index from every stored document. The head is read first: anything written
    /// while loading is applied again by the next catch-up, which is harmless, and puts right a
    /// record read before its last change. The records are read in `loadStripes` ranges of their
    /// sequence at once, each with its next page in flight while one page is gathered, and each
    /// page's entries are prepared where it was read: reading and preparing are most of the work,
    /// and so have every core, while the builder only files entries away.
    public func loadFromStore() async throws {
        let started = ContinuousClock.now
        let head = try await store.journalHead()
        let last = try await store.lastRecordSequence()
        let (store, pageSize) = (self.store, loadPageSize)
        typealias Page = (entries: [DocumentIndex.Builder.Prepared], next: Int64?)
        func read(after cursor: Int64, through end: Int64) -> Task<Page, any Error> {
            Task {
                let page = try await store.documentIndexRows(after: cursor, through: end, limit: pageSize)
                let entries = page.rows.map {
                    DocumentIndex.Builder.Prepared(
                        uuidBits: $0.uuidBits, key: $0.key, owner: $0.owner, restrictions: $0.restrictions,
                        reviewDate: $0.reviewDate)
                }
                return (entries, page.next)
            }
        }
        // Stripe n reads the sequences after bounds[n] through bounds[n + 1].
        let stripes = Int64(Self.loadStripes)
        let bounds = (0...stripes).map { last * $0 / stripes }
        var reading: [Task<Page, any Error>?] = (0..<Self.loadStripes).map {
            read(after: bounds[$0], through: bounds[$0 + 1])
        }
        defer { for task in reading { task?.cancel() } }
        // The last sequence bounds the number of documents: every record took one.
        var builder = DocumentIndex.Builder(expectedCount: Int(last))
        // The stripes take turns rather than first come first served: each keeps one page in
        // flight, so memory holds a few pages however fast the store answers.
        while reading.contains(where: { $0 != nil }) {
            for stripe in reading.indices {
                guard let task = reading[stripe] else { continue }
                let page = try await task.value
                reading[stripe] = page.next.map { read(after: $0, through: bounds[stripe + 1]) }
                for entry in page.entries { builder.add(entry) }
            }
        }
        var fresh = builder.build()
        let documents = fresh.count
        // Swapped in rather than copied, so the follower holds the only reference to every
        // segment and its writes need not copy any.
        index.withLock { swap(&$0, &fresh) }
        position.withLock {
            $0 = DocumentIndex.SnapshotPosition(journalPosition: head?.position ?? 0, journalHash: head?.hash ?? "")
        }
        logger.info(
            "document index loaded from the store",
            metadata: [
                "documents": "\(documents)", "journal": "\(head?.position ?? 0)",
                "seconds": "\(Self.seconds(since: started))",
            ])
    }

    /// Whether the index now comes from the snapshot. A missing, damaged or foreign snapshot
    /// is logged and ignored: the store is the truth, and loading from it always works.
    private func loadSnapshot(from path: String) async throws -> Bool {
        let started = ContinuousClock.now
        var snapshot: (index: DocumentIndex, position: DocumentIndex.SnapshotPosition)
        do {
            guard let read = try DocumentIndexSnapshotFile.read(from: path) else {
                logger.info("no document index snapshot yet", metadata: ["path": "\(path)"])
                return false
            }
            snapshot = read
        } catch {
            logger.warning(
                "document index snapshot refused; loading from the store",
                metadata: ["path": "\(path)", "error": "\(error)"])
            return false
        }
        guard try await isInJournal(snapshot.position) else {
            logger.warning(
                "document index snapshot does not match this store's journal; loading from the store",
                metadata: ["path": "\(path)", "journal": "\(snapshot.position.journalPosition)"])
            return false
        }
        let documents = snapshot.index.count
        index.withLock { swap(&$0, &snapshot.index) }
        position.withLock { $0 = snapshot.position }
        logger.info(
            "document index loaded from the snapshot",
            metadata: [
                "documents": "\(documents)", "journal": "\(snapshot.position.journalPosition)",
                "seconds": "\(Self.seconds(since: started))",
            ])
        try await catchUp()
        return true
    }

    /// Whether the journal entry at the snapshot's position is the one the snapshot saw, so a
    /// snapshot from another store, or from before a restore, is not mistaken for this one.
    private func isInJournal(_ position: DocumentIndex.SnapshotPosition) async throws -> Bool {
        guard position.journalPosition > 0 else { return true }
        let entry = try await store.journal(after: position.journalPosition - 1, limit: 1, category: nil).first
        return entry?.position == position.journalPosition && entry?.hash == position.journalHash
    }

    /// Writes the snapshot file, if the follower has a path for one. The copy is taken between
    /// two catch-ups, so it and its journal position agree; it shares its segments with the
    /// live index, which copies only those it changes while the file is written.
    @discardableResult
    public func writeSnapshot() async throws -> Bool {
        guard let snapshotPath else { return false }
        let (copy, at) = try await queue.run { (self.index.withLock { $0 }, self.position.withLock { $0 }) }
        let started = ContinuousClock.now
        let bytes = try DocumentIndexSnapshotFile.write(copy, at: at, to: snapshotPath)
        logger.info(
            "document index snapshot written",
            metadata: [
                "path": "\(snapshotPath)", "documents": "\(copy.count)", "bytes": "\(bytes)",
                "journal": "\(at.journalPosition)", "seconds": "\(Self.seconds(since: started))",
            ])
        return true
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return "\(Double(milliseconds) / 1000)"
    }

    /// Applies every write journaled since the last catch-up. Catch-ups run one at a time: two
    /// running together could read a record's states out of order and leave the older one.
    public func catchUp() async throws {
        try await queue.run {
            while true {
                let after = self.position.withLock { $0.journalPosition }
                let entries = try await self.store.journal(after: after, limit: 1000, category: .write)
                for entry in entries {
                    try await self.refresh(entry.draft.targets.map(RecordID.init(rawValue:)))
                    self.position.withLock {
                        $0 = DocumentIndex.SnapshotPosition(journalPosition: entry.position, journalHash: entry.hash)
                    }
                }
                if entries.count < 1000 { return }
            }
        }
    }

    /// Reads an entry's records in one go: a bulk import journals ten thousand per entry, and one
    /// query each would make catching up with a large import take longer than the import.
    private func refresh(_ ids: [RecordID]) async throws {
        guard !ids.isEmpty else { return }
        let rows = try await store.documentIndexRows(ids: ids)
        index.withLock { index in
            for row in rows {
                if row.isActive {
                    index.upsert(
                        id: row.id, key: row.key, owner: row.owner, restrictions: row.restrictions,
                        reviewDate: row.reviewDate)
                } else {
                    index.remove(id: row.id, key: row.key)
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

    /// Candidates for each key of a batch, under one lock and with the batch lookup, whose
    /// memory reads overlap.
    public func candidates(forEach keys: [DocumentKey]) -> [[DocumentIndex.Candidate]] {
        index.withLock { index in
            var found = [[DocumentIndex.Candidate]](repeating: [], count: keys.count)
            index.forEachCandidate(ofEach: keys) { position, candidate in found[position].append(candidate) }
            return found
        }
    }

    public var count: Int { index.withLock { $0.count } }

    public func run() async throws {
        await repeatUntilShutdown(
            every: pollInterval, logger: logger, failure: "document index could not follow the journal"
        ) { try await self.catchUp() }
        do {
            try await writeSnapshot()
        } catch {
            logger.error("document index snapshot not written", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs jobs one after another, in the order they were submitted.
actor SerialQueue {
    private var tail: Task<Void, Never>?

    func run<Result: Sendable>(_ job: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let previous = tail
        let task = Task {
            await previous?.value
            return try await job()
        }
        tail = Task { _ = await task.result }
        return try await task.value
    }
}
