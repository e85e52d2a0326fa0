import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failure to start, reach or use the test PostgreSQL server. The message is meant to be read by a person
/// looking at a failed test run, so it carries the command output or server log that explains the failure.
public struct ThrowawayPostgresError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The PostgreSQL server that the contract tests run against.
///
/// Without `CONCORD_TEST_POSTGRES_URL`, the first caller starts a private server from the machine's
/// PostgreSQL binaries in a temporary folder; every later caller in the process shares it. The server is
/// stopped and its folder removed by `stop()`, at process exit, or — if the process dies without running
/// exit handlers — by a small watchdog shell that notices the process is gone.
public final class ThrowawayPostgres: Sendable {
    public static let urlEnvironmentVariable = "CONCORD_TEST_POSTGRES_URL"

    /// Where CREATE DATABASE is sent; new database URLs are this URL with a different path.
    private let adminURL: String
    private let psql: String
    private let environment: [String: String]
    /// Nil when the server is external and therefore not ours to stop.
    private let server: ManagedServer?

    private init(adminURL: String, psql: String, environment: [String: String], server: ManagedServer?) {
        self.adminURL = adminURL
        self.psql = psql
        self.environment = environment
        self.server = server
    }

    // A static let is initialised exactly once even under concurrent access, so every caller awaits the
    // same start-up and a failed start-up reports the same error to every test instead of retrying.
    private static let startup = Task<ThrowawayPostgres, any Error> {
        try await offCooperativePool { try launch() }
    }

    /// Starts (once per process) a private server, or uses the server named by `CONCORD_TEST_POSTGRES_URL`
    /// if set (then nothing is started or removed). Safe to call concurrently: all callers share one server.
    public static func shared() async throws -> ThrowawayPostgres {
        try await startup.value
    }

    /// Creates a fresh, empty database with a unique name and returns its URL.
    public func makeDatabase() async throws -> String {
        if let server, !server.isRunning {
            throw ThrowawayPostgresError("The throwaway PostgreSQL server was already stopped.")
        }
        let name = "concord_test_\(randomHex(bytes: 8))"
        try await offCooperativePool { [self] in
            _ = try runChecked(
                psql,
                ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", adminURL, "-c", "CREATE DATABASE \"\(name)\""],
                environment: environment
            )
        }
        return try Self.url(adminURL, withDatabase: name)
    }

    /// Stops the server (`pg_ctl stop -m fast`) and deletes its folder. Safe to call more than once;
    /// does nothing for an external server.
    public func stop() {
        server?.shutdown(gracefully: true)
    }

    // MARK: - Start-up

    private static func launch() throws -> ThrowawayPostgres {
        let configured = ProcessInfo.processInfo.environment[urlEnvironmentVariable] ?? ""
        if !configured.isEmpty {
            return try useExternal(configured)
        }
        let tools = try PostgresTools.locate()
        let server = try ManagedServer.start(tools: tools)
        // Registered only after a successful start so the handler never sees a half-built server.
        serverToStopAtExit.withLock { $0 = server }
        _ = installExitHook
        return ThrowawayPostgres(
            adminURL: "postgres://\(ManagedServer.superuser)@127.0.0.1:\(server.port)/postgres",
            psql: tools.psql,
            environment: server.environment,
            server: server
        )
    }

    private static func useExternal(_ configured: String) throws -> ThrowawayPostgres {
        guard var components = URLComponents(string: configured), components.host != nil else {
            throw ThrowawayPostgresError(
                "\(urlEnvironmentVariable) is not a URL like postgres://user:password@host:port/db: "
                    + configured
            )
        }
        // Without a database in the URL psql would pick one named after the user, which may not exist.
        if components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/" {
            components.percentEncodedPath = "/postgres"
        }
        let adminURL = components.string ?? configured
        guard let psql = PostgresTools.find("psql") else {
            throw ThrowawayPostgresError(
                "psql was not found on PATH or in /usr/lib/postgresql/*/bin; it is needed to create test "
                    + "databases on the server in \(urlEnvironmentVariable). "
                    + "Install it with `apt-get install postgresql-client`."
            )
        }
        // The user's PG* variables (SSL settings, passwords) stay in effect for a server they chose.
        let environment = ProcessInfo.processInfo.environment
        do {
            _ = try runChecked(psql, ["-X", "-q", "-d", adminURL, "-c", "select 1"], environment: environment)
        } catch {
            throw ThrowawayPostgresError("Cannot reach the server in \(urlEnvironmentVariable).\n\(error)")
        }
        return ThrowawayPostgres(adminURL: adminURL, psql: psql, environment: environment, server: nil)
    }

    private static func url(_ base: String, withDatabase name: String) throws -> String {
        guard var components = URLComponents(string: base) else {
            throw ThrowawayPostgresError("Not a URL: \(base)")
        }
        components.percentEncodedPath = "/" + name
        guard let url = components.string else {
            throw ThrowawayPostgresError("Cannot build a database URL from \(base)")
        }
        return url
    }

    // MARK: - Exit handling

    private static let serverToStopAtExit = Locked<ManagedServer?>(nil)

    // atexit takes a C function pointer, which cannot capture anything; the server is reached through the
    // static above instead. Touching this constant installs the hook once.
    private static let installExitHook: Void = {
        _ = atexit {
            ThrowawayPostgres.serverToStopAtExit.withLock { $0 }?.shutdown(gracefully: false)
        }
    }()
}

