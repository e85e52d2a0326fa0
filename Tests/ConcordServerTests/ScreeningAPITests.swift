import ConcordCore
import ConcordStore
import ConcordTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ConcordServer

/// Bodies of nominal person records and screening queries.
enum PersonJSON {
    static func person(
        family: String = "Ivanov", forenames: String = "Dmitri", born: String = "1970-04-12",
        category: String = "wanted", extra: String = ""
    ) -> String {
        #"{"category":"\#(category)","familyName":"\#(family)","forenames":"\#(forenames)","dateOfBirth":"\#(born)","sex":"male","nationalities":["RUS"]\#(extra)}"#
    }

    static func query(_ names: [String], born: String? = nil, extra: String = "") -> String {
        let list = names.map { "\"\($0)\"" }.joined(separator: ",")
        let date = born.map { #","dateOfBirth":"\#($0)""# } ?? ""
        return #"{"names":[\#(list)]\#(date)\#(extra)}"#
    }
}

extension TestClientProtocol {
    func screen(_ json: String, as key: String, fixture: ServerFixture) async throws -> [[String: Any]] {
        let response = try await send(.post, "/v1/screening/persons", as: key, fixture: fixture, json: json)
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.json["candidates"] as? [[String: Any]])
    }

    func recordPerson(_ json: String, as key: String, fixture: ServerFixture) async throws -> String {
        let response = try await send(.post, "/v1/persons", as: key, fixture: fixture, json: json)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try response.json["id"] as? String)
    }
}

extension [String: Any] {
    var source: [String: Any] { self["source"] as? [String: Any] ?? [:] }
}

