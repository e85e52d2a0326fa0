import ConcordTestSupport
import Foundation
import Testing

/// The way tests start programs: a child must hold nothing of the test run's, or another
/// test's wait for its own program could last as long as this child does.
@Suite("Child processes")
struct ChildProcessTests {
    @Test("a child inherits only its standard descriptors, and its end is known while another child runs")
    func inheritsNothing() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        let check = ends.map { "test -e /proc/self/fd/\($0) && echo \($0) open || echo \($0) closed" }
        let server = try ChildProcess(["/bin/sleep", "600"])
        defer { server.stop() }
        let result = try await runProgram(["/bin/sh", "-c", check.joined(separator: "; ")])
        #expect(result.status == 0)
        #expect(result.output == "\(ends[0]) closed\n\(ends[1]) closed\n")
        #expect(server.isRunning)
    }

    @Test("standard input, output, error and the exit status reach the test")
    func standardStreams() async throws {
        let result = try await runProgram(
            ["/bin/sh", "-c", "tr a-z A-Z; echo problem >&2; exit 3"], input: Data("hello".utf8))
        #expect(result.status == 3)
        #expect(result.output == "HELLO")
        #expect(result.error == "problem\n")
    }
}
