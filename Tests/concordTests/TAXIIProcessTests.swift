import ConcordTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real server, driven by the clients partners use: curl, and the Python `taxii2-client`
/// and `stix2` packages.
@Suite("TAXII over real HTTP", .serialized)
struct TAXIIProcessTests {
    /// A served node with a trust group "cyber": a partner in the Netherlands under a Gateway
    /// agreement, France, and the General Secretariat; a shared collection, and one the partner
    /// may only add to.
    struct Node {
        let data: URL
        let server: ServerProcess
        let partner: String
        let frontline: String
        let shared: String
        let dropBox: String

        var taxii: String { "\(server.baseURL)/taxii2" }

        static func start() async throws -> Node {
            let data = try makeTemporaryDirectory()
            let admin = try await createKey(data: data, role: "secretariat.admin", member: nil)
            let frontline = try await createKey(data: data, role: "frontline", member: "ITA")
            let server = try await ServerProcess.start(data: data)
            let agreement = try await request(
                "POST", "\(server.baseURL)/v1/agreements", key: admin,
                json:
                    #"{"partner":"Threat Co","services":["gateway"],"country":"NLD","validUntil":"2099-01-01T00:00:00Z"}"#
            )
            let agreementID = try #require(agreement.body["id"] as? String)
            let key = try await request(
                "POST", "\(server.baseURL)/v1/agreements/\(agreementID)/keys", key: admin, json: #"{"label":"tests"}"#)
            let root = try await request(
                "PUT", "\(server.baseURL)/v1/gateway/roots/cyber", key: admin,
                json: """
                    {"title":"Cybercrime","participants":["GS","FRA","\(agreementID)"],"collections":[
                      {"title":"Shared","readers":["participants"],"writers":["participants"]},
                      {"title":"Drop box","readers":["GS"],"writers":["participants"]}]}
                    """)
            #expect(root.status == 201)
            let collections = try #require(root.body["collections"] as? [[String: Any]])
            return Node(
                data: data, server: server, partner: try #require(key.body["key"] as? String), frontline: frontline,
                shared: try #require(collections[0]["id"] as? String),
                dropBox: try #require(collections[1]["id"] as? String))
        }

        func stop() {
            server.kill(SIGKILL)
            removeDirectory(data)
        }
    }

    @Test("curl gets every error status TAXII names, each as a TAXII error message")
    func errorStatuses() async throws {
        let node = try await Node.start()
        defer { node.stop() }
        let taxii = "application/taxii+json;version=2.1"
        let objects = "\(node.taxii)/cyber/collections/\(node.shared)/objects/"
        let partner = ["-u", "tool:\(node.partner)", "-H", "Accept: \(taxii)"]
        let post = partner + ["-X", "POST", "-H", "Content-Type: \(taxii)"]
        let oversized = Data(count: 16 << 20 + 1)
        let cases: [(Int, [String], Data?)] = [
            (400, partner + ["\(objects)?limit=lots"], nil),
            (400, partner + ["\(objects)?match[colour]=red"], nil),
            (400, post + ["--data-binary", "{\"objects\": [", objects], nil),
            (401, ["-H", "Accept: \(taxii)", "\(node.taxii)/"], nil),
            (401, ["-u", "tool:concord_wrong", "-H", "Accept: \(taxii)", "\(node.taxii)/"], nil),
            (403, ["-u", "x:\(node.frontline)", "-H", "Accept: \(taxii)", "\(node.taxii)/"], nil),
            (403, partner + ["\(node.taxii)/cyber/collections/\(node.dropBox)/objects/"], nil),
            (404, partner + ["\(node.taxii)/elsewhere/"], nil),
            (404, partner + ["\(objects)indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/"], nil),
            (406, ["-u", "tool:\(node.partner)", "-H", "Accept: application/xml", "\(node.taxii)/"], nil),
            (413, post + ["--data-binary", "@-", objects], oversized),
            (415, partner + ["-X", "POST", "-H", "Content-Type: text/plain", "--data-binary", "{}", objects], nil),
            (422, post + ["--data-binary", "{\"things\": []}", objects], nil),
        ]
        for (expected, arguments, input) in cases {
            let result = try await runProgram(
                ["curl", "-s", "-g", "-D", "/dev/stderr", "-o", "-", "-w", "\n%{http_code}"] + arguments, input: input)
            #expect(result.status == 0, "curl failed: \(result.error)")
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(Int(lines.last ?? "") == expected, "\(arguments.suffix(2)): \(result.output)")
            let body = lines.dropLast().joined(separator: "\n")
            let message = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            #expect(message?["http_status"] as? String == "\(expected)", "\(body)")
            #expect(result.error.lowercased().contains("content-type: \(taxii)"), "\(result.error)")
        }
    }

    @Test("the Python taxii2-client and stix2 packages work against Concord unchanged")
    func pythonClient() async throws {
        let node = try await Node.start()
        defer { node.stop() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/reference/taxii_client_check.py").path
        let result = try await runProgram([
            "python3", script, "--url", "\(node.taxii)/", "--api-root", "\(node.taxii)/cyber/",
            "--collection", node.shared, "--user", "tool", "--password", node.partner, "--count", "10000",
        ])
        #expect(result.status == 0, "taxii_client_check.py failed:\n\(result.error)\n\(result.output)")
    }
}