// MARK: - The private server

/// A server this process started and must remove.
private final class ManagedServer: Sendable {
    static let superuser = "concord"

    let root: URL
    let port: Int
    let environment: [String: String]
    private let tools: PostgresTools
    private let runAs: String?
    private let state: Locked<State>

    private struct State {
        var running = true
        var watchdog: ChildProcess?
    }

    private var dataDirectory: URL { Self.dataDirectory(in: root) }
    private var logFile: URL { Self.logFile(in: root) }

    var isRunning: Bool { state.withLock { $0.running } }

    private init(
        root: URL, port: Int, environment: [String: String], tools: PostgresTools, runAs: String?,
        watchdog: ChildProcess?
    ) {
        self.root = root
        self.port = port
        self.environment = environment
        self.tools = tools
        self.runAs = runAs
        self.state = Locked(State(watchdog: watchdog))
    }

    private static func dataDirectory(in root: URL) -> URL {
        root.appendingPathComponent("data", isDirectory: true)
    }

    private static func logFile(in root: URL) -> URL {
        root.appendingPathComponent("server.log")
    }

    static func start(tools: PostgresTools) throws -> ManagedServer {
        let runAs = try serverUser()
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        // English messages, so a failed bind can be recognised in the log; the C locale also keeps initdb
        // independent of whatever locales the machine happens to have installed.
        environment["LC_ALL"] = "C"

        let root = try makeTemporaryDirectory(prefix: "concord-pg")
        let data = dataDirectory(in: root)
        // The watchdog comes first so that even a crash during start-up leaves nothing behind.
        let watchdog = startWatchdog(root: root)
        do {
            if let runAs {
                // initdb and postgres refuse to run as root; the server user must own everything it writes.
                try handOver(root, to: runAs)
            }
            _ = try runChecked(
                runAs, tools.initdb,
                ["-D", data.path, "-A", "trust", "-U", superuser, "-E", "UTF8", "--locale=C", "--no-sync"],
                environment: environment, directory: root
            )
            let port = try startPostmaster(tools: tools, root: root, runAs: runAs, environment: environment)
            let server = ManagedServer(
                root: root, port: port, environment: environment, tools: tools, runAs: runAs,
                watchdog: watchdog
            )
            do {
                try server.waitUntilAcceptingConnections()
            } catch {
                server.shutdown(gracefully: true)
                throw error
            }
            return server
        } catch {
            // A timed-out or half-failed pg_ctl may still have left a postmaster running.
            stopPostmaster(dataDirectory: data)
            if let watchdog {
                endWatchdog(watchdog, reap: true)
            }
            removeDirectory(root)
            throw error
        }
    }

    /// Runs pg_ctl start, retrying with a new port when another process took the chosen one in between.
    private static func startPostmaster(
        tools: PostgresTools, root: URL, runAs: String?, environment: [String: String]
    ) throws -> Int {
        let data = dataDirectory(in: root)
        let log = logFile(in: root)
        let attempts = 3
        for attempt in 1...attempts {
            // A fresh log per attempt, so the bind check below reads only this attempt's messages.
            try? FileManager.default.removeItem(at: log)
            let port = try freeLoopbackPort()
            let options = [
                "-p \(port)",
                "-c listen_addresses=127.0.0.1",
                "-k \(shellQuoted(root.path))",
                // Durability is worthless for a server that is deleted after the run; speed is not.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                // Parallel tests each hold a pool; the default of 100 is easy to exhaust.
                "-c max_connections=200",
            ].joined(separator: " ")
            let result = try run(
                runAs, tools.pgCtl,
                ["-w", "-t", "60", "-D", data.path, "-l", log.path, "-o", options, "start"],
                environment: environment, directory: root, timeout: 90
            )
            if result.status == 0 {
                return port
            }
            let serverLog = tail(of: log)
            let portTaken = serverLog.contains("could not bind") || serverLog.contains("already in use")
            if portTaken && attempt < attempts {
                continue
            }
            throw ThrowawayPostgresError(
                "pg_ctl could not start PostgreSQL in \(data.path).\n\(result.summary)\n"
                    + "--- last lines of \(log.path) ---\n\(serverLog)"
            )
        }
        throw ThrowawayPostgresError("unreachable: pg_ctl start attempts exhausted")
    }

