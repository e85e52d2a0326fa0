import ConcordCore
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ConcordServer

@Suite("Notices API")
struct NoticeAPITests {
    @Test("a red notice goes from draft to published, each step journaled and told to its owner")
    func lifecycle() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.draftNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            let draft = try await client.send(.get, "/v1/notices/\(id)", as: "FRA", fixture: fixture)
            #expect(try draft.json["state"] as? String == "draft")
            #expect(try (draft.json["missing"] as? [Any])?.isEmpty == true)

            let submitted = try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            #expect(submitted.status == .ok)
            #expect(try submitted.json["state"] as? String == "submitted")
            #expect(try submitted.json["findings"] as? [Any] != nil)

            // The owner, even its head of NCB, never decides on its own request.
            for key in ["FRA", "FRA-admin"] {
                let refused = try await client.send(
                    .post, "/v1/notices/\(id)/decision", as: key, fixture: fixture, json: #"{"decision":"publish"}"#)
                #expect(refused.status == .forbidden)
            }
            let published = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture,
                json: #"{"decision":"publish"}"#)
            #expect(published.status == .ok)
            let reference = try #require(try published.json["reference"] as? String)
            #expect(NoticeReference(reference) == NoticeReference(year: 2027, sequence: 1))

            let steps = try await fixture.store.journal(after: 0, limit: 1000, category: .write)
                .filter { $0.draft.targets == [id] }.map(\.draft.action)
            #expect(steps == ["notice.draft", "notice.submitted", "notice.published"])
            let alerts = try await fixture.store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 100)
                .filter { $0.draft.event == .noticeUpdated }
            #expect(alerts.count == 2)
            let lastAlert = try #require(alerts.last)
            let last = try #require(JSONSerialization.jsonObject(with: lastAlert.draft.payload) as? [String: Any])
            #expect(last["to"] as? String == "published")
            #expect(last["reference"] as? String == reference)

