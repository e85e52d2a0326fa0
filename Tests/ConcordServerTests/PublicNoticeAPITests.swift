import ConcordCore
import ConcordStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ConcordServer

/// The shapes of the public notices API's answers, written from that API's documented fields:
/// what a client written for it reads. Values are examples; the tests compare shapes.
enum PublicNoticeFixtures {
    static let list = """
        {
          "total": 1,
          "query": {"page": 1, "resultPerPage": 20},
          "_embedded": {
            "notices": [
              {
                "entity_id": "2027/00001",
                "forename": "JEAN MARC",
                "name": "DUPONT",
                "date_of_birth": "1980/05/12",
                "nationalities": ["FR"],
                "_links": {
                  "self": {"href": "https://host/public/notices/v1/red/2027-00001"},
                  "images": {"href": "https://host/public/notices/v1/red/2027-00001/images"},
                  "thumbnail": {"href": "https://host/public/notices/v1/red/2027-00001/images/1"}
                }
              }
            ]
          },
          "_links": {
            "self": {"href": "https://host/public/notices/v1/red?page=1&resultPerPage=20"},
            "first": {"href": "https://host/public/notices/v1/red?page=1&resultPerPage=20"},
            "last": {"href": "https://host/public/notices/v1/red?page=1&resultPerPage=20"}
          }
        }
        """

    static let detail = """
        {
          "entity_id": "2027/00001",
          "forename": "JEAN MARC",
          "name": "DUPONT",
          "date_of_birth": "1980/05/12",
          "nationalities": ["FR"],
          "sex_id": "M",
          "place_of_birth": "LYON",
          "arrest_warrants": [
            {"issuing_country_id": "FR", "charge": "Armed robbery", "charge_translation": null}
          ],
          "_links": {
            "self": {"href": "https://host/public/notices/v1/red/2027-00001"},
            "images": {"href": "https://host/public/notices/v1/red/2027-00001/images"},
            "thumbnail": {"href": "https://host/public/notices/v1/red/2027-00001/images/1"}
          }
        }
        """

    static let images = """
        {
          "_embedded": {"images": [{"picture_id": "1", "_links": {"self": {"href": "https://host/x/images/1"}}}]},
          "_links": {"self": {"href": "https://host/x/images"}, "notice": {"href": "https://host/x"}}
        }
        """

    /// A value's shape: objects by their keys, arrays by their first element, scalars by kind.
    /// A string that may be null (`charge_translation`) counts as either.
    static func shape(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0):\(shape(object[$0]!))" }.joined(separator: ",") + "}"
        case let array as [Any]:
            return "[" + (array.first.map(shape) ?? "") + "]"
        case is String, is NSNull:
            return "text"
        case is NSNumber:
            return "number"
        default:
            return "?"
        }
    }

    static func shape(json text: String) throws -> String {
        shape(try JSONSerialization.jsonObject(with: Data(text.utf8)))
    }
}

@Suite("Public notices API")
struct PublicNoticeAPITests {
    /// Publishes red notices of several people, one without consent to a public extract.
    static func publishReds(
        _ client: any TestClientProtocol, _ fixture: ServerFixture, count: Int
    ) async throws
        -> [String]
    {
        var references: [String] = []
        for number in 0..<count {
            let published = try await client.publishNotice(
                NoticeJSON.red(family: "Person\(number)", document: "DOC\(number)X"), as: "FRA", fixture: fixture)
            references.append(published.reference)
        }
        _ = try await client.publishNotice(
            NoticeJSON.red(family: "Private", document: "PRIV0001", consent: false), as: "FRA", fixture: fixture)
        return references
    }

