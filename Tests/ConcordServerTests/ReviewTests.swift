import ConcordCore
import ConcordTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Review dates")
struct ReviewTests {
    static let tenYears: TimeInterval = 3653 * 86_400

    @Test(
        "a record past review stops matching and being served, until its owner renews it", arguments: Backend.allCases)
    func pastReview(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON())
            let id = try #require(try created.json["id"] as? String)
            let query = checkJSON([("FRA", "passport", "24XF99871")])

            fixture.clock.advance(by: Self.tenYears - 86_400)
            let due = try await client.send(.get, "/v1/reviews/due?within=30", as: "FRA", fixture: fixture)
            let listed = try #require(try due.json["documents"] as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == [id])
            let notYet = try await client.send(.get, "/v1/reviews/due?within=30", as: "DEU", fixture: fixture)
            #expect((try notYet.json["documents"] as? [Any])?.isEmpty == true)
            #expect(
                try await client.send(.post, "/v1/documents/check", as: "DEU", fixture: fixture, json: query)
                    .text.contains(id))

            fixture.clock.advance(by: 2 * 86_400)
            for checker in ["DEU", "FRA", "ITA-frontline"] {
                let check = try await client.send(
                    .post, "/v1/documents/check", as: checker, fixture: fixture, json: query)
                #expect(check.text == #"{"results":[{"hit":false}]}"#, "\(checker)")
            }
            #expect(try await client.send(.get, "/v1/documents/\(id)", as: "DEU", fixture: fixture).status == .notFound)
            #expect(try await client.send(.get, "/v1/documents/\(id)", as: "FRA", fixture: fixture).status == .ok)

            let reason = #"{"reason":"Investigation 2026/4471 still open"}"#
            #expect(
                try await client.send(.post, "/v1/documents/\(id)/review", as: "DEU", fixture: fixture, json: reason)
                    .status == .notFound)
            let renewed = try await client.send(
                .post, "/v1/documents/\(id)/review", as: "FRA", fixture: fixture, json: reason)
            #expect(renewed.status == .ok)
            #expect(
                try await client.send(.post, "/v1/documents/check", as: "DEU", fixture: fixture, json: query)
                    .text.contains(id))
            let writes = try await fixture.store.journal(after: 0, limit: 100, category: .write)
            let review = writes.last { $0.draft.action == "document.review" }
            #expect(review?.draft.outcome.hasSuffix("Investigation 2026/4471 still open") == true)
            // The renewed record matched again, and that check raised a hit.
            #expect(writes.last?.draft.action == "hit.record")
        }
    }

    @Test("renewal needs a reason; due lists page with a cursor and refuse a bad one")
    func renewalRulesAndPaging() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            var ids: [String] = []
            for number in 0..<105 {
                let created = try await client.send(
                    .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(number: "R\(number)"))
                ids.append(try #require(try created.json["id"] as? String))
                fixture.clock.advance(by: 60)
            }
            let empty = try await client.send(
                .post, "/v1/documents/\(ids[0])/review", as: "FRA", fixture: fixture, json: #"{"reason":"  "}"#)
            #expect(empty.status == .unprocessableContent)
            #expect(try empty.json["field"] as? String == "/reason")

            fixture.clock.advance(by: Self.tenYears)
            let first = try await client.send(.get, "/v1/reviews/due?within=1", as: "FRA", fixture: fixture)
            let firstPage = try #require(try first.json["documents"] as? [[String: Any]]).compactMap {
                $0["id"] as? String
            }
            let next = try #require(try first.json["next"] as? String)
            let encoded = try #require(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let second = try await client.send(
                .get, "/v1/reviews/due?within=1&cursor=\(encoded)", as: "FRA", fixture: fixture)
            let secondPage = try #require(try second.json["documents"] as? [[String: Any]]).compactMap {
                $0["id"] as? String
            }
            #expect(firstPage + secondPage == ids)
            #expect(try second.json["next"] == nil)

            let bad = try await client.send(.get, "/v1/reviews/due?cursor=nonsense", as: "FRA", fixture: fixture)
            #expect(bad.status == .unprocessableContent)
            #expect(
                try await client.send(.get, "/v1/reviews/due?within=0", as: "FRA", fixture: fixture)
                    .status == .unprocessableContent)
            #expect(
                try await client.send(.get, "/v1/reviews/due", as: "ITA-frontline", fixture: fixture)
                    .status == .forbidden)
        }
    }
}
