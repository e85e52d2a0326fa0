import ConcordCore
import ConcordStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad input gets a precise 4xx problem, never a 5xx, and leaves nothing written.
@Suite("Bad input")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String?
        let body: String
        let contentType: String
        let status: HTTPResponse.Status
        let problem: String
        let field: String?

        init(
            _ name: String, key: String? = "FRA", body: String, contentType: String = "application/json",
            _ status: HTTPResponse.Status, _ problem: String, field: String? = nil
        ) {
            self.name = name
            self.key = key
            self.body = body
            self.contentType = contentType
            self.status = status
            self.problem = problem
            self.field = field
        }

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case("malformed JSON", body: #"{"issuer":"FRA","#, .badRequest, "malformed-json"),
        Case("empty body", body: "", .badRequest, "malformed-json"),
        Case("not an object", body: "[1,2]", .unprocessableContent, "invalid-field", field: "/"),
        Case(
            "unknown field", body: documentJSON(extra: #","colour":"red""#), .unprocessableContent, "unknown-field",
            field: "/colour"),
        Case(
            "unknown nested field", body: documentJSON(extra: #","restrictions":{"visibilty":"only"}"#),
            .unprocessableContent, "unknown-field", field: "/restrictions/visibilty"),
        Case(
            "wrong type", body: #"{"issuer":"FRA","type":"passport","number":12345,"status":"stolen"}"#,
            .unprocessableContent, "invalid-field", field: "/number"),
        Case(
            "missing field", body: #"{"issuer":"FRA","type":"passport","status":"stolen"}"#,
            .unprocessableContent, "invalid-field", field: "/number"),
        Case(
            "unknown country", body: documentJSON(issuer: "XYZ"), .unprocessableContent, "invalid-field",
            field: "/issuer"),
        Case(
            "unknown country in restrictions",
            body: documentJSON(extra: #","restrictions":{"visibility":"only","members":["DEU","ZZZ"]}"#),
            .unprocessableContent, "invalid-field", field: "/restrictions/members/1"),
        Case(
            "unknown type", body: documentJSON(type: "driving-licence"), .unprocessableContent, "invalid-field",
            field: "/type"),
        Case(
            "bad number", body: documentJSON(number: "24XF#9871"), .unprocessableContent, "invalid-field",
            field: "/number"),
        Case(
            "impossible date", body: documentJSON(extra: #","dateOfIssue":"2021-02-30""#), .unprocessableContent,
            "invalid-field", field: "/dateOfIssue"),
        Case(
            "expiry before issue",
            body: documentJSON(extra: #","dateOfIssue":"2021-02-03","dateOfExpiry":"2020-01-01""#),
            .unprocessableContent, "invalid-field", field: "/dateOfExpiry"),
        Case(
            "oversized body",
            body: documentJSON(extra: #","nationalReference":""# + String(repeating: "x", count: 1_100_000) + "\""),
            .contentTooLarge, "body-too-large"),
        Case(
            "not JSON", body: "issuer=FRA", contentType: "application/x-www-form-urlencoded",
            .unsupportedMediaType, "unsupported-media-type"),
        Case("no key", key: nil, body: documentJSON(), .unauthorized, "unauthenticated"),
        Case("unknown key", key: "concord_0000", body: documentJSON(), .unauthorized, "unauthenticated"),
        Case("revoked key", key: "revoked", body: documentJSON(), .unauthorized, "unauthenticated"),
        Case("another member's document", key: "ITA", body: documentJSON(), .forbidden, "forbidden"),
    ]

    @Test("is refused precisely and writes nothing", arguments: cases)
    func refused(_ bad: Case) async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let headBefore = try await fixture.store.journalHead()
            var headers = fixture.headers(bad.key)
            headers[.contentType] = bad.contentType
            let response = try await client.execute(
                uri: "/v1/documents", method: .post, headers: headers, body: ByteBuffer(string: bad.body))
            #expect(response.status == bad.status)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.json
            #expect(problem["type"] as? String == "urn:concord:problem:\(bad.problem)")
            #expect(problem["status"] as? Int == bad.status.code)
            #expect(problem["field"] as? String == bad.field)
            #expect((problem["detail"] as? String)?.isEmpty == false)
            #expect(try await fixture.store.records(kind: .travelDocument, after: 0, limit: 10).records.isEmpty)
            let writes = try await fixture.store.journal(after: headBefore?.position ?? 0, limit: 10, category: .write)
            #expect(writes.isEmpty)
        }
    }

    @Test("the bearer scheme is read in any case around blanks, and any other header is refused")
    func authorizationHeader() async throws {
        let fixture = try await ServerFixture.make()
        let secret = try #require(fixture.keys["ITA-frontline"])
        try await fixture.withClient { client in
            let query = ByteBuffer(string: checkJSON([("FRA", "passport", "X1")]))
            func status(_ header: String) async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: "/v1/documents/check", method: .post,
                    headers: [.contentType: "application/json", .authorization: header], body: query
                ).status
            }
            for accepted in ["Bearer \(secret)", "bearer \(secret)", "BEARER   \(secret) \t"] {
                let answer = try await status(accepted)
                #expect(answer == .ok, "\(accepted)")
            }
            let refusals = [
                "Basic \(secret)", "Bearer", "Bearer ", "Bearer  \t ", "Bearer\(secret)", secret, "Bearer x\(secret)",
            ]
            for refused in refusals {
                let answer = try await status(refused)
                #expect(answer == .unauthorized, "\(refused)")
            }
        }
    }

    @Test("a body is JSON by its media type, in any case and with parameters, and nothing else is")
    func mediaTypes() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let query = ByteBuffer(string: checkJSON([("FRA", "passport", "X1")]))
            func status(_ contentType: String) async throws -> HTTPResponse.Status {
                var headers = fixture.headers("ITA-frontline")
                headers[.contentType] = contentType
                return try await client.execute(
                    uri: "/v1/documents/check", method: .post, headers: headers, body: query
                ).status
            }
            let accepted = [
                "application/json", "Application/JSON; charset=utf-8", " application/json ;x=1",
                "application/vnd.concord+json",
            ]
            for contentType in accepted {
                let answer = try await status(contentType)
                #expect(answer == .ok, "\(contentType)")
            }
            for contentType in ["text/json", "application/jsonx", "application/json+xml", "text/plain", "json", ""] {
                let answer = try await status(contentType)
                #expect(answer == .unsupportedMediaType, "\(contentType)")
            }
        }
    }

    @Test("an expired key stops working when its time comes")
    func expiredKey() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let query = checkJSON([("FRA", "passport", "X1")])
            #expect(
                try await client.send(.post, "/v1/documents/check", as: "expired", fixture: fixture, json: query)
                    .status == .ok)
            fixture.clock.advance(by: 61)
            let refused = try await client.send(
                .post, "/v1/documents/check", as: "expired", fixture: fixture, json: query)
            #expect(refused.status == .unauthorized)
            #expect(try refused.json["detail"] as? String == "the API key has expired")
            #expect(refused.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test("batches outside 1...1000 and bad numbers inside a batch name their place")
    func badBatches() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let tooMany = checkJSON((0...1000).map { ("FRA", "passport", "N\($0)") })
            let empty = #"{"documents":[]}"#
            let badNumber = checkJSON([("FRA", "passport", "OK1"), ("FRA", "passport", "BAD!")])
            let unknownField = #"{"documents":[{"issuer":"FRA","type":"passport","number":"X","owner":"FRA"}]}"#
            let expected: [(String, String)] = [
                (tooMany, "/documents"), (empty, "/documents"), (badNumber, "/documents/1/number"),
                (unknownField, "/documents/0/owner"),
            ]
            for (body, field) in expected {
                let response = try await client.send(
                    .post, "/v1/documents/check", as: "DEU", fixture: fixture, json: body)
                #expect(response.status == .unprocessableContent)
                #expect(try response.json["field"] as? String == field)
            }
        }
    }

    @Test("ids that are not ids, and unknown routes, are problems too")
    func unknownThings() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let notAnID = try await client.send(.get, "/v1/documents/not-a-uuid", as: "FRA", fixture: fixture)
            #expect(notAnID.status == .notFound)
            let route = try await client.send(.get, "/v1/nothing-here", as: "FRA", fixture: fixture)
            #expect(route.status == .notFound)
            #expect(route.headers[.contentType] == "application/problem+json")
        }
    }
}