    @Test("answers keep the public notices API's shape")
    func shape() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let published = try await client.publishNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            let id = published.reference.replacingOccurrences(of: "/", with: "-")
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x11, count: 64) + [0xFF, 0xD9])
            let upload = try await client.execute(
                uri: "/v1/notices/\(published.id)/images", method: .post,
                headers: [.authorization: "Bearer \(fixture.keys["FRA"]!)", .contentType: "image/jpeg"],
                body: ByteBuffer(bytes: jpeg))
            #expect(upload.status == .created, "\(upload.text)")

            let list = try await client.send(.get, "/public/notices/v1/red", as: nil, fixture: fixture)
            #expect(list.status == .ok)
            #expect(
                try PublicNoticeFixtures.shape(json: list.text)
                    == PublicNoticeFixtures.shape(json: PublicNoticeFixtures.list))
            let item = try #require((try list.json["_embedded"] as? [String: Any])?["notices"] as? [[String: Any]])
                .first
            #expect(item?["entity_id"] as? String == published.reference)
            #expect(item?["date_of_birth"] as? String == "1980/05/12")
            #expect(item?["nationalities"] as? [String] == ["FR"])

            let detail = try await client.send(.get, "/public/notices/v1/red/\(id)", as: nil, fixture: fixture)
            #expect(
                try PublicNoticeFixtures.shape(json: detail.text)
                    == PublicNoticeFixtures.shape(json: PublicNoticeFixtures.detail))
            let warrant = try #require((try detail.json["arrest_warrants"] as? [[String: Any]])?.first)
            #expect(warrant["issuing_country_id"] as? String == "FR")
            #expect(warrant["charge"] as? String == "Armed robbery")

            let images = try await client.send(.get, "/public/notices/v1/red/\(id)/images", as: nil, fixture: fixture)
            #expect(
                try PublicNoticeFixtures.shape(json: images.text)
                    == PublicNoticeFixtures.shape(json: PublicNoticeFixtures.images))
            let picture = try #require(
                ((try images.json["_embedded"] as? [String: Any])?["images"] as? [[String: Any]])?.first?["picture_id"]
                    as? String)
            let bytes = try await client.send(
                .get, "/public/notices/v1/red/\(id)/images/\(picture)", as: nil, fixture: fixture)
            #expect(bytes.headers[.contentType] == "image/jpeg")
            #expect(Data(bytes.body.readableBytesView) == jpeg)

            // Looked up by anyone, journaled as queries of the anonymous public.
            let queries = try await fixture.store.journal(after: 0, limit: 1000, category: .query)
                .filter { $0.draft.action.hasPrefix("public-notice.") }
            #expect(queries.count == 4)
            #expect(queries.allSatisfy { $0.draft.actor == "anonymous" })
        }
    }

    @Test("a client pages through every public notice by following _links.next")
    func pagingLikeAClient() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let references = try await Self.publishReds(client, fixture, count: 5)
            var next: String? = "/public/notices/v1/red?page=1&resultPerPage=2"
            var seen: [String] = []
            var pages = 0
            while let href = next {
                let page = try await client.send(.get, href, as: nil, fixture: fixture)
                #expect(page.status == .ok)
                #expect(try page.json["total"] as? Int == 5)
                let notices = try #require(
                    (try page.json["_embedded"] as? [String: Any])?["notices"] as? [[String: Any]])
                seen += notices.compactMap { $0["entity_id"] as? String }
                next = ((try page.json["_links"] as? [String: Any])?["next"] as? [String: Any])?["href"] as? String
                pages += 1
                #expect(pages <= 3)
            }
            #expect(pages == 3)
            #expect(seen == references.sorted(by: >))
        }
    }

    @Test("filters narrow the list the way the public API's parameters do")
    func filters() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            _ = try await Self.publishReds(client, fixture, count: 2)
            _ = try await client.publishNotice(
                NoticeJSON.red(
                    family: "Müller", forenames: "Anna", born: "2001-02-03", nationality: "DEU", document: "DE1234567"),
                as: "DEU", fixture: fixture)
            func total(_ query: String) async throws -> Int? {
                try await client.send(.get, "/public/notices/v1/red?\(query)", as: nil, fixture: fixture).json["total"]
                    as? Int
            }
            #expect(try await total("nationality=DE") == 1)
            #expect(try await total("name=muller") == 1)
            #expect(try await total("arrestWarrantCountryId=FR") == 2)
            #expect(try await total("ageMax=30") == 1)
            #expect(try await total("ageMin=40&ageMax=50") == 2)
            #expect(try await total("freeText=robbery") == 3)
            #expect(try await total("sexId=F") == 0)
            let echoed = try await client.send(.get, "/public/notices/v1/red?nationality=DE", as: nil, fixture: fixture)
            let query = try #require(try echoed.json["query"] as? [String: Any])
            #expect(query.keys.sorted() == ["nationality", "page", "resultPerPage"])
            #expect(query["nationality"] as? String == "DE")
            #expect(query["page"] as? Int == 1)
            #expect(query["resultPerPage"] as? Int == 20)
            let bad = try await client.send(
                .get, "/public/notices/v1/red?resultPerPage=1000", as: nil, fixture: fixture)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.json["field"] as? String == "/resultPerPage")
            let notANumber = try await client.send(.get, "/public/notices/v1/red?page=two", as: nil, fixture: fixture)
            #expect(notANumber.status == .unprocessableContent)
        }
    }

    @Test("photos are JPEG or PNG by their bytes, whole, and at most 5 MiB")
    func photos() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let id = try await client.draftNotice(NoticeJSON.red(), as: "FRA", fixture: fixture)
            func upload(_ bytes: [UInt8], as key: String = "FRA") async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/notices/\(id)/images", method: .post,
                    headers: [.authorization: "Bearer \(fixture.keys[key]!)", .contentType: "image/png"],
                    body: ByteBuffer(bytes: bytes))
            }
            let png: [UInt8] =
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
                + Array(repeating: 1, count: 17) + [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
            #expect(try await upload(png).status == .created)
            let gif = try await upload(Array("GIF89a".utf8) + Array(repeating: 0, count: 20))
            #expect(gif.status == .unsupportedMediaType)
            #expect(gif.headers[.contentType] == "application/problem+json")
            let truncated = try await upload(Array(png.dropLast(6)))
            #expect(truncated.status == .unprocessableContent)
            #expect(try truncated.json["type"] as? String == "urn:concord:problem:invalid-image")
            let huge = try await upload([0xFF, 0xD8, 0xFF] + Array(repeating: 0, count: 5 << 20) + [0xFF, 0xD9])
            #expect(huge.status == .contentTooLarge)
            let byOther = try await upload(png, as: "ITA")
            #expect(byOther.status == .notFound)
            let notice = try await client.send(.get, "/v1/notices/\(id)", as: "FRA", fixture: fixture)
            #expect(try (notice.json["images"] as? [String])?.count == 1)
            // A draft has no public extract, so its photo is not served publicly either.
            let attachments = try await fixture.store.attachments(of: RecordID(rawValue: id))
            #expect(attachments.count == 1)
        }
    }
}
