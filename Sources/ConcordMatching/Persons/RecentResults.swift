import Foundation
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

    /// Forgets every result; the room stays, as it would in a cache that has been in use.
    func removeAll() {
        results.withLock { $0.removeAll(keepingCapacity: true) }
    }
}

/// Text as a key by its exact UTF-8 bytes. String hashing and equality follow Unicode canonical
/// equivalence, which costs a normalisation pass on every lookup of text that is not ASCII;
/// a cache keyed by what was written needs none (two spellings of one text are two entries).
struct ExactText: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (left: ExactText, right: ExactText) -> Bool {
        let count = left.text.utf8.count
        guard count == right.text.utf8.count else { return false }
        var (a, b) = (left.text, right.text)
        return a.withUTF8 { a in b.withUTF8 { b in count == 0 || memcmp(a.baseAddress!, b.baseAddress!, count) == 0 } }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
