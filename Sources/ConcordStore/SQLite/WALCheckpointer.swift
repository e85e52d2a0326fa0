import GRDB

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

    init(path: String, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.label = "concord.checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        loop = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // A failed pass is only a missed chance: the writer's own checkpoint still runs.
                _ = try? await Self.pass(connection)
            }
        }
    }

    /// One pass; how many frames the log holds and how many of them are now in the database.
    @discardableResult
    func pass() async throws -> (frames: Int, copied: Int) {
        try await Self.pass(connection)
    }

    private static func pass(_ connection: DatabaseQueue) async throws -> (frames: Int, copied: Int) {
        // The connection's own queue runs the blocking copy and flush, not the shared executor.
        let (frames, copied) = try await connection.writeWithoutTransaction { try $0.checkpoint(.passive) }
        return (frames, copied)
    }

    func stop() async throws {
        loop.cancel()
        await loop.value
        try connection.close()
    }
}
