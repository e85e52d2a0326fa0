import ConcordCore
import ConcordStore
import Foundation
import HummingbirdTesting
import Testing

@testable import ConcordServer

@Suite("Diffusions API")
struct DiffusionAPITests {
    @Test("recipients see a diffusion at once; nobody else sees a trace of it")
    func recipientsOnly() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let sent = try await client.send(
                .post, "/v1/diffusions", as: "FRA", fixture: fixture, json: NoticeJSON.diffusion())
            #expect(sent.status == .created, "\(sent.text)")
            let id = try #require(try sent.json["id"] as? String)
            for key in ["ITA", "DEU"] {
                let read = try await client.send(.get, "/v1/diffusions/\(id)", as: key, fixture: fixture)
                #expect(read.status == .ok)
                #expect(try read.json["history"] == nil)
                let list = try await client.send(.get, "/v1/diffusions", as: key, fixture: fixture)
                #expect(try list.json["total"] as? Int == 1)
                let alerts = try await fixture.store.alerts(for: .member(MemberCode(key)!), after: 0, limit: 10)
                #expect(alerts.map(\.draft.event) == [.diffusionUpdated])
            }
            let owner = try await client.send(.get, "/v1/diffusions/\(id)", as: "FRA", fixture: fixture)
            #expect(try owner.json["history"] as? [Any] != nil)
            let outsider = try await client.send(.get, "/v1/diffusions/\(id)", as: "ESP", fixture: fixture)
            #expect(outsider.status == .notFound)
            let outsiderList = try await client.send(.get, "/v1/diffusions", as: "ESP", fixture: fixture)
            #expect(try outsiderList.json["total"] as? Int == 0)
            let frontline = try await client.send(.get, "/v1/diffusions/\(id)", as: "ITA-frontline", fixture: fixture)
            #expect(frontline.status == .forbidden)

            let invalid = try await client.send(
                .post, "/v1/diffusions", as: "FRA", fixture: fixture,
                json: NoticeJSON.diffusion(recipients: #"["FRA"]"#).replacingOccurrences(
                    of: "Arrest with a view to extradition.", with: " "))
            #expect(invalid.status == .unprocessableContent)
            let fields = try #require(try invalid.json["errors"] as? [[String: String]]).compactMap { $0["field"] }
            #expect(fields == ["/recipients", "/summary/text"])
        }
    }

    @Test("found non-compliant, a diffusion tells every recipient to update its records and stops being served")
    func nonCompliant() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let sent = try await client.send(
                .post, "/v1/diffusions", as: "FRA", fixture: fixture, json: NoticeJSON.diffusion())
            let id = try #require(try sent.json["id"] as? String)
            let queued = try await client.send(.get, "/v1/review/queue", as: "reviewer", fixture: fixture)
            let entries = try #require(try queued.json["items"] as? [[String: Any]])
            #expect(entries.map { $0["id"] as? String } == [id])
            #expect(entries.first?["kind"] as? String == "diffusion")

            let byRecipient = try await client.send(
                .post, "/v1/diffusions/\(id)/review", as: "ITA", fixture: fixture, json: #"{"compliant":false}"#)
            #expect(byRecipient.status == .forbidden)
            let withoutReasons = try await client.send(
                .post, "/v1/diffusions/\(id)/review", as: "reviewer", fixture: fixture, json: #"{"compliant":false}"#)
            #expect(withoutReasons.status == .unprocessableContent)
            let reviewed = try await client.send(
                .post, "/v1/diffusions/\(id)/review", as: "reviewer", fixture: fixture,
                json: #"{"compliant":false,"reasons":["Predominantly political"]}"#)
            #expect(try reviewed.json["state"] as? String == "non-compliant")

            for key in ["ITA", "DEU"] {
                let alerts = try await fixture.store.alerts(for: .member(MemberCode(key)!), after: 0, limit: 10)
                let update = try #require(alerts.last)
                #expect(update.draft.event == .recordsUpdateRequested)
                let payload = try #require(JSONSerialization.jsonObject(with: update.draft.payload) as? [String: Any])
                #expect(payload["diffusion"] as? String == id)
                #expect(payload["reasons"] as? [String] == ["Predominantly political"])
                let read = try await client.send(.get, "/v1/diffusions/\(id)", as: key, fixture: fixture)
                #expect(read.status == .notFound)
            }
            let owner = try await client.send(.get, "/v1/diffusions/\(id)", as: "FRA", fixture: fixture)
            #expect(try owner.json["state"] as? String == "non-compliant")
            let queue = try await client.send(.get, "/v1/review/queue", as: "reviewer", fixture: fixture)
            #expect(try (queue.json["items"] as? [Any])?.isEmpty == true)
            let cancel = try await client.send(.post, "/v1/diffusions/\(id)/cancel", as: "FRA", fixture: fixture)
            #expect(cancel.status == .conflict)
        }
    }

    @Test("the owner cancels; recipients are told and no longer see it")
    func ownerCancels() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let sent = try await client.send(
                .post, "/v1/diffusions", as: "FRA", fixture: fixture, json: NoticeJSON.diffusion(recipients: #""all""#))
            let id = try #require(try sent.json["id"] as? String)
            let esp = try await client.send(.get, "/v1/diffusions/\(id)", as: "ESP", fixture: fixture)
            #expect(esp.status == .ok)
            let byOther = try await client.send(.post, "/v1/diffusions/\(id)/cancel", as: "ITA", fixture: fixture)
            #expect(byOther.status == .forbidden)
            let cancelled = try await client.send(
                .post, "/v1/diffusions/\(id)/cancel", as: "FRA", fixture: fixture,
                json: #"{"reasons":["Person arrested"]}"#)
            #expect(try cancelled.json["state"] as? String == "cancelled")
            let after = try await client.send(.get, "/v1/diffusions/\(id)", as: "ESP", fixture: fixture)
            #expect(after.status == .notFound)
            let alerts = try await fixture.store.alerts(for: .member(MemberCode("ESP")!), after: 0, limit: 10)
            #expect(alerts.map(\.draft.event) == [.diffusionUpdated, .recordsUpdateRequested])
        }
    }
}
