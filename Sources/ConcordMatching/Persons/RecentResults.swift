import Synchronization

/// A bounded memo of a pure function's recent results, shared by every thread. It is emptied
/// when full, which bounds it without bookkeeping: what is in use comes back at once.
final class RecentResults<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let results = Mutex<[Key: Value]>([:])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func value(for key: Key, computing make: () -> Value) -> Value {
        if let value = results.withLock({ $0[key] }) { return value }
        let value = make()
        results.withLock { results in
            if results.count >= limit { results.removeAll(keepingCapacity: true) }
            results[key] = value
        }
        return value
    }

    func removeAll() {
        results.withLock { $0.removeAll() }
    }
}
