import ConcordCore
import Foundation
import Testing

@Suite("JSON reading")
struct JSONParserTests {
    @Test("documents read as Foundation reads them, numbers and escapes included")
    func agreesWithFoundation() throws {
        let text = #"""
            {"a": [1, -2, 3.5, 1e3, -0.25E-2, true, false, null], "b": {"c": "\u00e9\ud83d\ude00\n\t\"\\\/"},
             "d": "plain", "e": [], "f": {}, "g": 9223372036854775807, "h": 1.0}
            """#
        let parsed = try JSONValue.parse(Array(text.utf8))
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(parsed["b"]?["c"]?.string == (foundation["b"] as! [String: Any])["c"] as? String)
        #expect(
            parsed["a"]
                == .array([
                    .integer(1), .integer(-2), .number(3.5), .number(1000), .number(-0.0025),
                    .bool(true), .bool(false), .null,
                ]))
        #expect(parsed["g"] == .integer(Int64.max))
        #expect(parsed["h"] == .number(1))
        #expect(parsed["e"] == .array([]) && parsed["f"] == .object([:]))
    }

    @Test("the elements of an envelope's objects are kept exactly as written")
    func elementRanges() throws {
        let text = #"{"more": false, "objects": [ {"id": "x", "n": [1, {"objects": [2]}]} ,{"id":"y"}], "z": [3]}"#
        let bytes = Array(text.utf8)
        let (value, elements) = try JSONValue.parse(bytes, keepingElementsOf: "objects")
        #expect(
            elements.map { String(decoding: bytes[$0], as: UTF8.self) } == [
                #"{"id": "x", "n": [1, {"objects": [2]}]}"#, #"{"id":"y"}"#,
            ])
        #expect(value["objects"]?.array?.count == 2)
    }

    @Test(
        "malformed JSON is refused with its position",
        arguments: [
            "", "{", #"{"a":1,}"#, "[1,]", "01", "1.", "-", ".5", #""abc"#, #""\x""#, #""\ud800""#, #""\u12g4""#,
            "tru", "{\"a\" 1}", "[1 2]", "{} {}", "\"a\u{01}b\"", "1e", "{1:2}", "nan", "1e999",
        ])
    func malformed(text: String) {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test("invalid UTF-8 and runaway nesting are refused")
    func limits() {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(Array(fine.utf8)) }
    }
}

@Suite("Gateway ingest and policy")
struct GatewayPolicyTests {
    static let partnerA = GatewayParticipant.partner(agreement: "agr_a")
    static let partnerB = GatewayParticipant.partner(agreement: "agr_b")
    static let france = GatewayParticipant.party(.member(MemberCode("FRA")!))
    static let agreement = AgreementFacts(services: [.gateway], country: MemberCode("NLD")!, inForce: true)

    static let everyone: Set<GatewayParticipant> = [partnerA, partnerB, france, .party(.secretariat)]
    static let collection = GatewayCollectionFacts(readers: everyone, writers: everyone, agreement: agreement)

    static func partner(_ agreement: String, key: String) -> Principal {
        .key(key, role: .partner, member: MemberCode("NLD"), agreement: agreement)
    }

    static let principals: [String: Principal] = [
        "a": partner("agr_a", key: "key_a"), "a2": partner("agr_a", key: "key_a2"), "b": partner("agr_b", key: "key_b"),
        "fra": .key("key_fra", role: .ncbOfficer, member: MemberCode("FRA")),
        "gs": .key("key_gs", role: .secretariatAdmin, member: nil),
    ]

    static func facts(_ tlp: TLPLevel?, recipients: Set<String> = []) -> GatewayObjectFacts {
        GatewayObjectFacts(
            collection: collection, tlp: tlp, addedBy: partnerA, addedByKey: "key_a", recipients: recipients,
            protectsSource: false)
    }

    /// Who reads an object partner A's key "key_a" sent, by marking and named recipients.
    @Test(
        "markings decide who among the collection's readers sees a version",
        arguments: [
            (TLPLevel?.none, Set<String>(), ["a", "a2", "b", "fra", "gs"]),
            (.clear, [], ["a", "a2", "b", "fra", "gs"]),
            (.green, [], ["a", "a2", "b", "fra", "gs"]),
            (.amber, [], ["a", "a2", "b", "fra", "gs"]),
            (.amberStrict, [], ["a", "a2"]),
            (.amberStrict, ["agr_b"], ["a", "a2", "b"]),
            (.amberStrict, ["key_fra"], ["a", "a2", "fra"]),
            (.red, [], ["a"]),
            (.red, ["agr_b", "FRA"], ["a"]),
            (.red, ["key_b"], ["a", "b"]),
        ] as [(TLPLevel?, Set<String>, [String])])
    func markings(tlp: TLPLevel?, recipients: Set<String>, readers: [String]) {
        let allowed = Self.principals.filter {
            Policy.decide($0.value, .read, .gatewayObject(Self.facts(tlp, recipients: recipients))).isAllowed
        }
        #expect(allowed.keys.sorted() == readers)
    }

    @Test("collections need the agreement in force with Gateway, in its country, and the collection's lists")
    func collections() {
        let a = Self.principals["a"]!
        #expect(Policy.decide(a, .read, .gatewayCollection(Self.collection)).isAllowed)
        var facts = Self.collection
        facts.agreement?.inForce = false
        #expect(Policy.decide(a, .read, .gatewayCollection(facts)) == .deny(.roleNotPermitted))
        facts = Self.collection
        facts.agreement?.services = [.baseline]
        #expect(Policy.decide(a, .read, .gatewayCollection(facts)) == .deny(.roleNotPermitted))
        let elsewhere = Principal.key("key_x", role: .partner, member: MemberCode("ESP"), agreement: "agr_a")
        #expect(Policy.decide(elsewhere, .read, .gatewayCollection(Self.collection)) == .deny(.roleNotPermitted))
        facts = Self.collection
        facts.writers = [Self.france]
        #expect(Policy.decide(a, .create, .gatewayCollection(facts)) == .deny(.roleNotPermitted))
        #expect(Policy.decide(Self.principals["fra"]!, .create, .gatewayCollection(facts)).isAllowed)
        for role in [Role.frontline, .ccf, .delegate, .assemblySecretary] {
            let principal = Principal.key("k", role: role, member: role.actsForMember ? MemberCode("FRA") : nil)
            #expect(Policy.decide(principal, .read, .gatewayCollection(Self.collection)) == .deny(.roleNotPermitted))
        }
    }

    @Test("only the sending organisation deletes, or the General Secretariat; a protected police source is withheld")
    func deletionAndSources() {
        let facts = Self.facts(.green)
        #expect(Policy.decide(Self.principals["a2"]!, .withdraw, .gatewayObject(facts)).isAllowed)
        #expect(Policy.decide(Self.principals["b"]!, .withdraw, .gatewayObject(facts)) == .deny(.notOwner))
        #expect(Policy.decide(Self.principals["gs"]!, .withdraw, .gatewayObject(facts)).isAllowed)
        #expect(Policy.decide(Self.principals["b"]!, .withdraw, .gatewayObject(Self.facts(.red))) == .deny(.hidden))
        var police = Self.facts(nil)
        police.addedBy = Self.france
        police.protectsSource = true
        #expect(Policy.decide(Self.principals["b"]!, .read, .gatewayObject(police)) == .allow(.actionable))
        #expect(Policy.decide(Self.principals["gs"]!, .read, .gatewayObject(police)) == .allow(.full))
        var partnerSource = Self.facts(nil)
        partnerSource.protectsSource = true
        #expect(Policy.decide(Self.principals["b"]!, .read, .gatewayObject(partnerSource)) == .allow(.full))
    }

    @Test("ingest reads the version, marking, recipients and observables, and refuses bad recipients")
    func ingest() throws {
        let json = #"""
            {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
             "created":"2024-01-01T00:00:00Z","modified":"2024-02-01T00:00:00.5Z","pattern_type":"stix",
             "pattern":"[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'Evil.Example.']",
             "valid_from":"2024-01-01T00:00:00Z","x_concord_recipients":["key_b","agr_c","DEU"],
             "object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
                                    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]}
            """#
        let value = try JSONValue.parse(Array(json.utf8))
        let object = try GatewayIngest.object(
            value, json: Array(json.utf8), collection: "c", addedBy: Self.partnerA, key: "key_a", at: Date()
        ).get()
        #expect(object.version.text == "2024-02-01T00:00:00.5Z")
        #expect(object.tlp == .red)
        #expect(object.recipients == ["key_b", "agr_c", "DEU"])
        #expect(object.observables.map(\.description) == ["ipv4:198.51.100.7", "domain:evil.example"])
        let bad = json.replacingOccurrences(of: #"["key_b","agr_c","DEU"]"#, with: #"["everyone"]"#)
        let refused = GatewayIngest.object(
            try JSONValue.parse(Array(bad.utf8)), json: [], collection: "c", addedBy: Self.partnerA, key: "key_a",
            at: Date())
        #expect(throws: ValidationFailure.self) { try refused.get() }
    }

    @Test("an address correlates with the networks that contain it")
    func enclosingNetworks() {
        let values = Observable("10.1.2.3", as: .ipv4)!.correlatingValues
        #expect(values.count == 33)
        #expect(values.first == "0.0.0.0/0" && values.last == "10.1.2.3")
        #expect(values.contains("10.1.0.0/16"))
        #expect(Observable("evil.example", as: .domain)!.correlatingValues == ["evil.example"])
    }

    @Test("times become TAXII timestamps at microsecond precision and read back exactly")
    func timestamps() {
        for micros: Int64 in [0, 1, 1_732_412_345_123_456, 951_782_400_000_000, -1] {
            let stamp = STIXTimestamp(Date(microsecondsSince1970: micros))
            #expect(stamp.microsecondsSince1970 == micros)
            #expect(STIXTimestamp(stamp.text) == stamp)
        }
        #expect(STIXTimestamp(Date(microsecondsSince1970: 951_782_400_000_000)).text == "2000-02-29T00:00:00.000000Z")
    }
}
