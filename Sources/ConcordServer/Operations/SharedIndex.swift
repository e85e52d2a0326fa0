#if canImport(Glibc)
import Glibc
#endif

/// An in-memory index that many requests read at once and its follower changes now and then.
///
/// A match against ten million signatures, or a screening of a passenger list, reads its index
/// for a good part of a second. Under a mutex every other request would wait that long, and one
/// core would do all the matching; here readers share the lock. A writer that is waiting goes
/// before readers that arrive after it, so a stream of requests cannot keep the index from
/// following the journal.
///
/// The index is never copied out from under the lock: copying a value that shares storage and
/// then changing it would copy hundreds of megabytes.
final class SharedIndex<Value>: @unchecked Sendable {
    // Guarded by `lock`: read under a shared hold, written under an exclusive one.
    private var value: Value
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init(_ value: Value) {
        self.value = value
        lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func read<Result>(_ body: (Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    func write<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value)
    }
}
