import ConcordCore
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Offline copies")
struct ExportTests {
    @Test(
        "a member's bundles hold exactly what it may check, signed, in full and then as changes",
        arguments: Backend.allCases)
    func bundles(_ backend: Backend) async throws {
        let key = MindSigningKey()
        let fixture = try await ServerFixture.make(backend, configuration: ServerConfiguration(exportKey: key))
        try await fixture.withClient { client in
            func record(_ number: String, extra: String = "") async throws -> String {
                let created = try await client.send(
                    .post, "/v1/documents", as: "FRA", fixture: fixture,
                    json: documentJSON(number: number, extra: extra))
                return try #require(try created.json["id"] as? String)
            }
            let open = try await record("OPEN1")
            let hidden = try await record("HIDE1", extra: #","restrictions":{"visibility":"except","members":["DEU"]}"#)
            let later = try await record("GONE1")

            var replica = MindReplica()
            func fetch(since: Int64) async throws -> MindBundle {
                let answer = try await client.send(
                    .get, "/v1/documents/export?since=\(since)", as: "DEU", fixture: fixture)
                #expect(answer.status == .ok)
                let body = Data(answer.body.readableBytesView)
                let signature = try #require(
                    answer.headers[HTTPField.Name("Concord-Bundle-Signature")!].flatMap { Data(base64Encoded: $0) })
                #expect(answer.headers[HTTPField.Name("Concord-Bundle-Key")!] == key.publicKey.hex)
                try replica.apply(bundle: body, signature: signature, trusting: key.publicKey, name: "bundle")
                return try ConcordJSON.decoder().decode(MindBundle.self, from: body)
            }
            let full = try await fetch(since: 0)
            #expect(full.member == MemberCode("DEU"))
            #expect(Set(full.documents.map(\.id.rawValue)) == [open, later])
            #expect(!full.documents.contains { $0.id.rawValue == hidden })

            try await client.send(.delete, "/v1/documents/\(later)", as: "FRA", fixture: fixture)
            try await client.send(.delete, "/v1/documents/\(hidden)", as: "FRA", fixture: fixture)
            let added = try await record("NEW1")
            let delta = try await fetch(since: full.position)
            #expect(delta.documents.map(\.id.rawValue) == [added])
            // The withdrawal DEU never saw is not even mentioned.
            #expect(delta.removed.map(\.rawValue) == [later])
            #expect(replica.count == 2)
            #expect(
                !replica.matches(
                    try DocumentKey(issuer: IssuerCode("FRA")!, type: .passport, number: "NEW1"),
                    at: fixture.clock.now()
                ).isEmpty)

            let exports = try await fixture.store.journal(after: 0, limit: 200, category: .query).filter {
                $0.draft.action == "document.export"
            }
            #expect(exports.map(\.draft.member) == ["DEU", "DEU"])

            for (uri, key, status) in [
                ("/v1/documents/export", "partner-ESP", HTTPResponse.Status.forbidden),
                ("/v1/documents/export", "reviewer", .forbidden),
                ("/v1/documents/export?since=-1", "DEU", .unprocessableContent),
                ("/v1/documents/export?since=x", "DEU", .unprocessableContent),
                ("/v1/documents/export?since=999999", "DEU", .unprocessableContent),
            ] {
                #expect(try await client.send(.get, uri, as: key, fixture: fixture).status == status, "\(uri) \(key)")
            }
        }
    }

    @Test("a node without a signing key refuses exports plainly")
    func unconfigured() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let answer = try await client.send(.get, "/v1/documents/export", as: "DEU", fixture: fixture)
            #expect(answer.status == .serviceUnavailable)
            #expect(try answer.json["type"] as? String == "urn:concord:problem:unavailable")
        }
    }
}
