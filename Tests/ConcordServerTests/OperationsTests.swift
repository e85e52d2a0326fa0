import ConcordServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Operations")
struct OperationsTests {
    @Test("health, metrics and the API description need no key")
    func operations() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let health = try await client.send(.get, "/health", as: nil, fixture: fixture)
            #expect(health.status == .ok)
            #expect(try health.json["status"] as? String == "ok")
            #expect(try health.json["journalPosition"] as? Int != nil)
            let live = try await client.send(.get, "/health/live", as: nil, fixture: fixture)
            #expect(live.status == .ok)
            #expect(try live.json as? [String: String] == ["status": "ok"])
            try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture, json: checkJSON([("FRA", "passport", "A1")]))
            let metrics = try await client.send(.get, "/metrics", as: nil, fixture: fixture)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("concord_document_checks_total"))
            let description = try await client.send(.get, "/openapi.yaml", as: nil, fixture: fixture)
            #expect(description.status == .ok)
            #expect(description.text.hasPrefix("openapi: 3.1"))
        }
    }

    /// Paths and methods as the document declares them: the keys under `paths:` (two spaces
    /// in) and the operations under each path (four spaces in).
    static func documentedRoutes(_ yaml: String) -> Set<String> {
        var routes = Set<String>()
        var inPaths = false
        var path: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    ") && !line.hasPrefix("     "), let path {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if methods.contains(String(key)) { routes.insert("\(key.uppercased()) \(path)") }
            }
        }
        return routes
    }

    @Test("the OpenAPI document and the router describe the same routes")
    func openAPIMatchesRouter() async throws {
        let fixture = try await ServerFixture.make()
        let router = buildRouter(fixture.concord)
        let served = Set(router.routes.map { "\($0.method) \($0.path)" })
        let yaml = String(decoding: try OpenAPIDocument.bytes(), as: UTF8.self)
        let documented = Self.documentedRoutes(yaml)
        #expect(served.count >= 7)
        #expect(documented == served)
        await fixture.test.close()
    }
}
