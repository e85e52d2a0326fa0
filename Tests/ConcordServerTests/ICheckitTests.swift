import ConcordCore
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("I-Checkit and hits")
struct ICheckitTests {
    static let terminal = #","terminal":"MAD T4 desk 12","location":"Madrid-Barajas""#

    static func partnerCheck(_ documents: [(String, String, String)], extra: String = terminal) -> String {
        String(checkJSON(documents).dropLast()) + extra + "}"
    }

    @Test(
        "a partner learns only hit and a reference; the owner, the partner's NCB and the Secretariat are alerted",
        arguments: Backend.allCases)
    func partnerHit(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture,
                json: documentJSON(extra: #","nationalReference":"PN-77""#))
            let id = try #require(try created.json["id"] as? String)
            let answer = try await client.send(
                .post, "/v1/icheckit/check", as: "partner-ESP", fixture: fixture,
                json: Self.partnerCheck([("FRA", "passport", "24XF99871"), ("FRA", "passport", "NOPE")]))
            #expect(answer.status == .ok)
            let results = try #require(try answer.json["results"] as? [[String: Any]])
            #expect(Set(results[0].keys) == ["hit", "reference"])
            #expect(results[0]["hit"] as? Bool == true)
            #expect(Set(results[1].keys) == ["hit"])
            #expect(results[1]["hit"] as? Bool == false)
            let reference = try #require(results[0]["reference"] as? String)
            for secret in [id, "FRA", "stolen", "PN-77", "passport"] {
                #expect(!answer.text.contains(secret), "the partner's answer leaks \(secret)")
            }

            for side in ["FRA", "ESP", "reviewer"] {
                let inbox = try await client.send(.get, "/v1/hits", as: side, fixture: fixture)
                let hits = try #require(try inbox.json["hits"] as? [[String: Any]])
                #expect(hits.map { $0["id"] as? String } == [reference], "inbox of \(side)")
                let checker = try #require(hits.first?["checker"] as? [String: Any])
                #expect(checker["terminal"] as? String == "MAD T4 desk 12")
                #expect(checker["partner"] as? String == "partner-ESP")
                #expect(hits.first?["record"] as? String == id)
                #expect(hits.first?["parties"] as? [String] == ["ESP", "FRA", "GS"])
            }
            let outsider = try await client.send(.get, "/v1/hits", as: "DEU", fixture: fixture)
            #expect((try outsider.json["hits"] as? [[String: Any]])?.isEmpty == true)
            #expect(
                try await client.send(.get, "/v1/hits/\(reference)", as: "DEU", fixture: fixture).status == .notFound)
            #expect(try await client.send(.get, "/v1/hits/\(reference)", as: "FRA", fixture: fixture).status == .ok)

            for party in [Party.member(MemberCode("FRA")!), .member(MemberCode("ESP")!), .secretariat] {
                let alerts = try await fixture.store.alerts(for: party, after: 0, limit: 10)
                #expect(alerts.map(\.draft.event) == [.hitCreated], "alerts of \(party)")
                #expect(alerts.first?.draft.hitID == reference)
            }
            #expect(try await fixture.store.alerts(for: .member(MemberCode("DEU")!), after: 0, limit: 10).isEmpty)
        }
    }

    @Test("I-Checkit is closed to partners without it in force, and to everyone else")
    func refusals() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let query = Self.partnerCheck([("FRA", "passport", "24XF99871")])
            for key in ["partner-baseline", "FRA", "ITA-frontline", "admin", "reviewer"] {
                let refused = try await client.send(.post, "/v1/icheckit/check", as: key, fixture: fixture, json: query)
                #expect(refused.status == .forbidden, "\(key)")
            }
            // Partners never reach the police check, whatever their agreement.
            #expect(
                try await client.send(.post, "/v1/documents/check", as: "partner-ESP", fixture: fixture, json: query)
                    .status == .forbidden)
            #expect(
                try await client.send(.post, "/v1/icheckit/check", as: "partner-ESP", fixture: fixture, json: query)
                    .status == .ok)

            let listed = try await client.send(.get, "/v1/agreements", as: "admin", fixture: fixture)
            let agreements = try #require(try listed.json["agreements"] as? [[String: Any]])
            let icheckit = try #require(agreements.first { $0["partner"] as? String == "partner-ESP" })
            let agreementID = try #require(icheckit["id"] as? String)
            #expect(
                try await client.send(.delete, "/v1/agreements/\(agreementID)", as: "FRA", fixture: fixture).status
                    == .forbidden)
            let ended = try await client.send(.delete, "/v1/agreements/\(agreementID)", as: "admin", fixture: fixture)
            #expect(ended.status == .ok)
            #expect(try ended.json["terminatedAt"] as? String != nil)
            #expect(
                try await client.send(.post, "/v1/icheckit/check", as: "partner-ESP", fixture: fixture, json: query)
                    .status == .forbidden)
            #expect(
                try await client.send(
                    .post, "/v1/agreements/\(agreementID)/keys", as: "admin", fixture: fixture, json: "{}"
                )
                .status == .conflict)
            let refusals = try await fixture.store.journal(after: 0, limit: 200, category: .query).filter {
                $0.draft.action == "icheckit.check" && $0.draft.outcome == "refused"
            }
            #expect(refusals.count == 6)
        }
    }

    @Test("partner keys come only from an agreement, in its country, and expire with it")
    func partnerKeys() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let direct = try await client.send(
                .post, "/v1/keys", as: "admin", fixture: fixture, json: #"{"role":"partner","member":"ESP"}"#)
            #expect(direct.status == .unprocessableContent)
            #expect(try direct.json["field"] as? String == "/role")
            let created = try await client.send(
                .post, "/v1/agreements", as: "admin", fixture: fixture,
                json:
                    #"{"partner":"Iberia","services":["i-checkit"],"country":"ESP","validUntil":"2027-06-30T00:00:00Z"}"#
            )
            #expect(created.status == .created)
            let id = try #require(try created.json["id"] as? String)
            let key = try await client.send(
                .post, "/v1/agreements/\(id)/keys", as: "admin", fixture: fixture, json: #"{"label":"check-in"}"#)
            #expect(key.status == .created)
            #expect(try key.json["role"] as? String == "partner")
            #expect(try key.json["member"] as? String == "ESP")
            #expect(try key.json["agreement"] as? String == id)
            #expect(try key.json["expiresAt"] as? String == "2027-06-30T00:00:00.000Z")
            for bad in [
                #"{"partner":"","services":["i-checkit"],"country":"ESP","validUntil":"2027-06-30T00:00:00Z"}"#,
                #"{"partner":"X","services":[],"country":"ESP","validUntil":"2027-06-30T00:00:00Z"}"#,
                #"{"partner":"X","services":["i-checkit"],"country":"ESP","validUntil":"2020-06-30T00:00:00Z"}"#,
                #"{"partner":"X","services":["i-checkit"],"country":"XXX","validUntil":"2027-06-30T00:00:00Z"}"#,
                #"{"partner":"X","services":["teleport"],"country":"ESP","validUntil":"2027-06-30T00:00:00Z"}"#,
            ] {
                let refused = try await client.send(.post, "/v1/agreements", as: "admin", fixture: fixture, json: bad)
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
            #expect(try await fixture.store.agreements().count == 3)
        }
    }

    @Test(
        "a checker outside the restriction gets no hit and is not told why; the owner is alerted and the journal keeps the check",
        arguments: Backend.allCases)
    func restrictedRecords(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let created = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture,
                json: documentJSON(extra: #","restrictions":{"visibility":"except","members":["ESP","DEU"]}"#))
            let id = try #require(try created.json["id"] as? String)
            let query = Self.partnerCheck([("FRA", "passport", "24XF99871")])
            let visible = checkJSON([("FRA", "passport", "24XF99871"), ("FRA", "passport", "NOPE")])
            let hidden = try await client.send(
                .post, "/v1/icheckit/check", as: "partner-ESP", fixture: fixture, json: query)
            let police = try await client.send(.post, "/v1/documents/check", as: "DEU", fixture: fixture, json: visible)
            let miss = try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture,
                json: checkJSON([("FRA", "passport", "NOPE"), ("FRA", "passport", "NOPE")]))
            #expect(hidden.text == #"{"results":[{"hit":false}]}"#)
            // Exactly the answer to a document nobody recorded.
            #expect(police.text == miss.text)

            let ownerHits = try #require(
                try await client.send(.get, "/v1/hits", as: "FRA", fixture: fixture).json["hits"] as? [[String: Any]])
            #expect(ownerHits.count == 2)
            #expect(Set(ownerHits.compactMap { $0["parties"] as? [String] }) == [["FRA", "GS"], ["FRA"]])
            for side in ["ESP", "DEU"] {
                let inbox = try await client.send(.get, "/v1/hits", as: side, fixture: fixture)
                #expect((try inbox.json["hits"] as? [[String: Any]])?.isEmpty == true, "\(side)")
            }
            let checks = try await fixture.store.journal(after: 0, limit: 100, category: .query).filter {
                $0.draft.action.hasSuffix(".check")
            }
            #expect(checks.map(\.draft.targets) == [[id], [id], []])
            #expect(
                checks.map(\.draft.outcome).prefix(2) == [
                    "checked 1, hits 0, withheld 1", "checked 2, hits 0, withheld 1",
                ])
        }
    }

    @Test(
        "the parties follow a hit up, each step journaled and announced; nobody else can", arguments: Backend.allCases)
    func followUp(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            try await client.send(.post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON())
            let check = try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture,
                json: checkJSON([("FRA", "passport", "24XF99871")]))
            let result = try #require((try check.json["results"] as? [[String: Any]])?.first)
            let reference = try #require(result["reference"] as? String)
            func move(_ state: String, as key: String) async throws -> TestResponse {
                try await client.send(
                    .post, "/v1/hits/\(reference)/state", as: key, fixture: fixture,
                    json: #"{"state":"\#(state)","note":"officer on the way"}"#)
            }
            #expect(try await move("confirmed", as: "FRA").status == .conflict)
            #expect(try await move("acknowledged", as: "ITA").status == .notFound)
            #expect(try await move("acknowledged", as: "ITA-frontline").status == .forbidden)
            #expect(try await move("acknowledged", as: "FRA").status == .ok)
            #expect(try await move("new", as: "DEU").status == .conflict)
            let confirmed = try await move("confirmed", as: "DEU")
            #expect(confirmed.status == .ok)
            #expect(try confirmed.json["state"] as? String == "confirmed")
            let history = try #require(try confirmed.json["history"] as? [[String: Any]])
            #expect(history.map { $0["party"] as? String } == ["FRA", "DEU"])
            #expect(try await move("false-positive", as: "FRA").status == .conflict)
            let bad = try await client.send(
                .post, "/v1/hits/\(reference)/state", as: "FRA", fixture: fixture, json: #"{"state":"closed"}"#)
            #expect(bad.status == .unprocessableContent)

            for member in ["FRA", "DEU"] {
                let alerts = try await fixture.store.alerts(for: .member(MemberCode(member)!), after: 0, limit: 10)
                #expect(alerts.map(\.draft.event) == [.hitCreated, .hitUpdated, .hitUpdated], "\(member)")
            }
            let steps = try await fixture.store.journal(after: 0, limit: 100, category: .write).filter {
                $0.draft.action == "hit.follow-up"
            }
            #expect(steps.map(\.draft.outcome) == ["acknowledged", "confirmed"])
            #expect(steps.map(\.draft.member) == ["FRA", "DEU"])
        }
    }

    @Test("an owner that asked to be told hears of every read by another member", arguments: Backend.allCases)
    func notifyOwner(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let told = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture,
                json: documentJSON(extra: #","restrictions":{"notifyOwner":true}"#))
            let quiet = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(number: "QUIET1"))
            let toldID = try #require(try told.json["id"] as? String)
            let quietID = try #require(try quiet.json["id"] as? String)
            for (id, key) in [(toldID, "DEU"), (toldID, "FRA"), (quietID, "DEU")] {
                #expect(try await client.send(.get, "/v1/documents/\(id)", as: key, fixture: fixture).status == .ok)
            }
            let alerts = try await fixture.store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 10)
            #expect(alerts.map(\.draft.event) == [.recordQueried])
            let payload = try #require(
                try JSONSerialization.jsonObject(with: alerts[0].draft.payload) as? [String: Any])
            #expect(payload["record"] as? String == toldID)
            #expect(payload["member"] as? String == "DEU")
            #expect(
                try await fixture.store.verifyJournal()
                    == .sound(entries: try await fixture.store.journalHead()!.position))
        }
    }
}
