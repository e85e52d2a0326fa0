import ConcordCore
import ConcordStore
import Synchronization

/// Keys recently presented, so that a request does not cost a store read. A key revoked
/// through this node is dropped at once; one revoked elsewhere (another node, the CLI) stops
/// working within `lifetime`. Expiry is judged on every request from the cached record.
public final class APIKeyCache: Sendable {
    private struct Entry {
        var record: APIKeyRecord?
        var loaded: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Duration
    /// Unknown keys are remembered too, so a client retrying a bad key cannot load the store;
    /// the table is emptied when it grows past this.
    static let capacity = 10_000

    public init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    func key(secretHash: String, store: any Store) async throws -> APIKeyRecord? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[secretHash] }), now - entry.loaded < lifetime { return entry.record }
        let record = try await store.apiKey(secretHash: secretHash)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[secretHash] = Entry(record: record, loaded: now)
        }
        return record
    }

    func forget(id: String) {
        entries.withLock { entries in
            for (hash, entry) in entries where entry.record?.id == id { entries[hash] = nil }
        }
    }
}
