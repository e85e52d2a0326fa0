import ConcordCore
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Documents API")
struct DocumentAPITests {
    @Test(
        "an NCB records a document and any member's check finds it at once, however the number is typed",
        arguments: Backend.allCases)
    func recordThenCheck(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture,
                json: documentJSON(
                    extra:
                        #","dateOfIssue":"2019-04-02","dateOfExpiry":"2029-04-01","nationalReference":"PN-2026-1184""#))
            #expect(created.status == .created)
            let id = try #require(try created.json["id"] as? String)
            #expect(created.headers[.location] == "/v1/documents/\(id)")
            #expect(created.headers[HTTPField.Name("X-Request-Id")!] != nil)

            let check = try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture,
                json: checkJSON([("FRA", "passport", "24 xf-998/71"), ("FRA", "passport", "24XF99872")]))
            #expect(check.status == .ok)
            let results = try #require(try check.json["results"] as? [[String: Any]])
            #expect(results.count == 2)
            #expect(results[0]["hit"] as? Bool == true)
            let document = try #require(results[0]["document"] as? [String: Any])
            #expect(document["id"] as? String == id)
            #expect(document["nationalReference"] as? String == "PN-2026-1184")
            #expect(document["restrictions"] == nil)
            #expect(results[1]["hit"] as? Bool == false)
            #expect(results[1]["document"] == nil)
        }
    }

    @Test("a frontline terminal gets what it needs to act and nothing more, and may only check")
    func frontline() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture,
                json: documentJSON(
                    extra: #","nationalReference":"PN-1""#))
            let id = try #require(try created.json["id"] as? String)
            let check = try await client.send(
                .post, "/v1/documents/check", as: "ITA-frontline", fixture: fixture,
                json: checkJSON([("FRA", "passport", "24XF99871")]))
            let result = try #require((try check.json["results"] as? [[String: Any]])?.first)
            let document = try #require(result["document"] as? [String: Any])
            #expect(Set(document.keys) == ["id", "owner", "issuer", "type", "number", "status"])
            #expect(
                try await client.send(.get, "/v1/documents/\(id)", as: "ITA-frontline", fixture: fixture)
                    .status == .forbidden)
            #expect(
                try await client.send(
                    .post, "/v1/documents", as: "ITA-frontline", fixture: fixture, json: documentJSON(issuer: "ITA")
                ).status == .forbidden)
        }
    }

    @Test(
        "a document restricted to listed members is never returned, counted or hinted at to anyone else",
        arguments: Backend.allCases)
    func restrictedNeverLeaks(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let restricted = #","restrictions":{"visibility":"only","members":["DEU"]}"#
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(extra: restricted))
            #expect(created.status == .created)
            let id = try #require(try created.json["id"] as? String)
            let owner = try await client.send(.get, "/v1/documents/\(id)", as: "FRA", fixture: fixture)
            #expect((try owner.json["restrictions"] as? [String: Any])?["members"] as? [String] == ["DEU"])

            let query = checkJSON([("FRA", "passport", "24XF99871")])
            let allowed = try await client.send(.post, "/v1/documents/check", as: "DEU", fixture: fixture, json: query)
            #expect(allowed.text.contains(id))

            let absentID = UUID().uuidString.lowercased()
            for outsider in ["ITA", "ITA-frontline"] {
                let check = try await client.send(
                    .post, "/v1/documents/check", as: outsider, fixture: fixture, json: query)
                #expect(check.status == .ok)
                #expect(check.text == #"{"results":[{"hit":false}]}"#)
            }
            let hidden = try await client.send(.get, "/v1/documents/\(id)", as: "ITA", fixture: fixture)
            let absent = try await client.send(.get, "/v1/documents/\(absentID)", as: "ITA", fixture: fixture)
            #expect(hidden.status == .notFound)
            #expect(absent.status == .notFound)
            // The two refusals differ only by the id the caller sent and the request id.
            func shape(_ response: TestResponse, _ id: String) throws -> String {
                var body = try response.json
                body["requestId"] = nil
                body["detail"] = (body["detail"] as? String)?.replacingOccurrences(of: id, with: "ID")
                return "\(body.sorted { $0.key < $1.key })"
            }
            #expect(try shape(hidden, id) == shape(absent, absentID))
            let withdraw = try await client.send(.delete, "/v1/documents/\(id)", as: "ITA", fixture: fixture)
            #expect(withdraw.status == .notFound)
            #expect(!withdraw.text.contains("FRA") && !withdraw.text.contains("DEU"))
            // The oversight bodies still see it.
            #expect(try await client.send(.get, "/v1/documents/\(id)", as: "ccf", fixture: fixture).status == .ok)
        }
    }

    @Test("only the issuing member's NCB records, and only the owner withdraws")
    func ownership() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let foreign = try await client.send(
                .post, "/v1/documents", as: "DEU", fixture: fixture, json: documentJSON())
            #expect(foreign.status == .forbidden)
            #expect(try foreign.json["type"] as? String == "urn:concord:problem:forbidden")
            let german = try await client.send(
                .post, "/v1/documents", as: "DEU", fixture: fixture,
                json: documentJSON(issuer: "D", number: "C01X00T47"))
            #expect(german.status == .created)
            #expect(try german.json["owner"] as? String == "DEU")
            let id = try #require(try german.json["id"] as? String)
            #expect(
                try await client.send(.delete, "/v1/documents/\(id)", as: "FRA", fixture: fixture).status == .forbidden)
            for role in ["reviewer", "partner-ESP", "admin"] {
                #expect(
                    try await client.send(
                        .post, "/v1/documents/check", as: role, fixture: fixture,
                        json: checkJSON([("D", "passport", "C01X00T47")])
                    ).status == .forbidden)
            }
        }
    }

    @Test("withdrawing stops matching, is journaled, and cannot happen twice", arguments: Backend.allCases)
    func withdraw(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON())
            let id = try #require(try created.json["id"] as? String)
            let withdrawn = try await client.send(.delete, "/v1/documents/\(id)", as: "FRA", fixture: fixture)
            #expect(withdrawn.status == .ok)
            #expect(try withdrawn.json["recordStatus"] as? String == "withdrawn")
            let check = try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture,
                json: checkJSON([("FRA", "passport", "24XF99871")]))
            #expect(check.text == #"{"results":[{"hit":false}]}"#)
            #expect(
                try await client.send(.delete, "/v1/documents/\(id)", as: "FRA", fixture: fixture).status == .conflict)
            #expect(try await client.send(.get, "/v1/documents/\(id)", as: "DEU", fixture: fixture).status == .notFound)
            let again = try await client.send(.post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON())
            #expect(again.status == .created)
            let actions = try await fixture.store.journal(after: 0, limit: 100, category: .write).map(\.draft.action)
            #expect(actions.suffix(3) == ["document.record", "document.withdraw", "document.record"])
        }
    }

    @Test("a second active record of the same document is a conflict")
    func duplicate() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            #expect(
                try await client.send(.post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON())
                    .status == .created)
            let second = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(number: "24xf 99871"))
            #expect(second.status == .conflict)
            #expect(try await fixture.store.records(kind: .travelDocument, after: 0, limit: 10).records.count == 1)
        }
    }

    @Test("every check and every refusal is journaled with who asked")
    func journaled() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let query = checkJSON([("FRA", "passport", "NOPE1")])
            try await client.send(.post, "/v1/documents/check", as: "ITA-frontline", fixture: fixture, json: query)
            try await client.send(.post, "/v1/documents/check", as: "partner-ESP", fixture: fixture, json: query)
            let queries = try await fixture.store.journal(after: 0, limit: 100, category: .query)
            #expect(queries.map(\.draft.action) == ["document.check", "document.check"])
            #expect(queries.map(\.draft.role) == ["frontline", "partner"])
            #expect(queries.map(\.draft.member) == ["ITA", "ESP"])
            #expect(queries.map(\.draft.outcome) == ["checked 1, hits 0, withheld 0", "refused"])
            #expect(try await fixture.store.verifyJournal() == .sound(entries: queries.last!.position))
        }
    }

    @Test("a full batch of 1,000 answers in order")
    func fullBatch() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            for number in ["A100", "A500", "A999"] {
                try await client.send(
                    .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(number: number))
            }
            let batch = (0..<1000).map { ("FRA", "passport", "A\($0)") }
            let response = try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture, json: checkJSON(batch))
            let results = try #require(try response.json["results"] as? [[String: Any]])
            let hits = results.enumerated().filter { $0.element["hit"] as? Bool == true }.map(\.offset)
            #expect(hits == [100, 500, 999])
        }
    }
}

