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

/// Runs `concord` to its end.
func runConcord(_ arguments: [String], environment: [String: String] = [:]) async throws -> ProgramResult {
    try await runProgram([concordExecutable.path] + arguments, environment: environment)
}

/// Issues a key through the CLI, as an operator would.
func createKey(data: URL, role: String, member: String?) async throws -> String {
    var arguments = ["keys", "create", "--data", data.path, "--role", role, "--json"]
    if let member { arguments += ["--member", member] }
    let result = try await runConcord(arguments)
    #expect(result.status == 0, "\(result.error)")
    let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: String]
    return try #require(json?["key"])
}

/// A `concord serve` process on a free port.
final class ServerProcess: Sendable {
    let process: ChildProcess
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// What the process printed so far.
    var output: String { process.output }

    private init(process: ChildProcess, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts the server and waits (bounded) until it says where it listens.
    static func start(data: URL) async throws -> ServerProcess {
        try await start(["serve", "--data", data.path, "--port", "0"])
    }

    /// Starts a command that serves (`serve`, `demo`) and waits until it says where it listens.
    static func start(_ arguments: [String]) async throws -> ServerProcess {
        let process = try ChildProcess([concordExecutable.path] + arguments)
        let marker = "listening on http://127.0.0.1:"
        for _ in 0..<600 {
            let text = process.output
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return ServerProcess(process: process, port: port)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.stop()
        throw ChildProcessError("the server did not start: \(process.output)\n\(process.errorOutput.suffix(4000))")
    }

    /// Sends `signal` and waits until the server is gone.
    func kill(_ signal: Int32) {
        process.stop(signal)
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
