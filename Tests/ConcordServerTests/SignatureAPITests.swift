import ConcordCore
import ConcordMatching
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Signature bank and Baseline")
struct SignatureAPITests {
    /// Fixed values of each type, written in uppercase to show they are normalised.
    static let pdqValue = "F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22"
    static let md5Value = "5d41402abc4b2a76b9719d911017c592"

    static func signatureJSON(
        _ type: String = "pdq", _ value: String = pdqValue, source: String = "ICSE series 114",
        owner: String? = nil, category: String? = nil
    ) -> String {
        var json = #"{"type":"\#(type)","value":"\#(value)","source":"\#(source)""#
        if let owner { json += #","owner":"\#(owner)""# }
        if let category { json += #","category":"\#(category)""# }
        return json + "}"
    }

    static func matchJSON(_ items: [String], radius: Int? = nil) -> String {
        #"{"hashes":[\#(items.joined(separator: ","))]\#(radius.map { #","radius":\#($0)"# } ?? "")}"#
    }

    static func pdqQuery(_ value: String, quality: Int = 90, dihedral: [String: String]? = nil) -> String {
        var json = #"{"type":"pdq","value":"\#(value)","quality":\#(quality)"#
        if let dihedral {
            let items = dihedral.sorted { $0.key < $1.key }.map { #""\#($0.key)":"\#($0.value)""# }
            json += #","dihedral":{\#(items.joined(separator: ","))}"#
        }
        return json + "}"
    }

    /// A value `bits` bits away from `hex`.
    static func flipping(_ bits: Int, of hex: String) -> String {
        var hash = PDQHash(hex: hex)!
        var words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
        for bit in 0..<bits { words[bit % 4] ^= 1 << UInt64(bit) }
        hash.words = (words[0], words[1], words[2], words[3])
        return hash.hex
    }

    static func authorise(_ member: String, _ client: any TestClientProtocol, _ fixture: ServerFixture) async throws {
        let granted = try await client.send(
            .put, "/v1/signatures/contributors/\(member)", as: "admin", fixture: fixture, json: #"{"note":"ICSE"}"#)
        #expect(granted.status == .ok)
    }

    @Test(
        "the Secretariat and authorised NCBs add signatures, validated and normalised; others are refused",
        arguments: Backend.allCases)
    func bank(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            // Not authorised yet: the French NCB may not share.
            #expect(
                try await client.send(.post, "/v1/signatures", as: "FRA", fixture: fixture, json: Self.signatureJSON())
                    .status == .forbidden)
            // Only the Secretariat's administrator manages the authorisations.
            for key in ["FRA", "FRA-admin", "reviewer", "ccf", "partner-baseline"] {
                #expect(
                    try await client.send(
                        .put, "/v1/signatures/contributors/FRA", as: key, fixture: fixture, json: "{}"
                    )
                    .status == .forbidden, "\(key)")
            }
            try await Self.authorise("FRA", client, fixture)
            #expect(
                try await client.send(
                    .put, "/v1/signatures/contributors/FRA", as: "admin", fixture: fixture, json: "{}"
                )
                .status == .conflict)
            let added = try await client.send(
                .post, "/v1/signatures", as: "FRA", fixture: fixture, json: Self.signatureJSON())
            #expect(added.status == .created)
            let id = try #require(try added.json["id"] as? String)
            #expect(try added.json["value"] as? String == Self.pdqValue.lowercased())
            #expect(try added.json["owner"] as? String == "FRA")
            #expect(try added.json["category"] as? String == "baseline")
            #expect(try added.json["source"] as? String == "ICSE series 114")
            #expect(try added.json["addedAt"] as? String != nil)
            // The same value again, in any case, is a conflict.
            #expect(
                try await client.send(
                    .post, "/v1/signatures", as: "FRA-admin", fixture: fixture,
                    json: Self.signatureJSON("pdq", Self.pdqValue.lowercased())
                ).status == .conflict)
            // An NCB shares only its own member's material.
            #expect(
                try await client.send(
                    .post, "/v1/signatures", as: "FRA", fixture: fixture,
                    json: Self.signatureJSON("md5", Self.md5Value, owner: "DEU")
                ).status == .forbidden)
            // Values are checked against their type.
            let bad: [(String, String, String)] = [
                ("pdq", String(repeating: "a", count: 63), "/value"),
                ("md5", String(repeating: "a", count: 40), "/value"),
                ("sha1", String(repeating: "g", count: 40), "/value"), ("sha256", Self.md5Value, "/value"),
            ]
            for (type, value, field) in bad {
                let refused = try await client.send(
                    .post, "/v1/signatures", as: "FRA", fixture: fixture, json: Self.signatureJSON(type, value))
                #expect(refused.status == .unprocessableContent, "\(type) \(value)")
                #expect(try refused.json["field"] as? String == field)
            }
            let badCategory = try await client.send(
                .post, "/v1/signatures", as: "FRA", fixture: fixture,
                json: Self.signatureJSON("md5", Self.md5Value, category: "Not a category!"))
            #expect(try badCategory.json["field"] as? String == "/category")
            let noSource = try await client.send(
                .post, "/v1/signatures", as: "FRA", fixture: fixture,
                json: Self.signatureJSON("md5", Self.md5Value, source: " "))
            #expect(try noSource.json["field"] as? String == "/source")
            // The Secretariat names the member that shared the material.
            let unnamed = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture, json: Self.signatureJSON("md5", Self.md5Value))
            #expect(try unnamed.json["field"] as? String == "/owner")
            let byGS = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture,
                json: Self.signatureJSON("md5", Self.md5Value, owner: "DEU"))
            #expect(byGS.status == .created)
            #expect(try byGS.json["owner"] as? String == "DEU")
            // Other roles never add.
            for key in ["DEU", "ITA-frontline", "reviewer", "ccf", "partner-baseline", "partner-ESP"] {
                #expect(
                    try await client.send(
                        .post, "/v1/signatures", as: key, fixture: fixture,
                        json: Self.signatureJSON("sha1", String(repeating: "1", count: 40), owner: "DEU")
                    ).status == .forbidden, "\(key)")
            }
            // Reading: the sharing NCB, the Secretariat and the CCF; another NCB is told nothing.
            for key in ["FRA", "admin", "reviewer", "ccf"] {
                #expect(try await client.send(.get, "/v1/signatures/\(id)", as: key, fixture: fixture).status == .ok)
            }
            #expect(
                try await client.send(.get, "/v1/signatures/\(id)", as: "DEU", fixture: fixture).status == .notFound)
            #expect(
                try await client.send(.get, "/v1/signatures/\(id)", as: "partner-baseline", fixture: fixture).status
                    == .forbidden)
            // Revoked, the NCB adds nothing more but may still withdraw what it shared.
            #expect(
                try await client.send(.delete, "/v1/signatures/contributors/FRA", as: "admin", fixture: fixture).status
                    == .ok)
            #expect(
                try await client.send(
                    .post, "/v1/signatures", as: "FRA", fixture: fixture,
                    json: Self.signatureJSON("sha1", String(repeating: "2", count: 40))
                ).status == .forbidden)
            #expect(
                try await client.send(.delete, "/v1/signatures/\(id)", as: "DEU", fixture: fixture).status == .notFound)
            let withdrawn = try await client.send(.delete, "/v1/signatures/\(id)", as: "FRA", fixture: fixture)
            #expect(try withdrawn.json["status"] as? String == "withdrawn")
            #expect(
                try await client.send(.delete, "/v1/signatures/\(id)", as: "FRA", fixture: fixture).status == .conflict)
            let listed = try await client.send(.get, "/v1/signatures/contributors", as: "admin", fixture: fixture)
            let contributors = try #require(try listed.json["contributors"] as? [[String: Any]])
            #expect(contributors.map { $0["member"] as? String } == ["FRA"])
            #expect(contributors.first?["active"] as? Bool == false)
            // Every write is journaled.
            let writes = try await fixture.store.journal(after: 0, limit: 500, category: .write).map(\.draft.action)
            #expect(writes.filter { $0 == "signature.add" }.count == 2)
            #expect(writes.contains("signature.withdraw"))
            #expect(writes.contains("icse.authorise") && writes.contains("icse.revoke"))
        }
    }

    @Test("a bulk share large enough goes into the PDQ tables as the index follows it, and all of it matches")
    func largeShare() async throws {
        let fixture = try await ServerFixture.make()
        var state: UInt64 = 7
        func word() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            let z = (state ^ (state >> 31)) &* 0xbf58_476d_1ce4_e5b9
            return z ^ (z >> 29)
        }
        let values = (0..<4_200).map { _ in PDQHash(words: (word(), word(), word(), word())).hex }
        try await fixture.withClient { client in
            try await Self.authorise("FRA", client, fixture)
            var headers = fixture.headers("FRA")
            headers[.contentType] = "application/x-ndjson"
            let shared = try await client.execute(
                uri: "/v1/signatures/bulk", method: .post, headers: headers,
                body: ByteBuffer(string: values.map { Self.signatureJSON("pdq", $0) }.joined(separator: "\n")))
            #expect(try shared.json["recorded"] as? Int == values.count)
            #expect(fixture.concord.signatureIndex.count == values.count)
            #expect(fixture.concord.signatureIndex.read { !$0.wantsPDQRebuild })
            let queries = stride(from: 0, to: values.count, by: 421).map {
                Self.pdqQuery(Self.flipping(9, of: values[$0]))
            }
            let matched = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture, json: Self.matchJSON(queries))
            let results = try #require(try matched.json["results"] as? [[String: Any]])
            #expect(results.count == queries.count)
            #expect(results.allSatisfy { ($0["matches"] as? [[String: Any]])?.first?["distance"] as? Int == 9 })
        }
    }

    @Test("bulk: best-effort reports each bad line; all-or-nothing records nothing unless all are good")
    func bulk() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            try await Self.authorise("FRA", client, fixture)
            let lines = [
                Self.signatureJSON(),
                Self.signatureJSON("md5", "xyz"),
                "",
                Self.signatureJSON("sha1", String(repeating: "3", count: 40)),
                Self.signatureJSON(),
                "{not json",
                Self.signatureJSON("md5", Self.md5Value, owner: "DEU"),
            ]
            var headers = fixture.headers("FRA")
            headers[.contentType] = "application/x-ndjson"
            let strict = try await client.execute(
                uri: "/v1/signatures/bulk?mode=all-or-nothing", method: .post, headers: headers,
                body: ByteBuffer(string: lines.joined(separator: "\n")))
            #expect(strict.status == .ok)
            #expect(try strict.json["recorded"] as? Int == 0)
            #expect(try strict.json["rejected"] as? Int == 4)
            #expect(fixture.concord.signatureIndex.count == 0)

            let lenient = try await client.execute(
                uri: "/v1/signatures/bulk", method: .post, headers: headers,
                body: ByteBuffer(string: lines.joined(separator: "\n")))
            #expect(try lenient.json["read"] as? Int == 6)
            #expect(try lenient.json["recorded"] as? Int == 2)
            let errors = try #require(try lenient.json["errors"] as? [[String: Any]])
            #expect(errors.map { $0["line"] as? Int } == [2, 5, 6, 7])
            #expect(fixture.concord.signatureIndex.count == 2)
            // Values already in the bank are refused line by line, and all-or-nothing then records nothing.
            let again = try await client.execute(
                uri: "/v1/signatures/bulk?mode=all-or-nothing", method: .post, headers: headers,
                body: ByteBuffer(
                    string: Self.signatureJSON("sha256", String(repeating: "4", count: 64)) + "\n"
                        + Self.signatureJSON()))
            #expect(try again.json["recorded"] as? Int == 0)
            #expect((try again.json["errors"] as? [[String: Any]])?.first?["line"] as? Int == 2)
            #expect(fixture.concord.signatureIndex.count == 2)
        }
    }

    @Test("matching is for Baseline partners only, within limits, and discloses no source", arguments: Backend.allCases)
    func matching(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let added = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture,
                json: Self.signatureJSON(source: "Operation Secret-Source", owner: "FRA"))
            let id = try #require(try added.json["id"] as? String)
            _ = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture,
                json: Self.signatureJSON(
                    "md5", Self.md5Value, source: "Operation Secret-Source", owner: "DEU", category: "series-a"))
            let near = Self.flipping(20, of: Self.pdqValue)
            let query = Self.matchJSON([
                Self.pdqQuery(near), #"{"type":"md5","value":"\#(Self.md5Value.uppercased())"}"#,
                Self.pdqQuery(Self.flipping(40, of: Self.pdqValue)), Self.pdqQuery(Self.pdqValue, quality: 40),
            ])
            for key in ["partner-ESP", "FRA", "admin", "ccf"] {
                #expect(
                    try await client.send(.post, "/v1/signatures/match", as: key, fixture: fixture, json: query).status
                        == .forbidden, "\(key)")
            }
            let answer = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture, json: query)
            #expect(answer.status == .ok)
            #expect(try answer.json["radius"] as? Int == 31)
            let results = try #require(try answer.json["results"] as? [[String: Any]])
            let first = try #require((results[0]["matches"] as? [[String: Any]])?.first)
            #expect(first["distance"] as? Int == 20)
            #expect(first["category"] as? String == "baseline")
            #expect(first["value"] as? String == Self.pdqValue.lowercased())
            #expect(Set(first.keys) == ["type", "value", "category", "distance", "variant"])
            let second = try #require((results[1]["matches"] as? [[String: Any]])?.first)
            #expect(second["distance"] as? Int == 0)
            #expect(second["category"] as? String == "series-a")
            #expect((results[2]["matches"] as? [[String: Any]])?.isEmpty == true)
            #expect(results[3]["usable"] as? Bool == false)
            #expect((results[3]["reason"] as? String)?.contains("below 50") == true)
            #expect((results[3]["matches"] as? [[String: Any]])?.isEmpty == true)
            for secret in ["Secret-Source", id, "FRA", "DEU"] {
                #expect(!answer.text.contains(secret), "the partner's answer leaks \(secret)")
            }
            // A wider radius, asked for, finds the farther hash.
            let wide = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                json: Self.matchJSON([Self.pdqQuery(Self.flipping(40, of: Self.pdqValue))], radius: 47))
            #expect(((try wide.json["results"] as? [[String: Any]])?.first?["matches"] as? [Any])?.count == 1)
            // Refusals, precise.
            for radius in [48, -1, 1000] {
                let refused = try await client.send(
                    .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                    json: Self.matchJSON([Self.pdqQuery(near)], radius: radius))
                #expect(refused.status == .unprocessableContent)
                #expect(try refused.json["field"] as? String == "/radius")
            }
            let many = Self.matchJSON(Array(repeating: #"{"type":"md5","value":"\#(Self.md5Value)"}"#, count: 1001))
            let tooMany = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture, json: many)
            #expect(tooMany.status == .unprocessableContent)
            #expect(try tooMany.json["field"] as? String == "/hashes")
            let limit = Self.matchJSON(Array(repeating: #"{"type":"md5","value":"\#(Self.md5Value)"}"#, count: 1000))
            #expect(
                try await client.send(
                    .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture, json: limit
                )
                .status == .ok)
            // Dihedral variants count against the limit.
            let variants = Dictionary(
                uniqueKeysWithValues: PDQDihedral.allCases.dropFirst().map { ($0.rawValue, Self.pdqValue) })
            let withVariants = Self.matchJSON(Array(repeating: Self.pdqQuery(near, dihedral: variants), count: 126))
            #expect(
                try await client.send(
                    .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture, json: withVariants
                ).status == .unprocessableContent)
            let noQuality = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                json: Self.matchJSON([#"{"type":"pdq","value":"\#(near)"}"#]))
            #expect(try noQuality.json["field"] as? String == "/hashes/0/quality")
            let badVariant = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                json: Self.matchJSON([Self.pdqQuery(near, dihedral: ["rotate-45": near])]))
            #expect(try badVariant.json["field"] as? String == "/hashes/0/dihedral/rotate-45")
            // Withdrawn, a signature stops matching.
            #expect(try await client.send(.delete, "/v1/signatures/\(id)", as: "admin", fixture: fixture).status == .ok)
            let after = try await client.send(
                .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                json: Self.matchJSON([Self.pdqQuery(near)]))
            #expect(((try after.json["results"] as? [[String: Any]])?.first?["matches"] as? [Any])?.isEmpty == true)
            // Every request is journaled, refused ones included.
            let entries = try await fixture.store.journal(after: 0, limit: 500, category: .query).filter {
                $0.draft.action == "signature.match"
            }
            #expect(entries.count == 15)
            #expect(entries.contains { $0.draft.targets == [id] })
        }
    }

    /// Grey pixels with smooth structure at several scales, as photographs have, the same on
    /// every run.
    static func image(size: Int) -> [UInt8] {
        var random = UInt64(42)
        var pixels = [UInt8](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let noise = Int(random >> 61)
                let (u, v) = (Double(x), Double(y))
                let wave = 50 * sin(u / 9) + 40 * cos(v / 13) + 30 * sin((u + 2 * v) / 17)
                pixels[y * size + x] = UInt8(
                    clamping: 100 + Int(wave) + noise + (x < size / 3 && y > size / 2 ? 50 : 0))
            }
        }
        return pixels
    }

    /// The pixels turned a quarter turn clockwise, or mirrored left to right.
    static func rotated(_ pixels: [UInt8], size: Int) -> [UInt8] {
        var out = pixels
        for y in 0..<size { for x in 0..<size { out[x * size + (size - 1 - y)] = pixels[y * size + x] } }
        return out
    }

    static func mirrored(_ pixels: [UInt8], size: Int) -> [UInt8] {
        var out = pixels
        for y in 0..<size { for x in 0..<size { out[y * size + (size - 1 - x)] = pixels[y * size + x] } }
        return out
    }

    static func rgb(_ grey: [UInt8]) -> [UInt8] { grey.flatMap { [$0, $0, $0] } }

    @Test("a rotated or flipped image is matched through its dihedral variants")
    func rotations() async throws {
        let fixture = try await ServerFixture.make()
        let size = 256
        let original = Self.image(size: size)
        let bank = PDQ.hash(rgb: Self.rgb(original), width: size, height: size)
        #expect(bank.isUsable)
        try await fixture.withClient { client in
            #expect(
                try await client.send(
                    .post, "/v1/signatures", as: "admin", fixture: fixture,
                    json: Self.signatureJSON("pdq", bank.hash.hex, owner: "FRA")
                ).status == .created)
            for (name, pixels) in [
                ("rotated", Self.rotated(original, size: size)), ("mirrored", Self.mirrored(original, size: size)),
            ] {
                let variants = PDQ.dihedralHashes(rgb: Self.rgb(pixels), width: size, height: size)
                let own = variants.hashes[.original]!
                // The transformed image's own hash is far from the bank's: on its own, no match.
                #expect(own.distance(to: bank.hash) > SignatureMatching.defaultRadius, "\(name)")
                let alone = try await client.send(
                    .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                    json: Self.matchJSON([Self.pdqQuery(own.hex, quality: variants.quality)]))
                #expect(((try alone.json["results"] as? [[String: Any]])?.first?["matches"] as? [Any])?.isEmpty == true)
                let dihedral = Dictionary(
                    uniqueKeysWithValues: PDQDihedral.allCases.dropFirst().map {
                        ($0.rawValue, variants.hashes[$0]!.hex)
                    })
                let answer = try await client.send(
                    .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture,
                    json: Self.matchJSON([Self.pdqQuery(own.hex, quality: variants.quality, dihedral: dihedral)]))
                let match = try #require(
                    ((try answer.json["results"] as? [[String: Any]])?.first?["matches"] as? [[String: Any]])?.first,
                    "\(name)")
                #expect((match["distance"] as? Int).map { $0 <= SignatureMatching.defaultRadius } == true, "\(name)")
                #expect(match["variant"] as? String != "original", "\(name)")
            }
        }
    }

    @Test(
        "a partner's report reaches the sharing NCB and the Secretariat, and no one else", arguments: Backend.allCases)
    func reports(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            try await Self.authorise("FRA", client, fixture)
            let added = try await client.send(
                .post, "/v1/signatures", as: "FRA", fixture: fixture, json: Self.signatureJSON())
            let id = try #require(try added.json["id"] as? String)
            let near = Self.flipping(5, of: Self.pdqValue)
            let report =
                #"{"type":"pdq","value":"\#(Self.pdqValue)","query":"\#(near)","contentReference":"upload 8812","note":"confirmed by reviewer"}"#
            for key in ["partner-ESP", "FRA", "admin"] {
                #expect(
                    try await client.send(.post, "/v1/signatures/reports", as: key, fixture: fixture, json: report)
                        .status
                        == .forbidden, "\(key)")
            }
            let unknown = try await client.send(
                .post, "/v1/signatures/reports", as: "partner-baseline", fixture: fixture,
                json: #"{"type":"md5","value":"\#(Self.md5Value)"}"#)
            #expect(unknown.status == .notFound)
            let receipt = try await client.send(
                .post, "/v1/signatures/reports", as: "partner-baseline", fixture: fixture, json: report)
            #expect(receipt.status == .created)
            let reference = try #require(try receipt.json["reference"] as? String)
            #expect(Set(try receipt.json.keys) == ["reference"])
            for side in ["FRA", "admin", "reviewer"] {
                let inbox = try await client.send(.get, "/v1/hits", as: side, fixture: fixture)
                let hits = try #require(try inbox.json["hits"] as? [[String: Any]])
                #expect(hits.map { $0["id"] as? String } == [reference], "inbox of \(side)")
                let hit = try #require(hits.first)
                #expect(hit["channel"] as? String == "baseline")
                #expect(hit["record"] as? String == id)
                #expect(hit["parties"] as? [String] == ["FRA", "GS"])
                let signature = try #require(hit["signature"] as? [String: Any])
                #expect(signature["distance"] as? Int == 5)
                #expect(signature["contentReference"] as? String == "upload 8812")
                #expect((hit["checker"] as? [String: Any])?["partner"] as? String == "partner-baseline")
            }
            for side in ["DEU", "ESP"] {
                let inbox = try await client.send(.get, "/v1/hits", as: side, fixture: fixture)
                #expect((try inbox.json["hits"] as? [[String: Any]])?.isEmpty == true, "inbox of \(side)")
            }
            for party in [Party.member(MemberCode("FRA")!), .secretariat] {
                let alerts = try await fixture.store.alerts(for: party, after: 0, limit: 10)
                #expect(alerts.map(\.draft.event) == [.hitCreated], "alerts of \(party)")
                #expect(alerts.first?.draft.hitID == reference)
            }
            #expect(try await fixture.store.alerts(for: .member(MemberCode("ESP")!), after: 0, limit: 10).isEmpty)
            let journaled = try await fixture.store.journal(after: 0, limit: 500, category: nil).filter {
                $0.draft.action == "signature.report"
            }
            #expect(
                journaled.map(\.draft.outcome).sorted() == ["refused", "refused", "refused", "refused", "reported"])
        }
    }

    @Test("hash lists: signed, verified, full and delta, tampering refused", arguments: Backend.allCases)
    func lists(_ backend: Backend) async throws {
        let key = MindSigningKey()
        let fixture = try await ServerFixture.make(backend, configuration: ServerConfiguration(exportKey: key))
        try await fixture.withClient { client in
            let first = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture,
                json: Self.signatureJSON(source: "Secret-Source", owner: "FRA"))
            let firstID = try #require(try first.json["id"] as? String)
            _ = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture,
                json: Self.signatureJSON("md5", Self.md5Value, source: "Secret-Source", owner: "DEU"))
            #expect(
                try await client.send(.get, "/v1/signatures/list", as: "partner-ESP", fixture: fixture).status
                    == .forbidden)
            #expect(
                try await client.send(.get, "/v1/signatures/list", as: "FRA", fixture: fixture).status == .forbidden)
            let published = try await client.send(
                .get, "/v1/signatures/list/key", as: "partner-baseline", fixture: fixture)
            #expect(try published.json["publicKey"] as? String == key.publicKey.hex)

            let full = try await client.send(.get, "/v1/signatures/list", as: "partner-baseline", fixture: fixture)
            #expect(full.status == .ok)
            let body = Data(full.body.readableBytesView)
            let signature = try #require(
                full.headers[HTTPField.Name("Concord-List-Signature")!].flatMap { Data(base64Encoded: $0) })
            #expect(key.publicKey.verifies(signature, for: body))
            for secret in ["Secret-Source", firstID, "FRA", "DEU"] {
                #expect(!full.text.contains(secret), "the list leaks \(secret)")
            }
            var replica = SignatureListReplica()
            // One byte changed anywhere and the list is refused, the copy untouched.
            for offset in [0, body.count / 2, body.count - 1] {
                var tampered = body
                tampered[offset] ^= 0x01
                #expect(throws: SignatureListError.badSignature("tampered")) {
                    try replica.apply(list: tampered, signature: signature, trusting: key.publicKey, name: "tampered")
                }
            }
            #expect(throws: SignatureListError.badSignature("foreign")) {
                try replica.apply(
                    list: body, signature: signature, trusting: MindSigningKey().publicKey, name: "foreign")
            }
            #expect(replica.applied == 0)
            try replica.apply(list: body, signature: signature, trusting: key.publicKey, name: "full")
            #expect(replica.signatures.count == 2)
            let position = replica.position

            // An addition and a withdrawal, then the delta.
            _ = try await client.send(
                .post, "/v1/signatures", as: "admin", fixture: fixture,
                json: Self.signatureJSON("sha1", String(repeating: "5", count: 40), owner: "ITA"))
            #expect(
                try await client.send(.delete, "/v1/signatures/\(firstID)", as: "admin", fixture: fixture).status == .ok
            )
            let delta = try await client.send(
                .get, "/v1/signatures/list?since=\(position)", as: "partner-baseline", fixture: fixture)
            let list = try ConcordJSON.decoder().decode(SignatureList.self, from: Data(delta.body.readableBytesView))
            #expect(list.since == position)
            #expect(list.signatures.map(\.value) == [String(repeating: "5", count: 40)])
            #expect(list.removed == [RemovedSignature(type: .pdq, value: Self.pdqValue.lowercased())])
            let deltaSignature = try #require(
                delta.headers[HTTPField.Name("Concord-List-Signature")!].flatMap { Data(base64Encoded: $0) })
            try replica.apply(
                list: Data(delta.body.readableBytesView), signature: deltaSignature, trusting: key.publicKey,
                name: "delta")
            #expect(Set(replica.signatures.values.map(\.type)) == [.md5, .sha1])
            // A delta that does not continue from the copy's position is refused.
            #expect(throws: SignatureListError.self) {
                try replica.apply(
                    list: Data(delta.body.readableBytesView), signature: deltaSignature, trusting: key.publicKey,
                    name: "again")
            }
            let beyond = try await client.send(
                .get, "/v1/signatures/list?since=999999", as: "partner-baseline", fixture: fixture)
            #expect(try beyond.json["field"] as? String == "/since")
            let lists = try await fixture.store.journal(after: 0, limit: 500, category: .query).filter {
                $0.draft.action == "signature.list"
            }
            // Refused requests are journaled too.
            #expect(lists.count == 5)
            #expect(lists.last?.draft.outcome.hasPrefix("refused") == true)
        }
    }

    @Test(
        "the index follows the change feed: writes of another node match once caught up, withdrawals stop matching",
        arguments: Backend.allCases)
    func followsTheChangeFeed(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        // A second node on the same store, as with several nodes on one PostgreSQL.
        let other = try await Concord.start(
            store: fixture.store, logger: Logger(label: "other"), now: fixture.clock.now)
        let secretariat = Principal.key("other-node", role: .secretariatAdmin, member: nil)
        try await fixture.withClient { client in
            let query = Self.matchJSON([Self.pdqQuery(Self.flipping(3, of: Self.pdqValue))])
            func matches() async throws -> Int {
                let answer = try await client.send(
                    .post, "/v1/signatures/match", as: "partner-baseline", fixture: fixture, json: query)
                return ((try answer.json["results"] as? [[String: Any]])?.first?["matches"] as? [Any])?.count ?? -1
            }
            let added = try await other.signatures.add(
                NewSignature(type: .pdq, value: Self.pdqValue, source: "elsewhere", owner: MemberCode("FRA")),
                by: secretariat)
            // Whether the node's own polling got there first or not, a catch-up brings it in.
            try await fixture.concord.signatureIndex.catchUp()
            #expect(try await matches() == 1)
            _ = try await other.signatures.withdraw(added.id, by: secretariat)
            try await fixture.concord.signatureIndex.catchUp()
            #expect(try await matches() == 0)
            // A node started afterwards loads the bank as it stands.
            let late = try await Concord.start(
                store: fixture.store, logger: Logger(label: "late"), now: fixture.clock.now)
            #expect(late.signatureIndex.count == 0)
        }
    }

    @Test("a node without a signing key refuses hash lists")
    func noSigningKey() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let answer = try await client.send(.get, "/v1/signatures/list", as: "partner-baseline", fixture: fixture)
            #expect(answer.status == .serviceUnavailable)
        }
    }
}
