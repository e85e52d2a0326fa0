import ConcordCore
import Foundation
import Testing

@Suite("STIX patterns")
struct STIXPatternTests {
    @Test(
        "patterns of every construct parse",
        arguments: [
            "[ipv4-addr:value = '198.51.100.1/32']",
            "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            "[domain-name:value = 'example.com' OR domain-name:value = 'example.net']",
            "[url:value LIKE '%/login.php' AND url:value NOT MATCHES '^https://']",
            "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port IN (80, 443, 8080)]",
            "[file:size > 1024 AND file:size <= 2048] FOLLOWEDBY [process:name = 'cmd.exe'] WITHIN 300 SECONDS",
            "([email-message:from_ref.value = 'a@example.com'] AND [email-message:subject = 'Invoice']) REPEATS 5 TIMES",
            "[x509-certificate:issuer = 'CN=Example'] START t'2024-01-01T00:00:00Z' STOP t'2024-12-31T23:59:59.999Z'",
            "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software' AND windows-registry-key:values[*].name = 'Run']",
            "[artifact:payload_bin = b'ZXZpbA==' OR artifact:payload_bin = h'deadbeef']",
            "[(ipv4-addr:value = '10.0.0.1' OR ipv4-addr:value = '10.0.0.2') AND ipv4-addr:value != '10.0.0.3']",
            "[process:extensions.'windows-process-ext'.aslr_enabled = true]",
            "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
            "[EXISTS file:name]",
            "[user-account:account_created > t'2020-02-29T12:00:00.000Z']",
            "[file:name = 'отчёт 2024 😀.pdf' AND file:size >= -1.5]",
        ])
    func valid(pattern: String) throws {
        #expect(throws: Never.self) { try STIXPattern(pattern) }
    }

