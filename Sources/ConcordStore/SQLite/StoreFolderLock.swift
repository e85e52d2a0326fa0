import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Who has a data folder's store open, as an advisory lock on a file beside the database. Every
/// open store holds it shared; compaction alone holds it exclusively, since it rewrites the whole
/// file under the write lock for minutes, and a server's writes would wait and then fail. The
/// kernel drops a process's locks when it exits, however it exits, so a crash leaves none.
final class StoreFolderLock: Sendable {
    private let descriptor: Mutex<Int32?>

    static func path(in folder: URL) -> String {
        folder.appendingPathComponent("concord.lock").path
    }

    /// Takes the lock shared; refuses while the store is being compacted.
    init(path: String) throws {
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw StoreError.configuration("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(opened, LOCK_SH | LOCK_NB) == 0 else {
            close(opened)
            throw StoreError.inUse("the store is being compacted; open it when that has ended")
        }
        descriptor = Mutex(opened)
    }

    /// Runs `body` with the lock exclusive, which no other open store allows.
    func exclusively<Result>(_ body: () async throws -> Result) async throws -> Result {
        guard let held = descriptor.withLock({ $0 }) else { throw StoreError.configuration("the store is closed") }
        guard flock(held, LOCK_EX | LOCK_NB) == 0 else {
            // Linux gives up the shared lock before it tries for the exclusive one; only a
            // compaction could take the lock between, and then this store is not wanted open.
            flock(held, LOCK_SH | LOCK_NB)
            throw StoreError.inUse(
                "another process has the store open (a server, an import): stop it first")
        }
        defer { flock(held, LOCK_SH) }
        return try await body()
    }

    func release() {
        descriptor.withLock { held in
            if let open = held { close(open) }
            held = nil
        }
    }

    deinit { release() }
}
