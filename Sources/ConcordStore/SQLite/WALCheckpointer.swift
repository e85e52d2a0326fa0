import GRDB
import Synchronization

/// Copies the write-ahead log into the database file from a connection of its own, a little at
/// a time, so that the writer seldom has to.
///
/// SQLite otherwise checkpoints inside the commit that crosses `wal_autocheckpoint`: that
/// commit, and every write queued behind it (the journal entry of every check), waits while
/// tens of megabytes are copied and flushed to disk, which made most of the checks' worst
/// latencies. A passive checkpoint takes no writer lock, so commits go on while it runs. The
/// writer still checkpoints when the log is full, since only it can start the log afresh, but
/// by then it finds nearly every page copied.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let loop: Task<Void, Never>
    private let paused: PauseFlag

    init(path: String, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.label = "concord.checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let paused = PauseFlag()
        self.connection = connection
        self.paused = paused
        loop = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // A failed pass is only a missed chance: the writer's own checkpoint still runs.
                _ = try? await Self.passOnce(connection, unless: paused)
            }
        }
    }

    /// One pass; how many frames the log holds and how many of them are now in the database.
    @discardableResult
    func pass() async throws -> (frames: Int, copied: Int) {
        try await Self.passOnce(connection, unless: paused)
    }

    private static func passOnce(
        _ connection: DatabaseQueue, unless paused: PauseFlag
    ) async throws -> (frames: Int, copied: Int) {
        // The connection's own queue runs the blocking copy and flush, not the shared executor.
        let (frames, copied) = try await connection.writeWithoutTransaction { db in
            paused.isSet ? (0, 0) : try db.checkpoint(.passive)
        }
        return (frames, copied)
    }

    /// Runs `body` while no pass runs. A pass holds the checkpoint lock, and a checkpoint that
    /// truncates the log is refused while another connection holds it.
    func withoutPasses<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        paused.set(true)
        defer { paused.set(false) }
        // Passes run on the connection's queue and read the flag there: once this empty turn
        // has had its go, any pass under way has ended and none starts until the flag drops.
        try await connection.writeWithoutTransaction { _ in }
        return try await body()
    }

    /// Ends the passes with a last one, so that what was committed is in the database file
    /// when the store closes. A bulk import outruns the passes by gigabytes, and the next
    /// open, a server reading every document as it starts, would otherwise copy them back
    /// while it reads (at 100 million documents, a start from a cold disk took 139 s, against
    /// 89 s once the log had been copied).
    func stop() async throws {
        loop.cancel()
        await loop.value
        _ = try? await Self.passOnce(connection, unless: paused)
        try connection.close()
    }
}

/// Whether passes are held off, shared by the checkpointer and its loop.
private final class PauseFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set(_ paused: Bool) { value.withLock { $0 = paused } }
}