    @Test(
        "malformed patterns are refused at the offending character",
        arguments: [
            ("ipv4-addr:value = '1.2.3.4'", 0, "observation expression"),
            ("[ipv4-addr:value = '1.2.3.4'", 28, "']'"),
            ("[ipv4-addr:value == '1.2.3.4']", 18, "value"),
            ("[ipv4-addr value = '1.2.3.4']", 11, "':'"),
            ("[IPV4:value = '1.2.3.4']", 1, "object type"),
            ("[file:name = 'a.exe'] WITHIN SECONDS", 29, "positive number"),
            ("[file:name = 'a.exe'] REPEATS 0 TIMES", 30, "positive whole number"),
            ("[file:name = 'unterminated]", 13, "not closed"),
            ("[file:created > t'2024-13-01T00:00:00Z']", 16, "RFC 3339"),
            ("[file:name MATCHES '([a-z']", 19, "regular expression"),
            ("[file:name = 'a'] AND", 21, "observation expression"),
            ("[file:size IN ()]", 15, "value"),
            ("[artifact:payload_bin = h'abc']", 24, "even number"),
            ("[file:name = 'a'] [file:name = 'b']", 18, "after the pattern"),
        ])
    func invalid(pattern: String, position: Int, reason: String) {
        do {
            _ = try STIXPattern(pattern)
            Issue.record("\(pattern) parsed")
        } catch {
            #expect(error.position == position, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test("a string keeps its text exactly, escapes resolved, in any script")
    func strings() throws {
        let pattern = try STIXPattern(#"[file:name = 'l\'été — 报告.pdf']"#)
        #expect(pattern.comparisons.first?.values == ["l'été — 报告.pdf"])
    }

    @Test(
        "identifiers are a type, two hyphens and a lower-case RFC 4122 UUID",
        arguments: [
            ("attack-pattern--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061", "attack-pattern"),
            ("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator"),
            ("indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F", nil),
            ("indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f", nil),
            ("indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f0", nil),
            ("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3", nil),
            ("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", nil),
            ("in--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", nil),
            ("--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", nil),
            ("indicator--", nil),
        ] as [(String, String?)])
    func identifiers(identifier: String, type: String?) {
        #expect(STIXIdentifier.type(of: identifier) == type)
    }

    @Test("equality tests on values and hashes become observables; other tests do not")
    func observables() throws {
        let pattern = try STIXPattern(
            "[ipv4-addr:value = '198.051.100.1'] OR [url:value = 'HTTP://Example.COM:80'] OR [file:hashes.'SHA-256' = '"
                + String(repeating: "AB", count: 32) + "'] OR [domain-name:value != 'example.org']")
        let observables = pattern.comparisons.compactMap(Observable.init)
        // A leading zero may mean octal somewhere: the address is refused, not guessed.
        #expect(
            observables.map(\.description) == [
                "url:http://example.com/", "sha256:" + String(repeating: "ab", count: 32),
            ])
    }
}

@Suite("STIX validation")
struct STIXValidatorTests {
    static func object(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    static let indicator = """
        {"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
         "created": "2024-03-01T10:00:00.000Z", "modified": "2024-03-02T10:00:00.000Z",
         "pattern": "[ipv4-addr:value = '203.0.113.9']", "pattern_type": "stix", "valid_from": "2024-03-01T10:00:00Z",
         "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]}
        """

    @Test("a well-formed indicator has no issues")
    func valid() throws {
        #expect(STIXValidator.issues(in: try Self.object(Self.indicator)).isEmpty)
    }

    @Test(
        "each broken property is named with its reason",
        arguments: [
            ("\"spec_version\": \"2.1\"", "\"spec_version\": \"2.0\"", "spec_version"),
            ("indicator--8e2e2d2b", "malware--8e2e2d2b", "id"),
            ("98ee46b3cd3f\"", "98EE46B3CD3F\"", "id"),
            ("4cbf-938f", "4cbf-738f", "id"),
            ("\"modified\": \"2024-03-02T10:00:00.000Z\"", "\"modified\": \"2024-02-29T10:00:00.000Z\"", "modified"),
            ("\"created\": \"2024-03-01T10:00:00.000Z\"", "\"created\": \"2024-03-01 10:00:00\"", "created"),
            ("\"created\": \"2024-03-01T10:00:00.000Z\",", "", "created"),
            ("\"pattern_type\": \"stix\",", "", "pattern_type"),
            ("= '203.0.113.9']", "= '203.0.113.9'", "pattern"),
            ("\"valid_from\": \"2024-03-01T10:00:00Z\"", "\"valid_from\": \"2024-02-30T10:00:00Z\"", "valid_from"),
            ("marking-definition--34098fce", "identity--34098fce", "object_marking_refs[0]"),
        ])
    func invalid(original: String, replacement: String, field: String) throws {
        let broken = Self.indicator.replacingOccurrences(of: original, with: replacement)
        #expect(broken != Self.indicator)
        let issues = STIXValidator.issues(in: try Self.object(broken))
        #expect(issues.map(\.field).contains(field), "\(issues)")
    }

    @Test("a pattern in another language is not held to the STIX grammar")
    func otherPatternLanguages() throws {
        let sigma = Self.indicator.replacingOccurrences(
            of: "\"pattern_type\": \"stix\"", with: "\"pattern_type\": \"sigma\""
        )
        .replacingOccurrences(of: "[ipv4-addr:value = '203.0.113.9']", with: "title: x")
        #expect(STIXValidator.issues(in: try Self.object(sigma)).isEmpty)
    }

    @Test("observables, relationships and sightings have their own rules")
    func otherTypes() throws {
        let address = try Self.object(
            #"{"type": "ipv4-addr", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": "999.1.1.1"}"#)
        #expect(STIXValidator.issues(in: address).map(\.field) == ["value"])
        let relationship = try Self.object(
            """
            {"type": "relationship", "spec_version": "2.1", "id": "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad",
             "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "relationship_type": "uses",
             "source_ref": "threat-actor--9a8a0d25-7636-429b-a99e-b2a73cd0f11f", "target_ref": "not-an-id"}
            """)
        #expect(STIXValidator.issues(in: relationship).map(\.field) == ["target_ref"])
        let sighting = try Self.object(
            """
            {"type": "sighting", "spec_version": "2.1", "id": "sighting--ee20065d-2555-424f-ad9e-0f8428623c75",
             "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z",
             "first_seen": "2024-01-02T00:00:00Z", "last_seen": "2024-01-01T00:00:00Z", "count": -1}
            """)
        #expect(Set(STIXValidator.issues(in: sighting).map(\.field)) == ["sighting_of_ref", "last_seen", "count"])
        let family = try Self.object(
            """
            {"type": "malware", "spec_version": "2.1", "id": "malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
             "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z", "is_family": true}
            """)
        #expect(STIXValidator.issues(in: family).map(\.field) == ["name"])
    }

    @Test("TLP marking definitions must say the level of their standard id")
    func markingDefinitions() throws {
        func definition(_ id: String, _ name: String, _ tlp: String) throws -> JSONValue {
            try Self.object(
                """
                {"type": "marking-definition", "spec_version": "2.1", "id": "\(id)", "created": "2022-10-01T00:00:00.000Z",
                 "name": "\(name)", "extensions": {"\(TLPMarking.extensionDefinition)":
                 {"extension_type": "property-extension", "tlp_2_0": "\(tlp)"}}}
                """)
        }
        let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
        #expect(STIXValidator.issues(in: try definition(red, "TLP:RED", "red")).isEmpty)
        #expect(STIXValidator.issues(in: try definition(red, "TLP:CLEAR", "red")).map(\.field) == ["definition"])
        #expect(STIXValidator.issues(in: try definition(red, "TLP:RED", "clear")).map(\.field) == ["definition"])
        let minted = "marking-definition--3b0e3e2c-1bb0-4b3b-8c5d-1f2a3b4c5d6e"
        #expect(STIXValidator.issues(in: try definition(minted, "TLP:CLEAR", "clear")).map(\.field) == ["definition"])
        let white = try Self.object(
            """
            {"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
             "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": "TLP:WHITE", "definition": {"tlp": "white"}}
            """)
        #expect(STIXValidator.issues(in: white).isEmpty)
        #expect(TLPMarking.level(of: [red, "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]) == .red)
        #expect(TLPMarking.level(of: [minted]) == nil)
    }

    @Test("timestamps are read exactly, whatever their precision")
    func timestamps() throws {
        let coarse = try #require(STIXTimestamp("2024-02-29T23:59:59Z"))
        let fine = try #require(STIXTimestamp("2024-02-29T23:59:59.000000001Z"))
        #expect(coarse < fine)
        #expect(STIXTimestamp("2024-02-29T23:59:59.000Z") == coarse)
        #expect(coarse.date == Date(timeIntervalSince1970: 1_709_251_199))
        for bad in [
            "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00.Z",
        ] {
            #expect(STIXTimestamp(bad) == nil, "\(bad)")
        }
    }
}

@Suite("Observables and warninglists")
struct ObservableTests {
    @Test(
        "values normalise to one spelling",
        arguments: [
            (ObservableKind.ipv4, "192.0.2.1/32", "192.0.2.1"),
            (.ipv4, "10.1.2.3/8", "10.0.0.0/8"),
            (.ipv6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            (.ipv6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            (.ipv6, "::ffff:192.0.2.1", "::ffff:c000:201"),
            (.ipv6, "fe80::1%eth0", nil),
            (.ipv6, "2001:db8::/32", "2001:db8::/32"),
            (.ipv4, "256.1.1.1", nil),
            (.ipv4, "2001:db8::1", nil),
            (.domain, "Mail.Example.COM.", "mail.example.com"),
            (.domain, "-bad.example.com", nil),
            (.domain, "localhost", nil),
            (.url, "HTTPS://User@Example.COM:443?q=1#top", "https://User@example.com/?q=1"),
            (.url, "http://[2001:DB8::1]:8080/a/B", "http://[2001:db8::1]:8080/a/B"),
            (.url, "example.com/path", nil),
            (.email, "Alice.Smith@Example.ORG", "alice.smith@example.org"),
            (.email, "no-at-sign.example.org", nil),
            (.sha1, "A9993E364706816ABA3E25717850C26C9CD0D89D", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (.md5, "xyz", nil),
        ] as [(ObservableKind, String, String?)])
    func normalise(kind: ObservableKind, raw: String, expected: String?) {
        #expect(Observable.normalise(raw, as: kind) == expected)
    }

    @Test("networks contain their addresses and narrower networks only")
    func networks() throws {
        let network = try #require(IPNetwork("172.16.0.0/12"))
        #expect(network.contains(try #require(IPNetwork("172.31.255.255"))))
        #expect(network.contains(try #require(IPNetwork("172.20.0.0/16"))))
        #expect(!network.contains(try #require(IPNetwork("172.32.0.1"))))
        #expect(!network.contains(try #require(IPNetwork("172.0.0.0/8"))))
        #expect(!network.contains(try #require(IPNetwork("::ffff:172.16.0.1"))))
    }

    @Test("benign values are flagged with the list they are on; others are not")
    func warninglists() throws {
        let lists = try Warninglists(Warninglist.standard)
        func on(_ kind: ObservableKind, _ value: String) throws -> [String] {
            lists.lists(containing: try #require(Observable(value, as: kind)))
        }
        #expect(try on(.ipv4, "192.168.4.20") == ["reserved-ranges"])
        #expect(try on(.ipv4, "8.8.8.8") == ["public-resolvers"])
        #expect(try on(.ipv6, "2001:4860:4860::8888") == ["public-resolvers"])
        #expect(try on(.domain, "mail.google.com") == ["popular-domains"])
        #expect(try on(.url, "https://accounts.google.com:8443/signin") == ["popular-domains"])
        #expect(try on(.email, "someone@microsoft.com") == ["popular-domains"])
        #expect(try on(.url, "http://10.0.0.5/payload") == ["reserved-ranges"])
        #expect(try on(.domain, "google.com.evil.example").isEmpty)
        #expect(try on(.domain, "notgoogle.com").isEmpty)
        #expect(try on(.ipv4, "198.51.99.1").isEmpty)
        #expect(throws: DomainError.self) {
            try Warninglists([Warninglist(name: "mine", description: "", entries: ["not a value!"])])
        }
    }
}

@Suite("TAXII parameters")
struct TAXIIFilterTests {
    @Test("filters read as TAXII defines them")
    func valid() throws {
        let filter = try TAXIIFilter(parameters: [
            ("added_after", "2024-05-01T12:00:00.123456Z"), ("limit", "5000"), ("next", "1714564800123457"),
            ("match[id]", "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"), ("match[type]", "indicator,malware"),
            ("match[version]", "first,last"), ("match[spec_version]", "2.1"),
        ])
        #expect(filter.addedAfter == STIXTimestamp("2024-05-01T12:00:00.123456Z")?.date)
        #expect(filter.limit == TAXII.maximumPageSize)
        #expect(filter.next == 1_714_564_800_123_457)
        #expect(filter.types == ["indicator", "malware"])
        #expect(filter.versions == GatewayVersions(first: true, last: true))
        let plain = try TAXIIFilter(parameters: [])
        #expect(plain.limit == TAXII.defaultPageSize && plain.versions == .last)
    }

    @Test(
        "malformed or misplaced parameters are refused by name",
        arguments: [
            ("added_after", "yesterday"), ("limit", "0"), ("limit", "ten"), ("next", "abc"),
            ("match[id]", "not-an-id"), ("match[type]", "Indicator"), ("match[version]", "newest"),
            ("match[spec_version]", "3.0"), ("match[colour]", "red"), ("match[type]", "indicator,"),
        ])
    func invalid(name: String, value: String) {
        do {
            _ = try TAXIIFilter(parameters: [(name, value)])
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            guard case .invalid(let field, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(field == name)
        }
    }

    @Test("a single object's versions take no id, type or version filter")
    func endpointScope() {
        #expect(throws: DomainError.self) {
            try TAXIIFilter(parameters: [("match[type]", "indicator")], allowed: [])
        }
        #expect(throws: Never.self) {
            try TAXIIFilter(parameters: [("match[spec_version]", "2.1"), ("limit", "3")], allowed: [])
        }
    }

    @Test("media types are negotiated as TAXII 2.1 requires")
    func mediaTypes() {
        #expect(TAXII.accepts(nil))
        #expect(TAXII.accepts("application/taxii+json;version=2.1"))
        #expect(TAXII.accepts("text/html, application/taxii+json"))
        #expect(TAXII.accepts("*/*"))
        #expect(!TAXII.accepts("application/taxii+json;version=2.0"))
        #expect(!TAXII.accepts("application/json"))
        #expect(TAXII.isTAXIIContent("application/taxii+json; version=2.1"))
        #expect(!TAXII.isTAXIIContent("application/json"))
        #expect(!TAXII.isTAXIIContent(nil))
    }
}
