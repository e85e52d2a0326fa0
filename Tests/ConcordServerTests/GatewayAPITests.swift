import ConcordCore
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A trust group "cyber" on a fixture node: the General Secretariat, France, Germany and two
/// security partners in the Netherlands ("partner-a", "partner-b"), with a shared collection,
/// a police-only one and a drop box partners may add to but not read.
struct GatewayFixture {
    let fixture: ServerFixture
    let shared: String
    let police: String
    let dropBox: String
    let agreements: [String: String]
    /// Key ids, as TLP:RED recipients name them.
    let keyIDs: [String: String]

    static let admin = Principal.key("fixture", role: .secretariatAdmin, member: nil)

    static func make(_ backend: Backend = .sqlite) async throws -> GatewayFixture {
        let fixture = try await ServerFixture.make(backend)
        var keys = fixture.keys
        var agreements: [String: String] = [:]
        var keyIDs: [String: String] = [:]
        for name in ["partner-a", "partner-b"] {
            let agreement = try await fixture.concord.agreements.create(
                NewAgreement(
                    partner: name, services: [.gateway], country: MemberCode("NLD")!,
                    validUntil: fixture.clock.now() + 86_400),
                by: admin)
            let issued = try await fixture.concord.agreements.issueKey(
                agreement.id, NewPartnerKey(label: name), by: admin)
            keys[name] = issued.secret
            keyIDs[name] = issued.record.id
            agreements[name] = agreement.id
        }
        let root = try await fixture.concord.gateway.putRoot(
            name: "cyber",
            NewGatewayRoot(
                title: "Cybercrime",
                participants: ["GS", "FRA", "DEU", agreements["partner-a"]!, agreements["partner-b"]!].map {
                    GatewayParticipant(rawValue: $0)!
                },
                collections: [
                    NewGatewayCollection(title: "Shared", readers: ["participants"], writers: ["participants"]),
                    NewGatewayCollection(title: "Police", readers: ["GS", "FRA", "DEU"], writers: ["FRA", "DEU"]),
                    NewGatewayCollection(title: "Drop box", readers: ["GS"], writers: ["participants"]),
                ]),
            by: admin)
        let withKeys = ServerFixture(test: fixture.test, concord: fixture.concord, keys: keys, clock: fixture.clock)
        return GatewayFixture(
            fixture: withKeys, shared: root.collections[0].id, police: root.collections[1].id,
            dropBox: root.collections[2].id, agreements: agreements, keyIDs: keyIDs)
    }

    func collection(_ id: String) -> String { "/taxii2/cyber/collections/\(id)" }
}

/// A STIX indicator for `value` (`ipv4-addr:value = '…'` and the like), with extra properties.
func indicator(
    _ id: String = "indicator--" + UUID().uuidString.lowercased(), pattern: String,
    modified: String = "2024-03-01T10:00:00.000Z", extra: String = ""
) -> String {
    """
    {"type":"indicator","spec_version":"2.1","id":"\(id)","created":"2024-03-01T10:00:00.000Z",\
    "modified":"\(modified)","pattern":"\(pattern)","pattern_type":"stix",\
    "valid_from":"2024-03-01T10:00:00Z"\(extra)}
    """
}

