import ConcordTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The built `concord` executable, next to the test bundle in the build folder.
let concordExecutable: URL = {
    let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    return bundle.appendingPathComponent("concord")
}()

struct CommandResult {
    let status: Int32
    let output: String
    let error: String
}

/// Runs `concord` to completion.
func runConcord(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = concordExecutable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
        error: String(decoding: errorData, as: UTF8.self))
}

/// Issues a key through the CLI, as an operator would.
func createKey(data: URL, role: String, member: String?) throws -> String {
    var arguments = ["keys", "create", "--data", data.path, "--role", role, "--json"]
    if let member { arguments += ["--member", member] }
    let result = try runConcord(arguments)
    #expect(result.status == 0, "\(result.error)")
    let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: String]
    return try #require(json?["key"])
}

/// A `concord serve` process on a free port.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int
    /// What the process printed until it listened.
    let output: String

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int, output: String) {
        self.process = process
        self.port = port
        self.output = output
    }

    /// Starts the server and waits (bounded) until it says where it listens.
    static func start(data: URL) throws -> ServerProcess {
        try start(["serve", "--data", data.path, "--port", "0"])
    }

    /// Starts a command that serves (`serve`, `demo`) and waits until it says where it listens.
    static func start(_ arguments: [String]) throws -> ServerProcess {
        let process = Process()
        process.executableURL = concordExecutable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let output = Locked("")
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += chunk }
        }
        try process.run()
        let marker = "listening on http://127.0.0.1:"
        for _ in 0..<600 {
            let port = output.withLock { text -> Int? in
                guard let range = text.range(of: marker) else { return nil }
                return Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            if let port { return ServerProcess(process: process, port: port, output: output.value) }
            if !process.isRunning { break }
            usleep(100_000)
        }
        process.terminate()
        throw ServerError(message: "the server did not start: \(output.value)")
    }

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func kill(_ signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }
}

struct HTTPResult {
    let status: Int
    let body: [String: Any]
}

/// One real HTTP request over the loopback interface.
func request(
    _ method: String, _ url: String, key: String?, json: String? = nil, session: URLSession = .shared
) async throws -> HTTPResult {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
    if let json {
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
    }
    let (data, response) = try await session.data(for: request)
    let body = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    return HTTPResult(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: body)
}
