import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program that a test starts: the `concord` executable, a reference script, a server.
///
/// Foundation's `Process` is not used for this. On Linux it learns that a child ended when a
/// socket the child inherits is closed, and a `Pipe` reaches its end only when every process
/// holding its write end has closed it. Another program started at the same moment by another
/// test, such as a server that runs until its test ends, can inherit either descriptor, and the
/// wait then lasts as long as that program. When the waiting thread belongs to the small
/// cooperative pool that the other test needs in order to finish, the whole run stops for good.
///
/// Here the child gets descriptors 0 to 2 and nothing else, its output goes to files, and its end
/// is learned from `waitpid`, which depends on the child alone. Async waits poll without holding a
/// thread.
public final class ChildProcess: Sendable {
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or 128 plus the signal, as a shell reports it.
        public var status: Int32 {
            switch self {
            case .exited(let status): status
            case .signalled(let signal): 128 + signal
            }
        }
    }

    public let id: pid_t
    public let command: String
    private let files: OutputFiles?
    private let termination = Locked<Termination?>(nil)

    /// Starts `arguments[0]`, an absolute path, with `input` (or nothing) on its standard input.
    /// Its output is kept in files unless `keepOutput` is false, when it goes to /dev/null. The
    /// child leads a process group of its own, so that `signal(_:group:)` reaches what it starts.
    public init(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        input: Data? = nil, keepOutput: Bool = true
    ) throws {
        command = arguments.joined(separator: " ")
        let files = keepOutput ? try OutputFiles() : nil
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child opens its input before it runs; the name can go once it has started.
        let inputFile = input.map { _ in
            FileManager.default.temporaryDirectory.appendingPathComponent("concord-in-\(UUID())")
        }
        defer { if let inputFile { try? FileManager.default.removeItem(at: inputFile) } }
        if let input, let inputFile {
            try input.write(to: inputFile)
            posix_spawn_file_actions_addopen(&actions, 0, inputFile.path, O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let files {
            posix_spawn_file_actions_adddup2(&actions, files.outputDescriptor, 1)
            posix_spawn_file_actions_adddup2(&actions, files.errorDescriptor, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Dispatch's threads block signals, and a child inherits the mask: a server that cannot
        // receive SIGTERM could not be shut down.
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var resetToDefault = sigset_t()
        sigemptyset(&resetToDefault)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&resetToDefault, signal) }
        posix_spawnattr_setsigdefault(&attributes, &resetToDefault)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArguments = arguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else {
            files?.remove()
            throw ChildProcessError("cannot start \(command): \(String(cString: strerror(result)))")
        }
        id = pid
        self.files = files
    }

    deinit {
        if termination.value == nil {
            signal(SIGKILL)
            _ = waitBlocking(seconds: 5)
        }
        files?.remove()
    }

    /// How the child ended, or nil while it runs. The first call after its end collects it.
    public var ended: Termination? {
        termination.withLock { termination in
            if let termination { return termination }
            var status: Int32 = 0
            let result = waitpid(id, &status, WNOHANG)
            if result == id {
                let signal = status & 0x7f
                termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            } else if result == -1 && errno == ECHILD {
                // Collected by someone else; nothing more can be learned.
                termination = .exited(255)
            }
            return termination
        }
    }

    public var isRunning: Bool { ended == nil }

    /// What the child wrote to its standard output so far.
    public var output: String { files?.read(\.output) ?? "" }
    /// What the child wrote to its standard error so far.
    public var errorOutput: String { files?.read(\.error) ?? "" }

    /// Sends `signal` to the child, or to its whole process group. Once the child was collected
    /// its number may belong to another process, so only the group, which lives on while anything
    /// the child started does, is still signalled.
    public func signal(_ signal: Int32, group: Bool = false) {
        termination.withLock { termination in
            if group {
                _ = kill(-id, signal)
            } else if termination == nil {
                _ = kill(id, signal)
            }
        }
    }

    /// Waits for the child to end, without holding a thread; after `timeout` it is killed and the
    /// wait fails with what it printed.
    @discardableResult
    public func wait(timeout: Duration = .seconds(600)) async throws -> Termination {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pause = Duration.milliseconds(1)
        while true {
            if let ended { return ended }
            if clock.now > deadline {
                signal(SIGKILL, group: true)
                _ = waitBlocking(seconds: 10)
                throw ChildProcessError(
                    "\(command) did not finish within \(timeout) and was killed\nstdout:\n\(output.suffix(4000))\n"
                        + "stderr:\n\(errorOutput.suffix(4000))")
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// Waits for the child to end, blocking this thread for at most `seconds`; nil if it still runs.
    /// For places that cannot suspend, such as a `defer`, and for children that end on their own.
    public func waitBlocking(seconds: Double) -> Termination? {
        let deadline = Date().addingTimeInterval(seconds)
        var pause: useconds_t = 1_000
        while true {
            if let ended { return ended }
            if Date() > deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// Sends `signal` and waits for the end; a child still running after `seconds` is killed.
    @discardableResult
    public func stop(_ signal: Int32 = SIGKILL, seconds: Double = 30) -> Termination {
        self.signal(signal)
        if let ended = waitBlocking(seconds: seconds) { return ended }
        self.signal(SIGKILL, group: true)
        return waitBlocking(seconds: 3600) ?? .signalled(SIGKILL)
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The outcome of a program run to its end.
public struct ProgramResult: Sendable {
    public let status: Int32
    public let output: String
    public let error: String
}

/// Runs a program to its end. `arguments[0]` is a path, or a name to look up on the PATH;
/// `environment` is added to this process's own.
public func runProgram(
    _ arguments: [String], environment: [String: String] = [:], input: Data? = nil,
    timeout: Duration = .seconds(600)
) async throws -> ProgramResult {
    let child = try ChildProcess(
        arguments[0].hasPrefix("/") ? arguments : ["/usr/bin/env"] + arguments,
        environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, input: input)
    let termination = try await child.wait(timeout: timeout)
    return ProgramResult(status: termination.status, output: child.output, error: child.errorOutput)
}

/// Two temporary files that receive a child's standard output and error. Opened close-on-exec,
/// so that no other child started meanwhile inherits them; the copies that become the child's
/// descriptors 1 and 2 lose the flag.
struct OutputFiles: Sendable {
    let output: URL
    let error: URL
    let outputDescriptor: Int32
    let errorDescriptor: Int32

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("concord-child-\(UUID())")
        output = base.appendingPathExtension("out")
        error = base.appendingPathExtension("err")
        outputDescriptor = open(output.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        errorDescriptor = open(error.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard outputDescriptor >= 0, errorDescriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            remove()
            throw ChildProcessError("cannot create \(base.path).out and .err: \(reason)")
        }
    }

    func read(_ file: KeyPath<OutputFiles, URL>) -> String {
        (try? Data(contentsOf: self[keyPath: file])).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func remove() {
        if outputDescriptor >= 0 { close(outputDescriptor) }
        if errorDescriptor >= 0 { close(errorDescriptor) }
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(at: error)
    }
}

/// Has the child close every descriptor above 2. glibc's `closefrom` action does that in the
/// child itself, so a descriptor another thread opens meanwhile is closed too; where it is
/// missing, those open now are listed.
private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    if let closeFrom = spawnCloseFrom {
        _ = closeFrom(&actions, 3)
        return
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    for descriptor in names.compactMap({ Int32($0) }) where descriptor > 2 {
        posix_spawn_file_actions_addclose(&actions, descriptor)
    }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later), which Swift's Glibc module
/// does not declare.
private let spawnCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    else { return nil }
    return unsafeBitCast(
        symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()