    /// pg_ctl -w already waits for the server to report readiness; this confirms that a client really gets
    /// in over TCP, which is what the tests do.
    private func waitUntilAcceptingConnections() throws {
        let url = "postgres://\(Self.superuser)@127.0.0.1:\(port)/postgres?connect_timeout=5"
        let deadline = Date().addingTimeInterval(30)
        while true {
            let result = try run(
                nil, tools.psql, ["-X", "-q", "-d", url, "-c", "select 1"],
                environment: environment, directory: nil, timeout: 15
            )
            if result.status == 0 {
                return
            }
            if Date() > deadline {
                throw ThrowawayPostgresError(
                    "PostgreSQL started but does not accept connections on 127.0.0.1:\(port).\n"
                        + "\(result.summary)\n--- last lines of \(logFile.path) ---\n\(tail(of: logFile))"
                )
            }
            usleep(200_000)
        }
    }

    /// Stops the server and removes its folder; later calls do nothing. The graceful path uses pg_ctl. The
    /// exit-handler path only sends signals: it must not block on anything that other, possibly already
    /// torn-down, parts of the process would have to drive.
    func shutdown(gracefully: Bool) {
        // The lock is held throughout so that a concurrent caller returns only once the server is gone.
        state.withLock { state in
            guard state.running else {
                return
            }
            state.running = false
            if let watchdog = state.watchdog {
                Self.endWatchdog(watchdog, reap: gracefully)
                state.watchdog = nil
            }
            var stopped = false
            if gracefully {
                let result = try? run(
                    runAs, tools.pgCtl, ["stop", "-D", dataDirectory.path, "-m", "fast", "-w", "-t", "30"],
                    environment: environment, directory: root, timeout: 45
                )
                stopped = result?.status == 0
            }
            if !stopped {
                Self.stopPostmaster(dataDirectory: dataDirectory)
            }
            removeDirectory(root)
        }
    }

    /// Stops a postmaster by signal, if one is running. SIGINT is PostgreSQL's "fast" shutdown; the
    /// postmaster deletes its pid file as its last step, which is what this waits for.
    private static func stopPostmaster(dataDirectory: URL) {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let line = text.split(separator: "\n").first,
            let pid = pid_t(line.trimmingCharacters(in: .whitespaces)), pid > 0
        else {
            return
        }
        kill(pid, SIGINT)
        if waitForRemoval(of: pidFile, seconds: 30) {
            return
        }
        // SIGQUIT is the "immediate" mode: no checkpoint, which is fine for data about to be deleted.
        kill(pid, SIGQUIT)
        _ = waitForRemoval(of: pidFile, seconds: 10)
    }

    private static func waitForRemoval(of file: URL, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while FileManager.default.fileExists(atPath: file.path) {
            if Date() > deadline {
                return false
            }
            usleep(20_000)
        }
        return true
    }

    // MARK: Helpers

    /// The user to run the server programs as: nil when not root, otherwise the `postgres` account.
    private static func serverUser() throws -> String? {
        guard geteuid() == 0 else {
            return nil
        }
        guard getpwnam("postgres") != nil else {
            throw ThrowawayPostgresError(
                "Running as root, but there is no `postgres` system user to run initdb and postgres as "
                    + "(they refuse to run as root). Installing the server with `apt-get install postgresql` "
                    + "creates it; or set \(ThrowawayPostgres.urlEnvironmentVariable) to an existing server."
            )
        }
        guard PostgresTools.runuser != nil else {
            throw ThrowawayPostgresError(
                "Running as root, but `runuser` (package util-linux) was not found; it is needed to run "
                    + "initdb and postgres as the `postgres` user. "
                    + "Install it with `apt-get install util-linux`."
            )
        }
        return "postgres"
    }