func envelope(_ objects: [String]) -> String { #"{"objects":[\#(objects.joined(separator: ","))]}"# }

let tlpRed = #","object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]"#
let tlpAmberStrict = #","object_marking_refs":["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"]"#

extension TestClientProtocol {
    /// A TAXII request as clients make it: HTTP Basic with the key as password.
    @discardableResult
    func taxii(
        _ method: HTTPRequest.Method, _ uri: String, as key: String?, fixture: ServerFixture, body: String? = nil,
        accept: String = TAXII.mediaType, contentType: String = TAXII.mediaType
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: accept, .contentType: contentType]
        if let key {
            let credentials = Data("partner:\(fixture.keys[key] ?? key)".utf8).base64EncodedString()
            headers[.authorization] = "Basic \(credentials)"
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Posts objects and requires every one to be accepted.
    func add(_ objects: [String], to collection: String, as key: String, _ gateway: GatewayFixture) async throws {
        let response = try await taxii(
            .post, "\(gateway.collection(collection))/objects/", as: key, fixture: gateway.fixture,
            body: envelope(objects))
        #expect(response.status == .accepted, "\(response.text)")
        #expect(try response.json["success_count"] as? Int == objects.count, "\(response.text)")
    }

    /// Every object (or version, or manifest entry) a reader gets from a listing, following `next`.
    func all(
        _ path: String, as key: String, _ gateway: GatewayFixture, property: String = "objects"
    ) async throws
        -> [Any]
    {
        var items: [Any] = []
        var next: String?
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let uri = path + (next.map { "\(separator)next=\($0)" } ?? "")
            let response = try await taxii(.get, uri, as: key, fixture: gateway.fixture)
            #expect(response.status == .ok, "\(uri): \(response.text)")
            let json = try response.json
            items += json[property] as? [Any] ?? []
            next = json["more"] as? Bool == true ? json["next"] as? String : nil
        } while next != nil
        return items
    }
}

func ids(_ items: [Any]) -> [String] { items.compactMap { ($0 as? [String: Any])?["id"] as? String } }

@Suite("Gateway over TAXII 2.1")
struct GatewayAPITests {
    @Test("discovery, API roots and collections show each participant what it may reach")
    func discovery() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let found = try await client.taxii(.get, "/taxii2/", as: "partner-a", fixture: fixture)
            #expect(found.status == .ok)
            #expect(found.headers[.contentType] == TAXII.mediaType)
            let roots = try found.json["api_roots"] as? [String]
            #expect(roots?.count == 1)
            #expect(roots?.first?.hasSuffix("/taxii2/cyber/") == true)
            // Italy takes part in the Gateway but not in this group.
            let italy = try await client.taxii(.get, "/taxii2/", as: "ITA", fixture: fixture)
            #expect(try italy.json["api_roots"] as? [String] == [])
            #expect(try await client.taxii(.get, "/taxii2/cyber/", as: "ITA", fixture: fixture).status == .notFound)

            let root = try await client.taxii(.get, "/taxii2/cyber/", as: "partner-a", fixture: fixture)
            #expect(try root.json["versions"] as? [String] == [TAXII.mediaType])
            #expect(try root.json["max_content_length"] as? Int == GatewayService.maximumContentLength)

            let listed = try await client.taxii(.get, "/taxii2/cyber/collections/", as: "partner-a", fixture: fixture)
            let collections = try #require(try listed.json["collections"] as? [[String: Any]])
            let access = Dictionary(
                uniqueKeysWithValues: collections.map {
                    ($0["id"] as! String, [$0["can_read"] as! Bool, $0["can_write"] as! Bool])
                })
            #expect(access == [gateway.shared: [true, true], gateway.dropBox: [false, true]])
            let police = try await client.taxii(.get, "/taxii2/cyber/collections/", as: "FRA", fixture: fixture)
            #expect(try (police.json["collections"] as? [Any])?.count == 3)
            #expect(
                try await client.taxii(
                    .get, gateway.collection(gateway.police) + "/", as: "partner-a", fixture: fixture
                )
                .status == .notFound)
        }
    }

    @Test("objects page in the order added, with more, next, the date headers and every filter")
    func paging() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let added = (0..<25).map { indicator(pattern: "[ipv4-addr:value = '203.0.113.\($0)']") }
            for batch in stride(from: 0, to: 25, by: 10) {
                try await client.add(Array(added[batch..<min(batch + 10, 25)]), to: gateway.shared, as: "FRA", gateway)
            }
            let objects = gateway.collection(gateway.shared) + "/objects/"
            let first = try await client.taxii(.get, objects + "?limit=10", as: "partner-a", fixture: fixture)
            #expect(try first.json["more"] as? Bool == true)
            #expect(try (first.json["objects"] as? [Any])?.count == 10)
            let lastAdded = try #require(first.headers[.init("X-TAXII-Date-Added-Last")!])
            #expect(first.headers[.init("X-TAXII-Date-Added-First")!] != nil)
            let everything = try await client.all(objects + "?limit=10", as: "partner-a", gateway)
            let expected = try added.map { try #require(JSONValue.parse(Array($0.utf8))["id"]?.string) }
            #expect(ids(everything) == expected)
            let after = try await client.all(objects + "?added_after=\(lastAdded)", as: "partner-a", gateway)
            #expect(ids(after) == Array(expected.dropFirst(10)))
            let one = try await client.all(objects + "?match[id]=\(expected[3]),\(expected[7])", as: "DEU", gateway)
            #expect(ids(one) == [expected[3], expected[7]])
            #expect(try await client.all(objects + "?match[type]=malware", as: "DEU", gateway).isEmpty)
            #expect(try await client.all(objects + "?match[type]=indicator", as: "DEU", gateway).count == 25)
            // As clients send it, with the brackets percent-encoded.
            #expect(try await client.all(objects + "?match%5Btype%5D=malware", as: "DEU", gateway).isEmpty)
            #expect(try await client.all(objects + "?match[spec_version]=2.0", as: "DEU", gateway).isEmpty)
            let manifest = try await client.all(
                gateway.collection(gateway.shared) + "/manifest/?limit=7", as: "partner-b", gateway)
            #expect(ids(manifest) == expected)
            #expect((manifest.first as? [String: Any])?["media_type"] as? String == TAXII.stixMediaType)
        }
    }

    @Test("versions: the last by default, first, all and named ones; re-posting a version is no error")
    func versions() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let id = "indicator--" + UUID().uuidString.lowercased()
            let times = ["2024-03-01T10:00:00.000Z", "2024-03-02T10:00:00.000Z", "2024-03-03T10:00:00.000Z"]
            let versions = times.map { indicator(id, pattern: "[domain-name:value = 'evil.example']", modified: $0) }
            try await client.add(versions, to: gateway.shared, as: "partner-a", gateway)
            try await client.add([versions[1]], to: gateway.shared, as: "partner-a", gateway)
            let path = gateway.collection(gateway.shared) + "/objects/\(id)/"
            func modified(_ query: String) async throws -> [String] {
                try await client.all(path + query, as: "partner-b", gateway).compactMap {
                    ($0 as? [String: Any])?["modified"] as? String
                }
            }
            #expect(try await modified("") == [times[2]])
            #expect(try await modified("?match[version]=first") == [times[0]])
            #expect(try await modified("?match[version]=all") == times)
            #expect(try await modified("?match[version]=first,last") == [times[0], times[2]])
            #expect(try await modified("?match[version]=\(times[1])") == [times[1]])
            let listed = try await client.all(path + "versions/", as: "partner-b", gateway, property: "versions")
            #expect(listed as? [String] == times)

            // Another organisation may not delete it; its sender may, a version at a time.
            #expect(try await client.taxii(.delete, path, as: "partner-b", fixture: fixture).status == .forbidden)
            let deleted = try await client.taxii(
                .delete, path + "?match[version]=\(times[0])", as: "partner-a", fixture: fixture)
            #expect(deleted.status == .ok)
            #expect(try await modified("?match[version]=all") == Array(times.dropFirst()))
            #expect(try await client.taxii(.delete, path, as: "partner-a", fixture: fixture).status == .ok)
            #expect(try await client.taxii(.get, path, as: "partner-a", fixture: fixture).status == .notFound)
            #expect(try await client.taxii(.delete, path, as: "partner-a", fixture: fixture).status == .notFound)
        }
    }

    @Test("TLP:RED never reaches a partner it does not name: not in objects, manifest, versions or correlations")
    func redStaysWithItsRecipients() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let red = "indicator--" + UUID().uuidString.lowercased()
            let named = #","x_concord_recipients":["\#(gateway.keyIDs["partner-b"]!)"]"#
            try await client.add(
                [indicator(red, pattern: "[ipv4-addr:value = '192.0.2.99']", extra: tlpRed + named)],
                to: gateway.shared, as: "FRA", gateway)
            try await client.add(
                [indicator(pattern: "[ipv4-addr:value = '192.0.2.1']")], to: gateway.shared, as: "FRA", gateway)
            let base = gateway.collection(gateway.shared)
            for reader in ["partner-a", "DEU"] {
                #expect(!ids(try await client.all(base + "/objects/", as: reader, gateway)).contains(red))
                #expect(!ids(try await client.all(base + "/manifest/", as: reader, gateway)).contains(red))
                #expect(
                    try await client.all(base + "/objects/?match[id]=\(red)&match[version]=all", as: reader, gateway)
                        .isEmpty)
                let single = try await client.taxii(.get, base + "/objects/\(red)/", as: reader, fixture: fixture)
                #expect(single.status == .notFound)
                let versions = try await client.taxii(
                    .get, base + "/objects/\(red)/versions/", as: reader, fixture: fixture)
                #expect(versions.status == .notFound)
                let correlation = try await client.send(
                    .get, "/v1/gateway/correlations?value=192.0.2.99", as: reader, fixture: fixture)
                #expect(try (correlation.json["objects"] as? [Any])?.isEmpty == true, "\(correlation.text)")
                #expect(
                    try await client.taxii(.delete, base + "/objects/\(red)/", as: reader, fixture: fixture).status
                        == .notFound)
            }
            // The named key and the sending key see it everywhere.
            for reader in ["partner-b", "FRA"] {
                #expect(ids(try await client.all(base + "/objects/", as: reader, gateway)).contains(red))
                #expect(ids(try await client.all(base + "/manifest/", as: reader, gateway)).contains(red))
                let correlation = try await client.send(
                    .get, "/v1/gateway/correlations?value=192.0.2.99", as: reader, fixture: fixture)
                #expect(try (correlation.json["objects"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("AMBER+STRICT stays within the sender's organisation and those it names")
    func amberStrict() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let id = "indicator--" + UUID().uuidString.lowercased()
            let named = #","x_concord_recipients":["\#(gateway.agreements["partner-b"]!)"]"#
            try await client.add(
                [indicator(id, pattern: "[url:value = 'http://evil.example/x']", extra: tlpAmberStrict + named)],
                to: gateway.shared, as: "partner-a", gateway)
            let objects = gateway.collection(gateway.shared) + "/objects/"
            #expect(ids(try await client.all(objects, as: "partner-a", gateway)) == [id])
            #expect(ids(try await client.all(objects, as: "partner-b", gateway)) == [id])
            #expect(try await client.all(objects, as: "FRA", gateway).isEmpty)
            #expect(try await client.all(objects, as: "admin", gateway).isEmpty)
        }
    }

    @Test("a police source asked to be protected is withheld from partners, not from police")
    func sourceProtection() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let source = #","created_by_ref":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f""#
            try await client.add(
                [
                    indicator(
                        pattern: "[domain-name:value = 'a.example']",
                        extra: source + #","x_concord_protect_source":true"#),
                    indicator(pattern: "[domain-name:value = 'b.example']", extra: source),
                ], to: gateway.shared, as: "FRA", gateway)
            let objects = gateway.collection(gateway.shared) + "/objects/"
            func sources(_ reader: String) async throws -> [String?] {
                try await client.all(objects, as: reader, gateway).map {
                    ($0 as? [String: Any])?["created_by_ref"] as? String
                }
            }
            let identity = "identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
            #expect(try await sources("partner-a") == [nil, identity])
            #expect(try await sources("DEU") == [identity, identity])
        }
    }

    @Test("correlations cross collections, normalise values, flag warninglists and show only what the reader sees")
    func correlations() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            try await client.add(
                [indicator(pattern: "[url:value = 'http://evil.example/login']")], to: gateway.shared, as: "FRA",
                gateway)
            try await client.add(
                [indicator(pattern: "[url:value = 'HTTP://EVIL.example:80/login']")], to: gateway.police, as: "DEU",
                gateway)
            try await client.add(
                [indicator(pattern: "[ipv4-addr:value = '8.8.8.0/24']")], to: gateway.shared, as: "partner-a",
                gateway)
            func correlate(_ value: String, as key: String) async throws -> [String: Any] {
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let response = try await client.send(
                    .get, "/v1/gateway/correlations?value=\(encoded)", as: key, fixture: fixture)
                #expect(response.status == .ok, "\(response.text)")
                return try response.json
            }
            let police = try await correlate("http://evil.example:80/login#top", as: "FRA")
            #expect(police["value"] as? String == "http://evil.example/login")
            #expect((police["objects"] as? [Any])?.count == 2)
            #expect(police["correlated"] as? Bool == true)
            let partner = try await correlate("http://evil.example/login", as: "partner-b")
            #expect((partner["objects"] as? [Any])?.count == 1)
            #expect(partner["correlated"] as? Bool == false)
            // An address finds the network it lies in, and a public resolver is flagged.
            let resolver = try await correlate("8.8.8.8", as: "partner-b")
            #expect((resolver["objects"] as? [Any])?.count == 1)
            #expect(resolver["warninglists"] as? [String] == ["public-resolvers"])
            let refused = try await client.send(
                .get, "/v1/gateway/correlations?value=8.8.8.8", as: "ITA-frontline", fixture: fixture)
            #expect(refused.status == .forbidden)
            let invalid = try await client.send(
                .get, "/v1/gateway/correlations?value=300.1.1.1&kind=ipv4", as: "FRA", fixture: fixture)
            #expect(invalid.status == .unprocessableContent)
        }
    }

    @Test("every error status TAXII names, as a TAXII error message")
    func errorStatuses() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let objects = gateway.collection(gateway.shared) + "/objects/"
            func expectError(_ response: TestResponse, _ status: HTTPResponse.Status) throws {
                #expect(response.status == status, "\(response.text)")
                #expect(response.headers[.contentType] == TAXII.mediaType)
                #expect(try response.json["http_status"] as? String == "\(status.code)")
                #expect(try response.json["title"] is String)
            }
            for query in ["limit=abc", "limit=0", "match[colour]=red", "added_after=yesterday", "next=x"] {
                try expectError(
                    try await client.taxii(.get, objects + "?" + query, as: "FRA", fixture: fixture), .badRequest)
            }
            try expectError(
                try await client.taxii(.post, objects, as: "FRA", fixture: fixture, body: "{\"objects\": ["),
                .badRequest)
            let anonymous = try await client.taxii(.get, "/taxii2/", as: nil, fixture: fixture)
            try expectError(anonymous, .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            try expectError(
                try await client.taxii(.get, "/taxii2/", as: "concord_nonsense", fixture: fixture), .unauthorized)
            try expectError(try await client.taxii(.get, "/taxii2/", as: "ITA-frontline", fixture: fixture), .forbidden)
            try expectError(
                try await client.taxii(
                    .get, gateway.collection(gateway.dropBox) + "/objects/", as: "partner-a",
                    fixture: fixture), .forbidden)
            try expectError(
                try await client.taxii(
                    .post, gateway.collection(gateway.police) + "/objects/", as: "admin",
                    fixture: fixture, body: envelope([])), .forbidden)
            try expectError(try await client.taxii(.get, "/taxii2/nowhere/", as: "FRA", fixture: fixture), .notFound)
            try expectError(
                try await client.taxii(.get, gateway.collection(UUID().uuidString) + "/", as: "FRA", fixture: fixture),
                .notFound)
            try expectError(
                try await client.taxii(
                    .get, objects + "indicator--\(UUID().uuidString.lowercased())/", as: "FRA", fixture: fixture),
                .notFound)
            try expectError(
                try await client.taxii(.get, "/taxii2/", as: "FRA", fixture: fixture, accept: "application/json"),
                .notAcceptable)
            let huge = String(repeating: " ", count: GatewayService.maximumContentLength + 1)
            try expectError(
                try await client.taxii(.post, objects, as: "FRA", fixture: fixture, body: huge), .contentTooLarge)
            try expectError(
                try await client.taxii(
                    .post, objects, as: "FRA", fixture: fixture, body: envelope([]), contentType: "application/json"),
                .unsupportedMediaType)
            try expectError(
                try await client.taxii(.post, objects, as: "FRA", fixture: fixture, body: #"{"things":[]}"#),
                .unprocessableContent)
        }
    }

    @Test("a refused object is named with its reasons in a status only its sender may read")
    func status() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let body = envelope([
                indicator(pattern: "[ipv4-addr:value = '198.51.100.4']"),
                indicator("indicator--not-a-uuid", pattern: "[ipv4-addr:value = '1.2.3.4'"),
                #"{"type":"malware","spec_version":"2.1","id":"malware--\#(UUID().uuidString.lowercased())","created":"2024-02-02T00:00:00Z","modified":"2024-01-01T00:00:00Z","is_family":false}"#,
            ])
            let posted = try await client.taxii(
                .post, gateway.collection(gateway.shared) + "/objects/", as: "partner-a", fixture: fixture, body: body)
            #expect(posted.status == .accepted)
            let status = try posted.json
            #expect(status["status"] as? String == "complete")
            #expect(status["success_count"] as? Int == 1)
            #expect(status["failure_count"] as? Int == 2)
            let failures = try #require(status["failures"] as? [[String: Any]])
            let reasons = failures.compactMap { $0["message"] as? String }
            #expect(reasons.first?.contains("id: must be indicator--") == true)
            #expect(reasons.first?.contains("pattern, character") == true)
            #expect(reasons.last?.contains("modified: must not be before created") == true)
            let successes = try #require(status["successes"] as? [[String: Any]])
            #expect((successes.first?["message"] as? String)?.contains("reserved-ranges") == true)
            let id = try #require(status["id"] as? String)
            let read = try await client.taxii(.get, "/taxii2/cyber/status/\(id)/", as: "partner-a", fixture: fixture)
            #expect(read.status == .ok)
            #expect(try read.json["failure_count"] as? Int == 2)
            let other = try await client.taxii(.get, "/taxii2/cyber/status/\(id)/", as: "partner-b", fixture: fixture)
            #expect(other.status == .notFound)
            let writes = try await fixture.store.journal(after: 0, limit: 500, category: .write)
            let adds = writes.filter { $0.draft.action == "taxii.objects.add" }.map(\.draft.outcome)
            #expect(adds == ["added 1, refused 2"])
            let queries = try await fixture.store.journal(after: 0, limit: 500, category: .query)
            let reads = queries.filter { $0.draft.action == "taxii.status" }.map(\.draft.targets)
            #expect(reads == [[id], [id]])
        }
    }

    @Test("an agreement that ended shuts its partner out at once")
    func agreementEnds() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            #expect(try await client.taxii(.get, "/taxii2/", as: "partner-a", fixture: fixture).status == .ok)
            _ = try await fixture.concord.agreements.terminate(
                gateway.agreements["partner-a"]!, by: GatewayFixture.admin)
            #expect(try await client.taxii(.get, "/taxii2/", as: "partner-a", fixture: fixture).status == .forbidden)
            let objects = gateway.collection(gateway.shared) + "/objects/"
            #expect(try await client.taxii(.get, objects, as: "partner-a", fixture: fixture).status == .forbidden)
            #expect(try await client.taxii(.get, objects, as: "partner-b", fixture: fixture).status == .ok)
        }
    }

    @Test("trust groups are the General Secretariat's to set up, and checked whole")
    func trustGroups() async throws {
        let gateway = try await GatewayFixture.make()
        try await gateway.fixture.withClient { client in
            let fixture = gateway.fixture
            let body = #"""
                {"title":"Banks","participants":["GS","FRA","agr_unknown"],
                 "collections":[{"title":"x","readers":["participants"],"writers":["DEU"]},
                                {"id":"not-a-uuid","title":"","readers":[],"writers":[]}]}
                """#
            let refused = try await client.send(
                .put, "/v1/gateway/roots/banks", as: "FRA", fixture: fixture, json: body)
            #expect(refused.status == .forbidden)
            let invalid = try await client.send(
                .put, "/v1/gateway/roots/Banks!", as: "admin", fixture: fixture, json: body)
            #expect(invalid.status == .unprocessableContent)
            let fields = try (invalid.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["/name", "/collections/0/writers/0", "/collections/1/id", "/collections/1/title"])
            let unknown = try await client.send(
                .put, "/v1/gateway/roots/banks", as: "admin", fixture: fixture,
                json: #"{"title":"Banks","participants":["GS","agr_unknown"],"collections":[]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.json["field"] as? String == "/participants/1", "\(unknown.text)")
            let replaced = try await client.send(
                .put, "/v1/gateway/roots/cyber", as: "admin", fixture: fixture,
                json:
                    #"{"title":"Cyber","participants":["GS","FRA"],"collections":[{"id":"\#(gateway.shared)","title":"Shared","readers":["participants"],"writers":["participants"]}]}"#
            )
            #expect(replaced.status == .ok)
            #expect(try replaced.json["version"] as? Int == 2)
            // Partners left the group: it is gone for them, and its collection kept its id.
            #expect(
                try await client.taxii(.get, "/taxii2/cyber/", as: "partner-a", fixture: fixture).status == .notFound)
            #expect(
                try await client.taxii(.get, gateway.collection(gateway.shared) + "/", as: "FRA", fixture: fixture)
                    .status == .ok)
        }
    }
}
