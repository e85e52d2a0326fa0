import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("concord demo")
struct DemoTests {
    @Test("the demo seeds notices that the review queue and the public notices API show, and persons to screen")
    func seededNotices() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServerProcess.start(["demo", "--data", folder.path, "--port", "0"])
        defer { server.kill(SIGTERM) }
        let reviewerLine = try #require(
            server.output.split(separator: "\n").first { $0.contains("secretariat.reviewer") })
        let reviewer = try #require(reviewerLine.split(separator: " ").last.map(String.init))

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
        let frontlineLine = try #require(server.output.split(separator: "\n").first { $0.contains("frontline ITA") })
        let frontline = try #require(frontlineLine.split(separator: " ").last.map(String.init))
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServerProcess.start(["demo", "--data", folder.path, "--port", "0"])
        defer { server.kill(SIGTERM) }
        let lines = server.output.split(separator: "\n")
        let partnerLine = try #require(lines.first { $0.contains("partner IRL") })
        let partner = try #require(partnerLine.split(separator: " ").last.map(String.init))
        let example = try #require(lines.first { $0.contains(#""type":"pdq","value":""#) })
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServerProcess.start(["demo", "--data", folder.path, "--port", "0"])
        defer { server.kill(SIGTERM) }
        let lines = server.output.split(separator: "\n")
        func key(_ who: String) throws -> String {
            try #require(lines.first { $0.contains(who) }?.split(separator: " ").last.map(String.init))
        }
        func sightings(_ key: String) async throws -> [String] {
            let answer = try await request(
                "GET", "\(server.baseURL)/v1/gateway/correlations?value=198.51.100.7", key: key)
            #expect(answer.status == 200)
            return (answer.body["objects"] as? [[String: Any]] ?? []).compactMap { $0["tlp"] as? String }
        }
        #expect(try await sightings(try key("partner NLD")) == ["green"])
        #expect(try await sightings(try key("secretariat.admin")).sorted() == ["green", "red"])
    }
}