@Suite("Checks by MRZ")
struct MRZCheckTests {
    @Test("a zone read at the border checks like issuer, type and number; a misread one is refused")
    func mrzCheck() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "DEU", fixture: fixture,
                json: documentJSON(issuer: "D", number: "C01X00T47"))
            let id = try #require(try created.json["id"] as? String)
            // The German passport specimen: issuer "D<<", number C01X00T47.
            let lines = [
                "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4",
            ]
            let body = #"{"documents":[{"mrz":["\#(lines[0])","\#(lines[1])"]}]}"#
            let check = try await client.send(
                .post, "/v1/documents/check", as: "ITA-frontline", fixture: fixture, json: body)
            #expect(check.status == .ok)
            #expect(check.text.contains(id))

            let misread = body.replacingOccurrences(of: "6408125", with: "64O8125")
            let refused = try await client.send(
                .post, "/v1/documents/check", as: "ITA-frontline", fixture: fixture, json: misread)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json["field"] as? String == "/documents/0/mrz")
            #expect((try refused.json["detail"] as? String)?.contains("dateOfBirth") == true)

            let both = #"{"documents":[{"mrz":["a","b"],"issuer":"D"}]}"#
            #expect(
                try await client.send(.post, "/v1/documents/check", as: "DEU", fixture: fixture, json: both)
                    .status == .unprocessableContent)
        }
    }
}