@Suite("Person screening API")
struct ScreeningAPITests {
    @Test(
        "a person on a notice is screenable the moment it is published, across scripts, and no longer once cancelled",
        arguments: Backend.allCases)
    func freshNotice(backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let query = PersonJSON.query(["Александр Петров"], born: "1975")
            let red = NoticeJSON.red(family: "Petrov", forenames: "Aleksandr", born: "1975-03-02", nationality: "RUS")
            let id = try await client.draftNotice(red, as: "FRA", fixture: fixture)
            _ = try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            // Submitted, not yet published: nothing to find.
            #expect(try await client.screen(query, as: "ITA", fixture: fixture).isEmpty)
            let published = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture, json: #"{"decision":"publish"}"#)
            let reference = try #require(try published.json["reference"] as? String)

            let candidates = try await client.screen(query, as: "ITA", fixture: fixture)
            let first = try #require(candidates.first)
            #expect(first["match"] as? Bool == true)
            #expect(first.source["kind"] as? String == "notice")
            #expect(first.source["type"] as? String == "red")
            #expect(first.source["reference"] as? String == reference)
            #expect(first.source["owner"] as? String == "FRA")
            #expect(first.source["id"] as? String == id)
            let explanation = try #require(first["explanation"] as? [String: Any])
            // The Cyrillic query, transliterated, aligned with the Latin name on the notice.
            #expect(explanation["queryName"] as? String == "aleksandr petrov")
            #expect((first["summary"] as? String)?.hasPrefix("MATCH") == true)

            _ = try await client.send(.post, "/v1/notices/\(id)/cancel", as: "FRA", fixture: fixture)
            #expect(try await client.screen(query, as: "ITA", fixture: fixture).isEmpty)
        }
    }

    @Test(
        "nominal person records: created, read, corrected and withdrawn by their owner, screenable while active",
        arguments: Backend.allCases)
    func nominalLifecycle(backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let query = PersonJSON.query(["Dmitriy Ivanov"], born: "1970-04-12")
            let id = try await client.recordPerson(PersonJSON.person(), as: "FRA", fixture: fixture)
            let read = try await client.send(.get, "/v1/persons/\(id)", as: "DEU", fixture: fixture)
            #expect(read.status == .ok)
            #expect(try read.json["purpose"] as? String == "wanted-person")
            #expect(try read.json["restrictions"] == nil)
            let own = try await client.send(.get, "/v1/persons/\(id)", as: "FRA", fixture: fixture)
            #expect(try own.json["restrictions"] != nil)
            #expect(try await client.screen(query, as: "DEU", fixture: fixture).first?.source["id"] as? String == id)

            let byOther = try await client.send(
                .put, "/v1/persons/\(id)", as: "DEU", fixture: fixture, json: PersonJSON.person(family: "Sidorov"))
            #expect(byOther.status == .forbidden)
            let corrected = try await client.send(
                .put, "/v1/persons/\(id)", as: "FRA", fixture: fixture,
                json: PersonJSON.person(family: "Sidorov", category: "missing"))
            #expect(corrected.status == .ok, "\(corrected.text)")
            #expect(try corrected.json["purpose"] as? String == "missing-person")
            #expect(
                try await client.screen(query, as: "DEU", fixture: fixture).filter { $0["match"] as? Bool == true }
                    .isEmpty)
            let sidorov = try await client.screen(
                PersonJSON.query(["Dmitri Sidorov"], born: "1970-04-12"), as: "DEU", fixture: fixture)
            #expect(sidorov.first?.source["type"] as? String == "missing")

            let withdrawn = try await client.send(.delete, "/v1/persons/\(id)", as: "FRA", fixture: fixture)
            #expect(withdrawn.status == .ok)
            #expect(try withdrawn.json["status"] as? String == "withdrawn")
            #expect(
                try await client.screen(PersonJSON.query(["Dmitri Sidorov"]), as: "DEU", fixture: fixture).isEmpty)
            #expect(try await client.send(.get, "/v1/persons/\(id)", as: "DEU", fixture: fixture).status == .notFound)
            let again = try await client.send(.delete, "/v1/persons/\(id)", as: "FRA", fixture: fixture)
            #expect(again.status == .conflict)

            let invalid = try await client.send(
                .post, "/v1/persons", as: "FRA", fixture: fixture,
                json: #"{"category":"wanted","familyName":" ","dateOfBirth":"2090","actionRequested":""}"#)
            #expect(invalid.status == .unprocessableContent)
            let fields = try #require(try invalid.json["errors"] as? [[String: String]]).compactMap { $0["field"] }
            #expect(fields == ["/familyName", "/dateOfBirth", "/actionRequested"])
            let frontline = try await client.send(
                .post, "/v1/persons", as: "ITA-frontline", fixture: fixture, json: PersonJSON.person())
            #expect(frontline.status == .forbidden)
        }
    }

    @Test("a person restricted from a member never reaches it: no candidate, no count, the very same answer")
    func restrictionNeverLeaks() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let query = PersonJSON.query(["Dmitri Ivanov"], born: "1970-04-12")
            // A namesake known only by the year of birth, visible to all: the excluded member may see this one.
            let open = try await client.recordPerson(
                PersonJSON.person(born: "1970"), as: "ITA", fixture: fixture)
            let before = try await client.send(.post, "/v1/screening/persons", as: "DEU", fixture: fixture, json: query)
            let batchBefore = try await client.send(
                .post, "/v1/screening/persons/batch", as: "DEU", fixture: fixture, json: #"{"queries":[\#(query)]}"#)

            let hidden = try await client.recordPerson(
                PersonJSON.person(extra: #","restrictions":{"visibility":"except","members":["DEU"]}"#), as: "FRA",
                fixture: fixture)
            let after = try await client.send(.post, "/v1/screening/persons", as: "DEU", fixture: fixture, json: query)
            let batchAfter = try await client.send(
                .post, "/v1/screening/persons/batch", as: "DEU", fixture: fixture, json: #"{"queries":[\#(query)]}"#)
            #expect(after.status == .ok)
            #expect(after.text == before.text)
            #expect(batchAfter.text == batchBefore.text)
            #expect(!after.text.contains(hidden))
            #expect(after.text.contains(open))

            // Another member sees both, the exact one first; so the hidden one was really there to find.
            let esp = try await client.screen(query, as: "ESP", fixture: fixture)
            #expect(esp.compactMap { $0.source["id"] as? String } == [hidden, open])
            // The excluded member's frontline is excluded too.
            let frontline = try await client.screen(query, as: "ITA-frontline", fixture: fixture)
            #expect(frontline.count == 2)
            let deuFrontline = try await fixture.concord.screening.screen(
                try ConcordJSON.decoder().decode(ScreeningRequest.self, from: Data(query.utf8)),
                by: .key("deu-frontline", role: .frontline, member: MemberCode("DEU")))
            #expect(deuFrontline.candidates.count == 1)
            #expect(deuFrontline.candidates.allSatisfy { $0.source.owner == MemberCode("ITA") })
        }
    }

    @Test("frontline gets enough to act, an NCB the record")
    func viewsByRole() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.recordPerson(
                PersonJSON.person(
                    extra: #","nationalReference":"FR-2027-0042","actionRequested":"Arrest; call NCB Paris""#),
                as: "FRA", fixture: fixture)
            let query = PersonJSON.query(["IVANOV Dmitri"], born: "1970")
            let frontline = try #require(try await client.screen(query, as: "ITA-frontline", fixture: fixture).first)
            let ncb = try #require(try await client.screen(query, as: "ITA", fixture: fixture).first)
            for candidate in [frontline, ncb] {
                #expect(candidate["score"] as? Double == ncb["score"] as? Double)
                #expect(candidate["match"] as? Bool == true)
                #expect(candidate["explanation"] is [String: Any])
                #expect(candidate["summary"] is String)
                #expect(candidate.source["kind"] as? String == "nominal-person")
                #expect(candidate.source["reference"] as? String == "FR-2027-0042")
                #expect(candidate.source["owner"] as? String == "FRA")
                #expect(candidate.source["actionRequested"] as? String == "Arrest; call NCB Paris")
            }
            #expect(frontline.source["id"] == nil)
            #expect(frontline["person"] == nil)
            #expect(ncb.source["id"] as? String == id)
            let person = try #require(ncb["person"] as? [String: Any])
            #expect(person["familyName"] as? String == "Ivanov")

            for key in ["partner-ESP", "reviewer", "admin"] {
                let refused = try await client.send(
                    .post, "/v1/screening/persons", as: key, fixture: fixture, json: query)
                #expect(refused.status == .forbidden, "\(key)")
            }
            let anonymous = try await client.send(
                .post, "/v1/screening/persons", as: nil, fixture: fixture, json: query)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test("a nominal record past its review date stops matching, the owner's screening included")
    func pastReview() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let query = PersonJSON.query(["Dmitri Ivanov"], born: "1970-04-12")
            _ = try await client.recordPerson(PersonJSON.person(), as: "FRA", fixture: fixture)
            #expect(try await client.screen(query, as: "DEU", fixture: fixture).count == 1)
            fixture.clock.advance(by: 5 * 366 * 86_400)
            #expect(try await client.screen(query, as: "DEU", fixture: fixture).isEmpty)
            #expect(try await client.screen(query, as: "FRA", fixture: fixture).isEmpty)
        }
    }

    @Test("batches: results in order with their references; more than 500 queries are refused")
    func batches() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            _ = try await client.recordPerson(PersonJSON.person(), as: "FRA", fixture: fixture)
            let queries = [
                PersonJSON.query(["Jean Martin"], extra: #","reference":"seat 1A""#),
                PersonJSON.query(["Ivanov Dmitrii"], born: "1970", extra: #","reference":"seat 1B""#),
            ]
            let response = try await client.send(
                .post, "/v1/screening/persons/batch", as: "ITA-frontline", fixture: fixture,
                json: #"{"queries":[\#(queries.joined(separator: ","))],"threshold":0.75}"#)
            #expect(response.status == .ok, "\(response.text)")
            let results = try #require(try response.json["results"] as? [[String: Any]])
            #expect(results.map { $0["reference"] as? String } == ["seat 1A", "seat 1B"])
            #expect(results.map { $0["matches"] as? Int } == [0, 1])
            let candidate = try #require((results[1]["candidates"] as? [[String: Any]])?.first)
            #expect(candidate["threshold"] as? Double == 0.75)

            let one = PersonJSON.query(["Jean Martin"])
            let full = Array(repeating: one, count: 500).joined(separator: ",")
            let accepted = try await client.send(
                .post, "/v1/screening/persons/batch", as: "ITA", fixture: fixture, json: #"{"queries":[\#(full)]}"#)
            #expect(accepted.status == .ok)
            let tooMany = try await client.send(
                .post, "/v1/screening/persons/batch", as: "ITA", fixture: fixture,
                json: #"{"queries":[\#(full),\#(one)]}"#)
            #expect(tooMany.status == .unprocessableContent)
            #expect(try tooMany.json["field"] as? String == "/queries")
            #expect((try tooMany.json["detail"] as? String)?.contains("501") == true)
            let none = try await client.send(
                .post, "/v1/screening/persons/batch", as: "ITA", fixture: fixture, json: #"{"queries":[]}"#)
            #expect(none.status == .unprocessableContent)
        }
    }

    @Test("bad input is a precise 4xx: threshold, names, fields, JSON, media type, size")
    func badInput() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            func post(_ json: String, _ path: String = "/v1/screening/persons") async throws -> TestResponse {
                try await client.send(.post, path, as: "ITA", fixture: fixture, json: json)
            }
            for threshold in ["0.49", "1", "-3", "0.995"] {
                let response = try await post(PersonJSON.query(["Jean Martin"], extra: #","threshold":\#(threshold)"#))
                #expect(response.status == .unprocessableContent, "\(threshold)")
                #expect(try response.json["field"] as? String == "/threshold")
            }
            // Refused screenings are queries too, and journaled.
            let refused = try await fixture.store.journal(after: 0, limit: 500, category: .query).filter {
                $0.draft.action == "person.screen" && $0.draft.outcome.hasPrefix("refused")
            }
            #expect(refused.count == 4)
            #expect(try await post(PersonJSON.query(["Jean Martin"], extra: #","threshold":0.5"#)).status == .ok)
            #expect(try await post(PersonJSON.query(["Jean Martin"], extra: #","threshold":0.99"#)).status == .ok)
            let batchThreshold = try await post(
                #"{"queries":[\#(PersonJSON.query(["A B"]))],"threshold":2}"#, "/v1/screening/persons/batch")
            #expect(try batchThreshold.json["field"] as? String == "/threshold")

            let names = try await post(#"{"names":[]}"#)
            #expect(try names.json["field"] as? String == "/names")
            let blank = try await post(
                #"{"queries":[{"names":["ok"]},{"names":["  "]}]}"#, "/v1/screening/persons/batch")
            #expect(try blank.json["field"] as? String == "/queries/1/names/0")
            let unknown = try await post(#"{"names":["A"],"nationalities":["FRA"]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.json["type"] as? String == "urn:concord:problem:unknown-field")
            let wrongType = try await post(#"{"names":"Jean"}"#)
            #expect(wrongType.status == .unprocessableContent)
            let badDate = try await post(#"{"names":["Jean"],"dateOfBirth":"12/05/1980"}"#)
            #expect(try badDate.json["field"] as? String == "/dateOfBirth")
            let malformed = try await post(#"{"names":["Jean""#)
            #expect(malformed.status == .badRequest)
            let empty = try await post("")
            #expect(empty.status == .badRequest)
            let huge = try await post(
                #"{"names":["\#(String(repeating: "a", count: ConcordRequestContext.maximumBodySize))"]}"#)
            #expect(huge.status == .contentTooLarge)
            var headers = fixture.headers("ITA")
            headers[.contentType] = "text/plain"
            let text = try await client.execute(
                uri: "/v1/screening/persons", method: .post, headers: headers,
                body: ByteBuffer(string: PersonJSON.query(["Jean"])))
            #expect(text.status == .unsupportedMediaType)
        }
    }

    @Test("every screening is in the journal: who, which records were shown, and how many matched")
    func journaled() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.recordPerson(PersonJSON.person(), as: "FRA", fixture: fixture)
            let query = PersonJSON.query(["Dmitri Ivanov"], born: "1970-04-12")
            _ = try await client.screen(query, as: "ITA-frontline", fixture: fixture)
            _ = try await client.send(
                .post, "/v1/screening/persons/batch", as: "DEU", fixture: fixture,
                json: #"{"queries":[\#(query),\#(PersonJSON.query(["Nobody Known"]))]}"#)
            _ = try await client.send(.post, "/v1/screening/persons", as: "partner-ESP", fixture: fixture, json: query)
            let entries = try await fixture.store.journal(after: 0, limit: 1000, category: .query)
                .map(\.draft).filter { $0.action.hasPrefix("person.screen") }
            #expect(entries.map(\.action) == ["person.screen", "person.screen-batch", "person.screen"])
            #expect(entries.map(\.targets) == [[id], [id], []])
            #expect(entries.map(\.outcome) == ["screened 1, matches 1", "screened 2, matches 1", "refused"])
            #expect(entries[0].member == "ITA")
            #expect(entries[1].member == "DEU")
        }
    }

    @Test("an owner who asked to be told hears of screenings its data answered, outside its own NCB")
    func ownerTold() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.recordPerson(
                PersonJSON.person(extra: #","restrictions":{"notifyOwner":true}"#), as: "FRA", fixture: fixture)
            let query = PersonJSON.query(["Dmitri Ivanov"], born: "1970")
            _ = try await client.screen(query, as: "FRA", fixture: fixture)
            _ = try await client.screen(PersonJSON.query(["Jean Martin"]), as: "ITA", fixture: fixture)
            #expect(try await fixture.store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 10).isEmpty)
            _ = try await client.screen(query, as: "ITA-frontline", fixture: fixture)
            let alerts = try await fixture.store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 10)
            #expect(alerts.map(\.draft.event) == [.recordQueried])
            let payload = try #require(
                try JSONSerialization.jsonObject(with: alerts[0].draft.payload) as? [String: Any])
            #expect(payload["record"] as? String == id)
            #expect(payload["action"] as? String == "person.screen")
            #expect(payload["member"] as? String == "ITA")
        }
    }

    @Test("diffusion subjects are screenable by recipients only, and no longer once cancelled or found non-compliant")
    func diffusions() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let sent = try await client.send(
                .post, "/v1/diffusions", as: "FRA", fixture: fixture, json: NoticeJSON.diffusion())
            let id = try #require(try sent.json["id"] as? String)
            let query = PersonJSON.query(["Jean-Marc Dupont"], born: "1980-05-12")
            let recipient = try await client.screen(query, as: "ITA", fixture: fixture)
            #expect(recipient.first?.source["kind"] as? String == "diffusion")
            #expect(recipient.first?.source["id"] as? String == id)
            #expect(recipient.first?.source["actionRequested"] as? String == "Arrest with a view to extradition.")
            #expect(try await client.screen(query, as: "ESP", fixture: fixture).isEmpty)
            _ = try await client.send(.post, "/v1/diffusions/\(id)/cancel", as: "FRA", fixture: fixture)
            #expect(try await client.screen(query, as: "ITA", fixture: fixture).isEmpty)

            let other = try await client.send(
                .post, "/v1/diffusions", as: "FRA", fixture: fixture, json: NoticeJSON.diffusion())
            let otherID = try #require(try other.json["id"] as? String)
            #expect(try await client.screen(query, as: "ITA", fixture: fixture).count == 1)
            let review = try await client.send(
                .post, "/v1/diffusions/\(otherID)/review", as: "reviewer", fixture: fixture,
                json: #"{"compliant":false,"reasons":["Private dispute"]}"#)
            #expect(review.status == .ok, "\(review.text)")
            #expect(try await client.screen(query, as: "ITA", fixture: fixture).isEmpty)
            #expect(fixture.concord.screeningIndex.count == 0)
        }
    }

    @Test("a published notice past its review date stops matching at once, and leaves the index once expired")
    func expiredNotice() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            _ = try await client.publishNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            let query = PersonJSON.query(["Jean Marc Dupont"], born: "1980-05-12")
            #expect(try await client.screen(query, as: "DEU", fixture: fixture).count == 1)
            #expect(fixture.concord.screeningIndex.count == 1)
            fixture.clock.advance(by: 5 * 366 * 86_400)
            #expect(try await client.screen(query, as: "DEU", fixture: fixture).isEmpty)
            // The node's own upkeep runs beside the test and may expire it first; either way it
            // is expired once this returns.
            _ = try await fixture.concord.notices.expireDue()
            #expect(try await fixture.concord.notices.expireDue() == 0)
            #expect(try await client.screen(query, as: "DEU", fixture: fixture).isEmpty)
            #expect(fixture.concord.screeningIndex.count == 0)
        }
    }
}