            // Published: the owner cancels; a second publication takes the next number.
            let second = try await client.publishNotice(
                NoticeJSON.red(family: "Martin", document: "99ZZ11111"), as: "FRA", fixture: fixture)
            #expect(NoticeReference(second.reference) == NoticeReference(year: 2027, sequence: 2))
            let cancelled = try await client.send(.post, "/v1/notices/\(id)/cancel", as: "FRA", fixture: fixture)
            #expect(try cancelled.json["state"] as? String == "cancelled")
        }
    }

    @Test("an incomplete request is refused with every missing field, and stays a draft")
    func everyMissingFieldAtOnce() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.draftNotice(
                #"{"type":"red","subjects":[{"familyName":"Dupont"}]}"#, as: "FRA", fixture: fixture)
            let response = try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.json
            #expect(problem["type"] as? String == "urn:concord:problem:invalid-fields")
            let errors = try #require(problem["errors"] as? [[String: String]])
            let fields = Set(errors.compactMap { $0["field"] })
            #expect(
                fields.isSuperset(of: [
                    "/subjects/0/forenames", "/subjects/0/sex", "/subjects/0/dateOfBirth", "/subjects/0/nationalities",
                    "/judicial",
                ]))
            #expect(errors.allSatisfy { $0["reason"]?.isEmpty == false })
            let after = try await client.send(.get, "/v1/notices/\(id)", as: "FRA", fixture: fixture)
            #expect(try after.json["state"] as? String == "draft")
            #expect(try (after.json["missing"] as? [Any])?.count == errors.count)

            let unknown = try await client.send(
                .post, "/v1/notices", as: "FRA", fixture: fixture, json: #"{"type":"red","colour":"red"}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.json["field"] as? String == "/colour")
        }
    }

    @Test("returned for information, edited and submitted again; refusing and returning need reasons")
    func returnEditResubmit() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.draftNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            let bare = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture, json: #"{"decision":"return"}"#)
            #expect(bare.status == .unprocessableContent)
            #expect(try bare.json["field"] as? String == "/reasons")
            let returned = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture,
                json: #"{"decision":"return","reasons":["Which court issued the warrant?"]}"#)
            #expect(try returned.json["state"] as? String == "returned")
            let other = try await client.send(
                .put, "/v1/notices/\(id)", as: "ITA", fixture: fixture, json: NoticeJSON.red(family: "Durand"))
            #expect(other.status == .notFound)
            let edited = try await client.send(
                .put, "/v1/notices/\(id)", as: "FRA", fixture: fixture, json: NoticeJSON.red(family: "Durand"))
            #expect(edited.status == .ok)
            #expect(try edited.json["version"] as? Int == 4)
            let again = try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            #expect(try again.json["state"] as? String == "submitted")
            let refused = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture,
                json: #"{"decision":"refuse","reasons":["Predominantly political"]}"#)
            #expect(try refused.json["state"] as? String == "refused")
            let late = try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            #expect(late.status == .conflict)
        }
    }

    @Test("the General Secretariat or the CCF withdraws a published notice; nobody else may")
    func withdrawal() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let first = try await client.publishNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            let second = try await client.publishNotice(
                NoticeJSON.red(family: "Martin", document: "99ZZ11111"), as: "FRA", fixture: fixture)
            let owner = try await client.send(
                .post, "/v1/notices/\(first.id)/withdraw", as: "FRA", fixture: fixture, json: #"{"reasons":["x"]}"#)
            #expect(owner.status == .forbidden)
            let byReviewer = try await client.send(
                .post, "/v1/notices/\(first.id)/withdraw", as: "reviewer", fixture: fixture,
                json: #"{"reasons":["New information from the defence"]}"#)
            #expect(try byReviewer.json["state"] as? String == "withdrawn")
            let byCCF = try await client.send(
                .post, "/v1/notices/\(second.id)/withdraw", as: "ccf", fixture: fixture,
                json: #"{"reasons":["CCF decision 2027/14"]}"#)
            #expect(try byCCF.json["state"] as? String == "withdrawn")
            let history = try #require(try byCCF.json["history"] as? [[String: Any]])
            #expect(history.last?["authority"] as? String == "ccf")
        }
    }

    @Test("a restricted notice leaves no trace for an excluded member: not listed, not counted, 404 like none")
    func restrictedNoticeLeavesNoTrace() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let open = try await client.publishNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            let restricted = try await client.publishNotice(
                NoticeJSON.red(
                    family: "Martin", document: "99ZZ11111", restrictions: #"{"visibility":"only","members":["ITA"]}"#),
                as: "FRA", fixture: fixture)
            let draft = try await client.draftNotice(NoticeJSON.red(family: "Bernard"), as: "FRA", fixture: fixture)

            let seenByGermany = try await client.send(.get, "/v1/notices", as: "DEU", fixture: fixture)
            #expect(try seenByGermany.json["total"] as? Int == 1)
            let germanIDs = try #require(try seenByGermany.json["items"] as? [[String: Any]]).compactMap {
                $0["id"] as? String
            }
            #expect(germanIDs == [open.id])
            let seenByItaly = try await client.send(.get, "/v1/notices", as: "ITA", fixture: fixture)
            #expect(try seenByItaly.json["total"] as? Int == 2)
            let seenByOwner = try await client.send(.get, "/v1/notices?owner=FRA", as: "FRA", fixture: fixture)
            #expect(try seenByOwner.json["total"] as? Int == 3)

            let hidden = try await client.send(.get, "/v1/notices/\(restricted.id)", as: "DEU", fixture: fixture)
            let missingID = RecordID.random().rawValue
            let missing = try await client.send(.get, "/v1/notices/\(missingID)", as: "DEU", fixture: fixture)
            #expect(hidden.status == .notFound)
            #expect(missing.status == .notFound)
            #expect(try hidden.json["type"] as? String == (try missing.json["type"] as? String))
            #expect(
                (try hidden.json["detail"] as? String)?.replacingOccurrences(of: restricted.id, with: "ID")
                    == (try missing.json["detail"] as? String)?.replacingOccurrences(of: missingID, with: "ID"))
            let draftByOther = try await client.send(.get, "/v1/notices/\(draft)", as: "ITA", fixture: fixture)
            #expect(draftByOther.status == .notFound)

            // Nor does the public see it, whoever asks.
            let publicList = try await client.send(.get, "/public/notices/v1/red", as: nil, fixture: fixture)
            #expect(try publicList.json["total"] as? Int == 1)
            let publicHidden = try await client.send(
                .get, "/public/notices/v1/red/\(restricted.reference.replacingOccurrences(of: "/", with: "-"))",
                as: nil, fixture: fixture)
            #expect(publicHidden.status == .notFound)

            // Frontline officers and partners do not browse notices at all.
            for key in ["ITA-frontline", "partner-ESP"] {
                let refused = try await client.send(.get, "/v1/notices", as: key, fixture: fixture)
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test("the review queue lists submitted requests riskiest first, with their findings, for reviewers only")
    func reviewQueue() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let plain = try await client.draftNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            try await client.send(.post, "/v1/notices/\(plain)/submit", as: "FRA", fixture: fixture)
            fixture.clock.advance(by: 86_400)
            let political = try await client.draftNotice(
                NoticeJSON.red(family: "Ricci", document: "77YY22222", offence: "Insulting the head of state"),
                as: "ITA", fixture: fixture)
            try await client.send(.post, "/v1/notices/\(political)/submit", as: "ITA", fixture: fixture)
            try await client.send(.post, "/v1/notices", as: "FRA", fixture: fixture, json: NoticeJSON.red())

            for key in ["FRA", "ccf", "admin"] {
                let refused = try await client.send(.get, "/v1/review/queue", as: key, fixture: fixture)
                #expect(refused.status == .forbidden)
            }
            let queue = try await client.send(.get, "/v1/review/queue", as: "reviewer", fixture: fixture)
            let items = try #require(try queue.json["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["id"] as? String } == [political, plain])
            let findings = try #require(items.first?["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["kind"] as? String == "article-3" })
            #expect((items.first?["riskScore"] as? Int ?? 0) > (items.last?["riskScore"] as? Int ?? 0))
        }
    }

    @Test("silver notices reach members but never the public, and cannot ask for a public extract")
    func silverNeverPublic() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let silver = try await client.publishNotice(NoticeJSON.silver, as: "FRA", fixture: fixture)
            let seen = try await client.send(.get, "/v1/notices/\(silver.id)", as: "DEU", fixture: fixture)
            #expect(seen.status == .ok)
            for path in ["red", "yellow", "un"] {
                let page = try await client.send(.get, "/public/notices/v1/\(path)", as: nil, fixture: fixture)
                #expect(try page.json["total"] as? Int == 0)
            }
            let silverPath = try await client.send(.get, "/public/notices/v1/silver", as: nil, fixture: fixture)
            #expect(silverPath.status == .notFound)
            let consenting = try await client.draftNotice(
                NoticeJSON.silver.replacingOccurrences(
                    of: #""type":"silver""#, with: #""type":"silver","publicExtractConsent":true"#),
                as: "FRA", fixture: fixture)
            let refused = try await client.send(.post, "/v1/notices/\(consenting)/submit", as: "FRA", fixture: fixture)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json["field"] as? String == "/publicExtractConsent")
        }
    }

    @Test("a checked document on a published red notice says so: the notice to NCBs, only 'wanted' at the border")
    func documentsOnRedNotices() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let published = try await client.publishNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            _ = try await client.publishNotice(
                NoticeJSON.red(
                    family: "Martin", document: "99ZZ11111", restrictions: #"{"visibility":"only","members":["ITA"]}"#),
                as: "FRA", fixture: fixture)
            _ = try await client.draftNotice(
                NoticeJSON.red(family: "Roux", document: "55RR55555"), as: "FRA", fixture: fixture)
            let body = checkJSON([
                ("FRA", "passport", "12 ab 34567"), ("FRA", "passport", "99ZZ11111"), ("FRA", "passport", "55RR55555"),
            ])
            func mentions(_ key: String) async throws -> [[String: Any]?] {
                let response = try await client.send(
                    .post, "/v1/documents/check", as: key, fixture: fixture, json: body)
                #expect(response.status == .ok)
                let results = try #require(try response.json["results"] as? [[String: Any]])
                #expect(results.allSatisfy { $0["hit"] as? Bool == false })
                return results.map { $0["notice"] as? [String: Any] }
            }
            let officer = try await mentions("DEU")
            #expect(officer[0]?["reference"] as? String == published.reference)
            #expect(officer[0]?["owner"] as? String == "FRA")
            #expect(officer[0]?["type"] as? String == "red")
            #expect(officer[1] == nil)
            #expect(officer[2] == nil)
            let border = try await mentions("ITA-frontline")
            #expect(border[0]?.keys.sorted() == ["type"])
            #expect(border[1]?.keys.sorted() == ["type"])
            #expect(border[2] == nil)

            // Cancelled, the notice no longer answers checks.
            try await client.send(.post, "/v1/notices/\(published.id)/cancel", as: "FRA", fixture: fixture)
            #expect(try await mentions("DEU")[0] == nil)
        }
    }

    @Test("below the penalty threshold, only a General Secretariat exception lets a red notice be published")
    func penaltyException() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.draftNotice(NoticeJSON.red(months: 12), as: "FRA", fixture: fixture)
            let submitted = try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            let findings = try #require(try submitted.json["findings"] as? [[String: Any]])
            #expect(
                findings.contains {
                    $0["kind"] as? String == "penalty-threshold" && $0["severity"] as? String == "blocking"
                })
            let publish = #"{"decision":"publish"}"#
            let refused = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture, json: publish)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.json["field"] as? String == "/judicial/charges/0/penalty")

            let exception = #"{"reason":"Part of an organised series of robberies"}"#
            let byOwner = try await client.send(
                .post, "/v1/notices/\(id)/penalty-exception", as: "FRA", fixture: fixture, json: exception)
            #expect(byOwner.status == .forbidden)
            let recorded = try await client.send(
                .post, "/v1/notices/\(id)/penalty-exception", as: "reviewer", fixture: fixture, json: exception)
            #expect(recorded.status == .ok)
            let weighed = try #require(try recorded.json["findings"] as? [[String: Any]])
            #expect(
                weighed.contains { $0["kind"] as? String == "penalty-threshold" && $0["severity"] as? String == "info" }
            )
            let published = try await client.send(
                .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture, json: publish)
            #expect(try published.json["state"] as? String == "published")
        }
    }

    @Test("a likely duplicate is shown to the reviewer, never to the requesting member")
    func duplicatesStayWithTheSecretariat() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            // Germany's draft on the same person, which Italy may never learn of.
            _ = try await client.draftNotice(NoticeJSON.red(family: "Dupont"), as: "DEU", fixture: fixture)
            let id = try await client.draftNotice(NoticeJSON.red(family: "Dupont"), as: "ITA", fixture: fixture)
            let submitted = try await client.send(.post, "/v1/notices/\(id)/submit", as: "ITA", fixture: fixture)
            let ownerFindings = try #require(try submitted.json["findings"] as? [[String: Any]])
            #expect(!ownerFindings.contains { $0["kind"] as? String == "likely-duplicate" })
            let reviewed = try await client.send(.get, "/v1/notices/\(id)", as: "reviewer", fixture: fixture)
            let findings = try #require(try reviewed.json["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["kind"] as? String == "likely-duplicate" })
            #expect(try reviewed.json["riskScore"] as? Int ?? 0 > (try submitted.json["riskScore"] as? Int ?? 0))
        }
    }

    @Test("past its review date a published notice expires, its owner is told, and the public no longer sees it")
    func expiry() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let published = try await client.publishNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            #expect(try await fixture.concord.notices.expireDue() == 0)
            fixture.clock.advance(by: 5 * 366 * 86_400)
            // The node's own upkeep runs beside the test and may expire it first; either way it
            // expires exactly once.
            _ = try await fixture.concord.notices.expireDue()
            #expect(try await fixture.concord.notices.expireDue() == 0)
            let notice = try await client.send(.get, "/v1/notices/\(published.id)", as: "FRA", fixture: fixture)
            #expect(try notice.json["state"] as? String == "expired")
            let history = try #require(try notice.json["history"] as? [[String: Any]])
            #expect(history.last?["authority"] as? String == "system")
            let alerts = try await fixture.store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 10)
            let expiries = try alerts.filter { alert in
                let payload = try JSONSerialization.jsonObject(with: alert.draft.payload) as? [String: Any]
                return payload?["to"] as? String == "expired"
            }
            #expect(expiries.count == 1)
            #expect(expiries.first?.sequence == alerts.last?.sequence)
            let publicList = try await client.send(.get, "/public/notices/v1/red", as: nil, fixture: fixture)
            #expect(try publicList.json["total"] as? Int == 0)
        }
    }

    @Test("bad input gets a precise 4xx problem and changes nothing")
    func badInput() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.draftNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            try await client.send(.post, "/v1/notices/\(id)/submit", as: "FRA", fixture: fixture)
            let longReason = String(repeating: "x", count: 2001)
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String?)] = [
                (.post, "/v1/notices", "{", .badRequest, nil),
                (.post, "/v1/notices", #"{"type":"scarlet"}"#, .unprocessableContent, "/type"),
                (
                    .post, "/v1/notices", #"{"type":"red","subjects":[{"nationalities":["XXX"]}]}"#,
                    .unprocessableContent, "/subjects/0/nationalities/0"
                ),
                (.post, "/v1/notices/\(id)/decision", "", .badRequest, nil),
                (.post, "/v1/notices/\(id)/decision", #"{"decision":"approve"}"#, .unprocessableContent, "/decision"),
                (
                    .post, "/v1/notices/\(id)/decision", #"{"decision":"refuse","reasons":["\#(longReason)"]}"#,
                    .unprocessableContent, "/reasons"
                ),
                (.post, "/v1/notices/not-a-uuid/submit", nil, .notFound, nil),
                (.put, "/v1/notices/\(id)", #"{"type":"yellow"}"#, .conflict, nil),
                (.get, "/v1/notices?state=lost", nil, .unprocessableContent, "/state"),
                (.get, "/v1/notices?cursor=nonsense", nil, .unprocessableContent, "/cursor"),
                (
                    .post, "/v1/diffusions", #"{"kind":"wanted","recipients":"some"}"#, .unprocessableContent,
                    "/recipients"
                ),
            ]
            for (method, path, body, status, field) in cases {
                let key = path.contains("decision") ? "reviewer" : "FRA"
                let response = try await client.send(method, path, as: key, fixture: fixture, json: body)
                #expect(response.status == status, "\(method) \(path) \(body ?? "")")
                #expect(response.headers[.contentType] == "application/problem+json")
                if let field { #expect(try response.json["field"] as? String == field, "\(path)") }
            }
            let after = try await client.send(.get, "/v1/notices/\(id)", as: "FRA", fixture: fixture)
            #expect(try after.json["state"] as? String == "submitted")
            #expect(try after.json["version"] as? Int == 2)
        }
    }

    @Test("an owner that asked to hear of reads is told when another member reads its notice")
    func notifyOwnerOfReads() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let published = try await client.publishNotice(
                NoticeJSON.red(restrictions: #"{"visibility":"all","notifyOwner":true}"#), as: "FRA", fixture: fixture)
            func queried() async throws -> [Alert] {
                try await fixture.store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 100)
                    .filter { $0.draft.event == .recordQueried }
            }
            try await client.send(.get, "/v1/notices/\(published.id)", as: "FRA", fixture: fixture)
            #expect(try await queried().isEmpty)
            try await client.send(.get, "/v1/notices/\(published.id)", as: "DEU", fixture: fixture)
            let alerts = try await queried()
            #expect(alerts.count == 1)
            let first = try #require(alerts.first)
            let payload = try #require(JSONSerialization.jsonObject(with: first.draft.payload) as? [String: Any])
            #expect(payload["member"] as? String == "DEU")
            #expect(payload["action"] as? String == "notice.read")
        }
    }
}
