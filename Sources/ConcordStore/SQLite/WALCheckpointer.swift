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
    private let gate: PassGate
    /// Claimed by the first `stop`: a store may be closed twice, and only once does anything.
    private let stopping = Mutex(false)

    init(path: String, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.label = "concord.checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let gate = PassGate()
        self.connection = connection
        self.gate = gate
        loop = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // A failed pass is only a missed chance: the writer's own checkpoint still runs.
                _ = try? await Self.passOnce(connection, through: gate)
            }
        }
    }

    /// One pass; how many frames the log holds and how many of them are now in the database.
    @discardableResult
    func pass() async throws -> (frames: Int, copied: Int) {
        try await Self.passOnce(connection, through: gate)
    }

    private static func passOnce(
        _ connection: DatabaseQueue, through gate: PassGate
    ) async throws -> (frames: Int, copied: Int) {
        // The connection's own queue runs the blocking copy and flush, not the shared executor.
        // The gate is read there too, the queue on which the connection is also closed: SQLite
        // must not be asked to checkpoint through a closed connection, which it does not survive.
        let (frames, copied) = try await connection.writeWithoutTransaction { db in
            gate.isOpen ? try db.checkpoint(.passive) : (0, 0)
        }
        return (frames, copied)
    }

    /// Runs `body` while no pass runs. A pass holds the checkpoint lock, and a checkpoint that
    /// truncates the log is refused while another connection holds it.
    func withoutPasses<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        gate.pause(true)
        defer { gate.pause(false) }
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
        let stoppedBefore = stopping.withLock { stopping in
            defer { stopping = true }
            return stopping
        }
        guard !stoppedBefore else { return }
        loop.cancel()
        await loop.value
        _ = try? await Self.passOnce(connection, through: gate)
        gate.close()
        try connection.close()
    }
}

/// Whether passes may run: held off while the store is compacted, and for good once it closes.
/// Shared by the checkpointer and its loop.
private final class PassGate: Sendable {
    private let state = Mutex((paused: false, closed: false))
    var isOpen: Bool { state.withLock { !$0.paused && !$0.closed } }
    func pause(_ paused: Bool) { state.withLock { $0.paused = paused } }
    func close() { state.withLock { $0.closed = true } }
}
