import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("concord demo")
struct DemoTests {
    @Test("the demo seeds notices that the review queue and the public notices API show, and persons to screen")
    func seededNotices() async throws {
        let demo = try await RunningDemo()
        defer { demo.stop() }
        let server = demo.server
        let reviewer = try demo.key("secretariat.reviewer")

        let queue = try await request("GET", "\(server.baseURL)/v1/review/queue", key: reviewer)
        #expect(queue.status == 200)
        let items = try #require(queue.body["items"] as? [[String: Any]])
        #expect(Set(items.compactMap { $0["kind"] as? String }) == ["notice", "diffusion"])
        #expect(items.first?["riskScore"] as? Int ?? 0 > 0)

        let red = try await request("GET", "\(server.baseURL)/public/notices/v1/red", key: nil)
        #expect(red.status == 200)
        #expect(red.body["total"] as? Int == 3)
        let yellow = try await request("GET", "\(server.baseURL)/public/notices/v1/yellow", key: nil)
        #expect(yellow.body["total"] as? Int == 1)

        // The seeded nominal persons answer a border screening across scripts.
        let frontline = try demo.key("frontline ITA")
        let screened = try await request(
            "POST", "\(server.baseURL)/v1/screening/persons", key: frontline,
            json: #"{"names":["Александр Петров"],"dateOfBirth":"1975"}"#)
        #expect(screened.status == 200)
        let candidate = try #require((screened.body["candidates"] as? [[String: Any]])?.first)
        #expect(candidate["match"] as? Bool == true)
        #expect((candidate["source"] as? [String: Any])?["reference"] as? String == "BKA-2026-1187")
    }

    @Test("the demo seeds signatures that its Baseline partner matches")
    func seededSignatures() async throws {
        let demo = try await RunningDemo()
        defer { demo.stop() }
        let server = demo.server
        let partner = try demo.key("partner IRL")
        let example = try #require(
            server.output.split(separator: "\n").first { $0.contains(#""type":"pdq","value":""#) })
        let value = try #require(
            example.split(separator: "\"").drop { $0 != "value" }.dropFirst(2).first.map(String.init))
        let answer = try await request(
            "POST", "\(server.baseURL)/v1/signatures/match", key: partner,
            json: #"{"hashes":[{"type":"pdq","value":"\#(value)","quality":90}]}"#)
        #expect(answer.status == 200)
        let results = try #require(answer.body["results"] as? [[String: Any]])
        #expect((results.first?["matches"] as? [[String: Any]])?.first?["distance"] as? Int == 0)
    }

    @Test("the demo's security partner reads the shared indicator and its correlation, never the TLP:RED one")
    func seededIndicators() async throws {
        let demo = try await RunningDemo()
        defer { demo.stop() }
        let server = demo.server
        func sightings(_ key: String) async throws -> [String] {
            let answer = try await request(
                "GET", "\(server.baseURL)/v1/gateway/correlations?value=198.51.100.7", key: key)
            #expect(answer.status == 200)
            return (answer.body["objects"] as? [[String: Any]] ?? []).compactMap { $0["tlp"] as? String }
        }
        #expect(try await sightings(try demo.key("partner NLD")) == ["green"])
        #expect(try await sightings(try demo.key("secretariat.admin")).sorted() == ["green", "red"])
    }
}

/// `concord demo` serving from a throwaway folder.
struct RunningDemo {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-test-\(UUID())")
    let server: ServerProcess

    init() async throws {
        server = try await ServerProcess.start(["demo", "--data", folder.path, "--port", "0"])
    }

    func stop() {
        server.kill(SIGTERM)
        try? FileManager.default.removeItem(at: folder)
    }

    /// The key the demo printed for `who`: the last word of the line that names it.
    func key(_ who: String) throws -> String {
        let line = try #require(server.output.split(separator: "\n").first { $0.contains(who) })
        return try #require(line.split(separator: " ").last.map(String.init))
    }
}
