import ConcordCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Keys API")
struct KeysAPITests {
    @Test("the Secretariat issues a key that works at once and can be revoked")
    func issueUseRevoke() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let issued = try await client.send(
                .post, "/v1/keys", as: "admin", fixture: fixture,
                json: #"{"role":"ncb.admin","member":"BRA","label":"NCB Brasilia"}"#)
            #expect(issued.status == .created)
            let key = try #require(try issued.json["key"] as? String)
            let id = try #require(try issued.json["id"] as? String)
            #expect(try issued.json["secretHash"] == nil)

            // The head of the Brazilian NCB runs Brazil's keys, and only Brazil's.
            let officer = try await client.send(
                .post, "/v1/keys", as: key, fixture: fixture, json: #"{"role":"frontline","member":"BRA"}"#)
            #expect(officer.status == .created)
            let foreign = try await client.send(
                .post, "/v1/keys", as: key, fixture: fixture, json: #"{"role":"frontline","member":"ARG"}"#)
            #expect(foreign.status == .forbidden)
            let elevated = try await client.send(
                .post, "/v1/keys", as: key, fixture: fixture, json: #"{"role":"secretariat.admin"}"#)
            #expect(elevated.status == .forbidden)
            let listed = try await client.send(.get, "/v1/keys", as: key, fixture: fixture)
            let members = try #require(try listed.json["keys"] as? [[String: Any]]).map { $0["member"] as? String }
            #expect(members == ["BRA", "BRA"])
            #expect(!listed.text.contains("concord_"))

            let revoked = try await client.send(.delete, "/v1/keys/\(id)", as: "admin", fixture: fixture)
            #expect(revoked.status == .ok)
            #expect(try revoked.json["revokedAt"] is String)
            let refused = try await client.send(.get, "/v1/keys", as: key, fixture: fixture)
            #expect(refused.status == .unauthorized)
        }
    }

    @Test("officers may not administer keys, and others' keys do not exist for a head of NCB")
    func refusals() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            #expect(try await client.send(.get, "/v1/keys", as: "FRA", fixture: fixture).status == .forbidden)
            // An officer is refused for its role, whether or not the key exists, and the journal keeps it.
            #expect(
                try await client.send(.delete, "/v1/keys/key_nonexistent", as: "FRA", fixture: fixture)
                    .status == .forbidden)
            let refusals = try await fixture.store.journal(after: 0, limit: 100, category: .query)
                .filter { $0.draft.outcome == "refused" }.map(\.draft.action)
            #expect(refusals == ["key.list", "key.revoke"])
            let list = try await client.send(.get, "/v1/keys", as: "admin", fixture: fixture)
            let frenchID = try #require(
                (try list.json["keys"] as? [[String: Any]])?.first { $0["label"] as? String == "FRA" }?["id"] as? String
            )
            let head = try await client.send(
                .post, "/v1/keys", as: "admin", fixture: fixture, json: #"{"role":"ncb.admin","member":"DEU"}"#)
            let headKey = try #require(try head.json["key"] as? String)
            #expect(
                try await client.send(.delete, "/v1/keys/\(frenchID)", as: headKey, fixture: fixture)
                    .status == .notFound)
            let bad = try await client.send(
                .post, "/v1/keys", as: "admin", fixture: fixture, json: #"{"role":"ncb.officer"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.json["field"] as? String == "/member")
        }
    }
}