    private static func handOver(_ directory: URL, to user: String) throws {
        guard let account = getpwnam(user) else {
            throw ThrowawayPostgresError("No system user named \(user)")
        }
        guard chown(directory.path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
            throw ThrowawayPostgresError(
                "chown \(user) \(directory.path) failed: \(String(cString: strerror(errno)))"
            )
        }
    }

    /// A shell that waits for this process to disappear and then stops the server and removes the
    /// folder. It covers crashes and kills, which skip atexit handlers; normal shutdown ends it first.
    private static func startWatchdog(root: URL) -> ChildProcess? {
        let pidFile = shellQuoted(dataDirectory(in: root).appendingPathComponent("postmaster.pid").path)
        // The watchdog already has its own process group, out of reach of a terminal's Ctrl-C; ignoring
        // INT and HUP as well keeps it alive when someone signals the test run's whole session.
        let script = """
            trap '' INT HUP
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            if [ -f \(pidFile) ]; then
                kill -INT "$(head -n 1 \(pidFile))" 2>/dev/null
                n=0
                while [ -f \(pidFile) ] && [ $n -lt 30 ]; do sleep 1; n=$((n + 1)); done
            fi
            rm -rf \(shellQuoted(root.path))
            """
        // Without a watchdog only a crash leaks the server, so failing to start one is not worth an error.
        return try? ChildProcess(["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"], keepOutput: false)
    }

    /// `reap` is false in the exit handler, where the child no longer needs collecting. The watchdog leads
    /// its own process group; signalling the group also ends the `sleep` it may be waiting in.
    private static func endWatchdog(_ watchdog: ChildProcess, reap: Bool) {
        watchdog.signal(SIGTERM, group: true)
        if reap {
            _ = watchdog.waitBlocking(seconds: 5)
        }
    }
}

private func tail(of file: URL) -> String {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
        return "(no log at \(file.path))"
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(30).joined(separator: "\n")
}

// MARK: - Finding the binaries

private struct PostgresTools: Sendable {
    let initdb: String
    let pgCtl: String
    let psql: String

    static var runuser: String? {
        find("runuser", extraDirectories: ["/usr/sbin", "/sbin"])
    }

    /// initdb decides the version; pg_ctl and psql are then taken from the same folder when possible,
    /// because pg_ctl must match the data directory initdb wrote.
    static func locate() throws -> PostgresTools {
        var missing: [String] = []
        let initdb = find("initdb")
        let home = initdb.map { folder(of: $0) }
        func sibling(_ name: String) -> String? {
            if let candidate = home?.appendingPathComponent(name).path,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
            return find(name)
        }
        let pgCtl = sibling("pg_ctl")
        let psql = sibling("psql")
        if initdb == nil { missing.append("initdb") }
        if pgCtl == nil { missing.append("pg_ctl") }
        if psql == nil { missing.append("psql") }
        // pg_ctl starts the `postgres` program from its own folder; check now for a clearer message.
        if let pgCtl {
            let server = folder(of: pgCtl).appendingPathComponent("postgres").path
            if !FileManager.default.isExecutableFile(atPath: server) {
                missing.append("postgres (expected at \(server))")
            }
        }
        guard let initdb, let pgCtl, let psql, missing.isEmpty else {
            throw ThrowawayPostgresError(
                "The PostgreSQL tests need a server and none is configured: set "
                    + "\(ThrowawayPostgres.urlEnvironmentVariable)=postgres://user@host:port/db, or install "
                    + "the PostgreSQL server programs so a throwaway server can be started. Missing: "
                    + "\(missing.joined(separator: ", ")) (searched PATH, then /usr/lib/postgresql/*/bin). "
                    + "On Debian/Ubuntu: `apt-get install postgresql`."
            )
        }
        return PostgresTools(initdb: initdb, pgCtl: pgCtl, psql: psql)
    }

    /// The real folder of a program; Debian links some programs into PATH from the versioned folder.
    private static func folder(of program: String) -> URL {
        URL(fileURLWithPath: program).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// PATH first, then the Debian/Ubuntu layout, newest major version first.
    static func find(_ name: String, extraDirectories: [String] = []) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let pathDirectories = path.split(separator: ":").map(String.init)
        let candidates = pathDirectories + versionedDirectories() + extraDirectories
        return
            candidates
            .map { URL(fileURLWithPath: $0).appendingPathComponent(name).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func versionedDirectories() -> [String] {
        let base = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        // Compared as numbers so that 15 sorts above 9.6.
        func key(_ version: String) -> [Int] {
            version.split(separator: ".").map { Int($0) ?? -1 }
        }
        return
            versions
            .sorted { key($0).lexicographicallyPrecedes(key($1)) }
            .reversed()
            .map { "\(base)/\($0)/bin" }
    }
}

// MARK: - Running programs

// Programs run through ChildProcess, whose wait depends on the child alone: the postmaster that
// `pg_ctl start` leaves behind keeps whatever it inherited open for the whole run.

private struct CommandResult {
    let command: String
    let status: Int32
    let output: String
    let errorOutput: String

    var summary: String {
        var text = "$ \(command)\nexit status \(status)"
        if !output.isEmpty {
            text += "\nstdout:\n\(output)"
        }
        if !errorOutput.isEmpty {
            text += "\nstderr:\n\(errorOutput)"
        }
        return text
    }
}

private func runChecked(
    _ user: String?, _ executable: String, _ arguments: [String], environment: [String: String],
    directory: URL?, timeout: TimeInterval = 60
) throws -> CommandResult {
    let result = try run(
        user, executable, arguments, environment: environment, directory: directory, timeout: timeout
    )
    guard result.status == 0 else {
        throw ThrowawayPostgresError("Command failed.\n\(result.summary)")
    }
    return result
}

private func runChecked(
    _ executable: String, _ arguments: [String], environment: [String: String]
) throws -> CommandResult {
    try runChecked(nil, executable, arguments, environment: environment, directory: nil)
}

/// Runs a program (as `user` through runuser, if given) to completion, or kills it after `timeout`
/// seconds.
private func run(
    _ user: String?, _ executable: String, _ arguments: [String], environment: [String: String],
    directory: URL?, timeout: TimeInterval
) throws -> CommandResult {
    var argv = [executable] + arguments
    if let user {
        guard let runuser = PostgresTools.runuser else {
            throw ThrowawayPostgresError(
                "runuser was not found; it is needed to run \(executable) as \(user)"
            )
        }
        argv = [runuser, "-u", user, "--"] + argv
    }
    let command = argv.map(shellQuotedIfNeeded).joined(separator: " ")
    if let directory {
        // The server programs resolve their own path from the working directory, which therefore has to
        // be readable by the server user; the shell sets it, since posix_spawn has no portable way to.
        argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory.path] + argv
    }

    let child: ChildProcess
    do {
        child = try ChildProcess(argv, environment: environment)
    } catch {
        throw ThrowawayPostgresError("Cannot launch \(command): \(error)")
    }
    guard let termination = child.waitBlocking(seconds: timeout) else {
        // The child leads its own process group, so the signals also reach runuser's child and anything
        // it started. SIGKILL follows regardless, for group members that outlive or ignore SIGTERM.
        child.signal(SIGTERM, group: true)
        _ = child.waitBlocking(seconds: 5)
        child.signal(SIGKILL, group: true)
        _ = child.waitBlocking(seconds: 5)
        throw ThrowawayPostgresError(
            "Timed out after \(Int(timeout)) s and killed: \(command)\nstdout:\n\(trimmed(child.output))\n"
                + "stderr:\n\(trimmed(child.errorOutput))"
        )
    }
    return CommandResult(
        command: command, status: termination.status, output: trimmed(child.output),
        errorOutput: trimmed(child.errorOutput))
}

/// Long outputs are cut from the front: the end is where programs report what went wrong.
private func trimmed(_ text: String, limit: Int = 4000) -> String {
    let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return text.count > limit ? "…" + text.suffix(limit) : text
}

// MARK: - Small utilities

/// Blocking work (child processes, waiting) runs on a Dispatch thread, not on the small cooperative pool
/// that every test task shares.
private func offCooperativePool<T: Sendable>(
    _ work: @escaping @Sendable () throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}

/// Asks the kernel for a free port by binding to port 0. Another process could take the port before the
/// server binds it; startPostmaster retries in that case.
private func freeLoopbackPort() throws -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socketFD >= 0 else {
        throw ThrowawayPostgresError("socket() failed: \(String(cString: strerror(errno)))")
    }
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
        }
    }
    guard bound else {
        throw ThrowawayPostgresError(
            "Cannot find a free port on 127.0.0.1: \(String(cString: strerror(errno)))"
        )
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

private func randomHex(bytes: Int) -> String {
    (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
}

private func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

private func shellQuotedIfNeeded(_ text: String) -> String {
    let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@,".contains($0) }
    return plain ? text : shellQuoted(text)
}
