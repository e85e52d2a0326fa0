import Foundation
import Testing

@testable import ConcordCore

@Suite struct DocumentKeyTests {
    @Test(arguments: [
        ("c01x00t47", "C01X00T47"),
        (" C01 X00 T47 ", "C01X00T47"),
        ("AB-123/45.6", "AB123456"),
        ("L898902C<<", "L898902C"),
        ("<L898<902C", "L898902C"),
        ("ab_12\t3", "AB123"),
        ("0000", "0000"),
        ("zZ-9", "ZZ9"),
        (String(repeating: "A1", count: 15), String(repeating: "A1", count: 15)),
        (String(repeating: "A-1 ", count: 15), String(repeating: "A1", count: 15)),
    ])
    func normalizesAsPrinted(typed: String, normalized: String) throws {
        #expect(try DocumentKey.normalize(number: typed) == normalized)
    }

    @Test(arguments: [
        "AB#123", "ÄB123", "\u{0410}B123", "１２３", "AB,12", "12'3", "A\n1", "A+1", "A:1", "A\u{00A0}1",
        "", "   ", "- / . < _", String(repeating: "A", count: 31), String(repeating: "A1-", count: 16),
    ])
    func rejectsWhatIsNotADocumentNumber(typed: String) {
        let error = #expect(throws: DomainError.self) { try DocumentKey.normalize(number: typed) }
        #expect(error?.invalidField == "number")
    }

    @Test func keysAgreeWhateverTheSpelling() throws {
        let typed = try DocumentKey(issuer: issuer("DEU"), type: .passport, number: "c01x-00t47")
        let printed = try DocumentKey(issuer: issuer("D<<"), type: .passport, number: "C01X00T47")
        #expect(typed == printed)
        #expect(typed.lookupKey == "D|passport|C01X00T47")
        #expect(typed.description == typed.lookupKey)
        let card = try DocumentKey(issuer: issuer("D"), type: .idCard, number: "C01X00T47")
        #expect(card != printed)
        #expect(card.lookupKey == "D|id-card|C01X00T47")
        // Equal keys have one digest, which is also what sets and dictionaries hash.
        #expect(typed.digest == printed.digest && card.digest != printed.digest)
        #expect(Set([typed, printed, card]).count == 2)
    }

    @Test func lookupKeysReadBackAsTheKeysTheyCameFrom() throws {
        let keys = [
            try DocumentKey(issuer: IssuerCode("D")!, type: .idCard, number: "l01 x00-7"),
            try DocumentKey(issuer: IssuerCode("UNO")!, type: .residencePermit, number: "9"),
            try DocumentKey(issuer: IssuerCode("FRA")!, type: .passport, number: String(repeating: "Z", count: 30)),
        ]
        let everyType = try DocumentType.allCases.map {
            try DocumentKey(issuer: IssuerCode("GBR")!, type: $0, number: "X1")
        }
        for key in keys + everyType { #expect(DocumentKey(lookupKey: key.lookupKey) == key) }
    }

    @Test(arguments: [
        "FRA|passport", "FRA|book|X1", "FRA|vise|X1", "FRA|Passport|X1", "XYZ|passport|X1", "FRA|passport|x1",
        "FRA|passport|", "FRA|passport|A|B",
        "FRA|passport|A-1", "|passport|X1", "FRA||X1", "FRA|passport|" + String(repeating: "Z", count: 31),
    ])
    func textNoKeyProducesIsNoLookupKey(text: String) {
        #expect(DocumentKey(lookupKey: text) == nil)
    }
}

@Suite struct TravelDocumentRuleTests {
    static let now = instant("2025-06-10T12:00:00Z")
    static let france = member("FRA")
    static let id = RecordID(rawValue: "0b0e7d5e-6f1f-4a53-9d5b-1b3f5a0c8e21")

    static func request(
        status: DocumentStatus = .stolen, issued: String? = "2020-01-15", expires: String? = "2030-01-14",
        taken: String? = "2025-05-01", reference: String? = " FR-2025-001 "
    ) -> NewTravelDocument {
        NewTravelDocument(
            issuer: issuer("FRA"), type: .passport, number: " 12ab34567 ", status: status,
            dateOfIssue: issued.flatMap(CalendarDate.init), dateOfExpiry: expires.flatMap(CalendarDate.init),
            dateOfTheftOrLoss: taken.flatMap(CalendarDate.init), nationalReference: reference)
    }

    static func record(
        _ request: NewTravelDocument, now: Date = now
    ) throws(DomainError)
        -> TravelDocumentRecord
    {
        try TravelDocuments.record(request, owner: france, id: id, now: now)
    }

    @Test func recordCarriesTheEnvelopeOfATravelDocument() throws {
        let record = try Self.record(Self.request())
        let envelope = record.envelope
        #expect(envelope.id == Self.id)
        #expect(envelope.kind == .travelDocument)
        #expect(envelope.owner == Self.france)
        #expect(envelope.purpose == .borderManagement)
        #expect(envelope.restrictions == .none)
        #expect(envelope.confidentiality == .officialUse)
        #expect(envelope.createdAt == Self.now)
        #expect(envelope.updatedAt == Self.now)
        #expect(envelope.status == .active)
        #expect(envelope.reviewDate == instant("2035-06-10T12:00:00Z"))
        #expect(record.version == 1)
        // Trimmed for display, but not normalised: the key does that.
        #expect(record.document.number == "12ab34567")
        #expect(record.document.nationalReference == "FR-2025-001")
        #expect(try record.document.key.number == "12AB34567")
        #expect(record.document.dateOfIssue == CalendarDate(year: 2020, month: 1, day: 15))
        #expect(
            envelope.facts(at: Self.now)
                == RecordFacts(
                    kind: .travelDocument, owner: Self.france, restrictions: .none, status: .active))
        // On its review date the record stops being served.
        #expect(envelope.facts(at: envelope.reviewDate - 1).pastReview == false)
        #expect(envelope.facts(at: envelope.reviewDate).pastReview == true)
    }

    @Test func ownerRestrictionsAreKept() throws {
        var request = Self.request()
        let restrictions = Restrictions(visibility: .onlyListed([member("DEU")]), notifyOwner: true)
        request.restrictions = restrictions
        #expect(try Self.record(request).envelope.restrictions == restrictions)
    }

    @Test func aDocumentWithoutDatesIsValid() throws {
        let record = try Self.record(Self.request(issued: nil, expires: nil, taken: nil, reference: nil))
        #expect(record.document.dateOfIssue == nil)
        #expect(record.document.nationalReference == nil)
    }

    @Test(
        arguments: [
            // (status, issued, expires, taken, reference, rejected field or nil)
            (DocumentStatus.stolen, "2025-06-11", nil, nil, nil, "dateOfIssue"),
            (.stolen, "2025-06-10", nil, nil, nil, nil),
            (.stolen, "2020-01-15", "2020-01-14", nil, nil, "dateOfExpiry"),
            (.stolen, "2020-01-15", "2020-01-15", nil, nil, nil),
            (.lost, "2010-01-15", "2020-01-14", "2021-03-01", nil, nil),
            (.stolen, nil, "2010-01-01", nil, nil, nil),
            (.lost, nil, nil, "2025-06-11", nil, "dateOfTheftOrLoss"),
            (.lost, nil, nil, "2025-06-10", nil, nil),
            (.stolen, "2020-01-15", nil, "2020-01-14", nil, "dateOfTheftOrLoss"),
            (.lost, "2020-01-15", nil, "2019-01-01", nil, "dateOfTheftOrLoss"),
            (.revoked, "2020-01-15", nil, "2019-01-01", nil, "dateOfTheftOrLoss"),
            (.stolenBlank, "2020-01-15", nil, "2019-01-01", nil, nil),
            (.stolenBlank, "2020-01-15", nil, "2025-06-11", nil, "dateOfTheftOrLoss"),
            (.stolen, "2020-01-15", nil, "2020-01-15", nil, nil),
            (.stolen, nil, nil, nil, "", "nationalReference"),
            (.stolen, nil, nil, nil, "   ", "nationalReference"),
            (.stolen, nil, nil, nil, "R", nil),
            (.stolen, nil, nil, nil, String(repeating: "R", count: 100), nil),
            (.stolen, nil, nil, nil, String(repeating: "R", count: 101), "nationalReference"),
            (.stolen, nil, nil, nil, " " + String(repeating: "R", count: 100) + " ", nil),
        ] as [(DocumentStatus, String?, String?, String?, String?, String?)])
    func validation(
        status: DocumentStatus, issued: String?, expires: String?, taken: String?, reference: String?,
        rejected: String?
    ) {
        let request = Self.request(
            status: status, issued: issued, expires: expires, taken: taken, reference: reference)
        do {
            _ = try Self.record(request)
            #expect(rejected == nil, "should have been rejected on \(rejected ?? "")")
        } catch {
            #expect(error.invalidField == rejected, "\(error)")
        }
    }

    @Test func invalidNumberIsRejected() {
        var request = Self.request()
        request.number = "12#34"
        let error = #expect(throws: DomainError.self) { try Self.record(request) }
        #expect(error?.invalidField == "number")
    }

    /// "Today" is the UTC day, whatever the offset the instant was written with.
    @Test(arguments: [
        ("2025-06-11T01:30:00+02:00", false),  // 23:30 UTC on the 10th: the 11th is tomorrow
        ("2025-06-10T22:30:00-02:00", true),  // 00:30 UTC on the 11th
        ("2025-06-10T23:59:59Z", false),
        ("2025-06-11T00:00:00Z", true),
    ])
    func futureIsJudgedInUTC(now: String, acceptsIssueOnThe11th: Bool) {
        let request = Self.request(issued: "2025-06-11", expires: nil, taken: nil)
        let accepted = (try? Self.record(request, now: instant(now))) != nil
        #expect(accepted == acceptsIssueOnThe11th)
    }

    @Test(arguments: [
        ("2025-06-10T12:00:00Z", "2035-06-10T12:00:00Z"),
        ("2025-12-31T23:59:59Z", "2035-12-31T23:59:59Z"),
        ("2024-02-29T08:00:00Z", "2034-02-28T08:00:00Z"),
    ])
    func reviewIsDueTenYearsLater(from: String, due: String) {
        #expect(TravelDocuments.reviewDate(from: instant(from)) == instant(due))
    }

    @Test func withdrawingStopsServingAndBumpsTheVersion() throws {
        let record = try Self.record(Self.request())
        let later = instant("2026-01-02T03:04:05Z")
        let withdrawn = try TravelDocuments.withdraw(record, now: later)
        #expect(withdrawn.envelope.status == .withdrawn)
        #expect(withdrawn.envelope.updatedAt == later)
        #expect(withdrawn.envelope.createdAt == record.envelope.createdAt)
        #expect(withdrawn.envelope.reviewDate == record.envelope.reviewDate)
        #expect(withdrawn.version == 2)
        #expect(withdrawn.document == record.document)

        let error = #expect(throws: DomainError.self) {
            try TravelDocuments.withdraw(withdrawn, now: later)
        }
        #expect(error?.isConflict == true)
    }

    @Test(arguments: [("FRA", "FRA"), ("D", "DEU"), ("DEU", "DEU"), ("usa", "USA")])
    func issuingMemberOwnsTheDocument(issuerCode: String, owner: String) throws {
        #expect(try TravelDocuments.owner(of: issuer(issuerCode)) == member(owner))
    }

    @Test(arguments: ["UNO", "XXA", "XOM", "EUE"])
    func nonStateIssuersHaveNoOwner(issuerCode: String) {
        let error = #expect(throws: DomainError.self) { try TravelDocuments.owner(of: issuer(issuerCode)) }
        #expect(error?.invalidField == "issuer")
    }

    @Test func storedRecordRoundTrips() throws {
        var request = Self.request()
        request.restrictions = Restrictions(visibility: .allExcept([member("USA")]), notifyOwner: true)
        let record = try Self.record(request)
        let stored = try record.stored()
        #expect(stored.lookupKey == "FRA|passport|12AB34567")
        #expect(stored.envelope == record.envelope)
        #expect(stored.version == 1)
        #expect(try TravelDocumentRecord(stored) == record)

        let withdrawn = try TravelDocuments.withdraw(record, now: Self.now.addingTimeInterval(60))
        #expect(try TravelDocumentRecord(withdrawn.stored()) == withdrawn)
    }

    @Test func storedBodyIsPlainJSONOfTheDocument() throws {
        let stored = try Self.record(Self.request()).stored()
        let object = try #require(try JSONSerialization.jsonObject(with: stored.body) as? [String: Any])
        #expect(object["number"] as? String == "12ab34567")
        #expect(object["issuer"] as? String == "FRA")
        #expect(object["status"] as? String == "stolen")
        #expect(object["dateOfIssue"] as? String == "2020-01-15")
    }

    @Test func corruptBodyIsNotReadAsARecord() throws {
        var stored = try Self.record(Self.request()).stored()
        stored.body = Data(#"{"issuer":"FRA"}"#.utf8)
        #expect(throws: DecodingError.self) { try TravelDocumentRecord(stored) }
    }
}

@Suite struct DocumentViewTests {
    static func record() throws -> TravelDocumentRecord {
        let request = NewTravelDocument(
            issuer: issuer("FRA"), type: .idCard, number: "X1", status: .lost,
            dateOfIssue: CalendarDate("2020-01-01"), nationalReference: "ref",
            restrictions: Restrictions(visibility: .onlyListed([member("DEU")])))
        return try TravelDocuments.record(
            request, owner: member("FRA"), id: RecordID(rawValue: "id-1"),
            now: instant("2025-01-01T00:00:00Z"))
    }

    @Test func hitOnlyShowsNothing() throws {
        #expect(DocumentView(try Self.record(), disclosure: .hitOnly, viewer: nil) == nil)
    }

    @Test func actionableShowsOnlyWhatABorderOfficerNeeds() throws {
        let record = try Self.record()
        let view = try #require(DocumentView(record, disclosure: .actionable, viewer: member("DEU")))
        #expect(view.owner == member("FRA"))
        #expect(view.number == "X1")
        #expect(view.status == .lost)
        #expect(view.dateOfIssue == nil)
        #expect(view.nationalReference == nil)
        #expect(view.purpose == nil)
        #expect(view.recordStatus == nil)
        #expect(view.restrictions == nil)
    }

    @Test func fullShowsRestrictionsOnlyToTheOwner() throws {
        let record = try Self.record()
        let other = try #require(DocumentView(record, disclosure: .full, viewer: member("DEU")))
        #expect(other.nationalReference == "ref")
        #expect(other.dateOfIssue == CalendarDate("2020-01-01"))
        #expect(other.recordStatus == .active)
        #expect(other.restrictions == nil)
        let oversight = try #require(DocumentView(record, disclosure: .full, viewer: nil))
        #expect(oversight.restrictions == nil)
        let owner = try #require(DocumentView(record, disclosure: .full, viewer: member("FRA")))
        #expect(owner.restrictions == record.envelope.restrictions)
    }
}

@Suite struct DocumentRequestDecodingTests {
    static let minimal = #"{"issuer":"FRA","type":"passport","number":"12AB34567","status":"stolen"}"#

    static func document(_ extra: String) -> String {
        #"{"issuer":"FRA","type":"passport","number":"12AB34567","status":"stolen","# + extra + "}"
    }

    @Test func decodesAFullRequest() throws {
        let json = """
            {"issuer":"DEU","type":"id-card","number":"C01X00T47","status":"stolen-blank",
             "dateOfIssue":"2020-02-29","dateOfExpiry":"2030-02-28","dateOfTheftOrLoss":"2019-12-01",
             "nationalReference":"BKA-1","restrictions":{"visibility":"only","members":["ITA","esp"],
             "notifyOwner":true}}
            """
        let request = try decode(NewTravelDocument.self, json)
        #expect(request.issuer.rawValue == "D")
        #expect(request.type == .idCard)
        #expect(request.number == "C01X00T47")
        #expect(request.status == .stolenBlank)
        #expect(request.dateOfIssue == CalendarDate(year: 2020, month: 2, day: 29))
        #expect(request.dateOfExpiry == CalendarDate(year: 2030, month: 2, day: 28))
        #expect(request.dateOfTheftOrLoss == CalendarDate(year: 2019, month: 12, day: 1))
        #expect(request.nationalReference == "BKA-1")
        #expect(
            request.restrictions
                == Restrictions(visibility: .onlyListed([member("ITA"), member("ESP")]), notifyOwner: true))
    }

    @Test func optionalFieldsMayBeOmittedOrNull() throws {
        let request = try decode(NewTravelDocument.self, Self.minimal)
        #expect(request.dateOfIssue == nil)
        #expect(request.restrictions == nil)
        #expect(request.nationalReference == nil)
        let json = Self.document(#""restrictions":null,"dateOfIssue":null"#)
        let nulls = try decode(NewTravelDocument.self, json)
        #expect(nulls.restrictions == nil)
        #expect(nulls.dateOfIssue == nil)
    }

    /// A misspelt field must fail loudly, wherever it sits: `restriction` for `restrictions` would
    /// otherwise publish the record without its owner's limits.
    @Test(arguments: [
        (document(#""restriction":{"visibility":"only","members":["DEU"]}"#), ["restriction"]),
        (document(#""restrictions":{"visibility":"only","member":["DEU"]}"#), ["restrictions", "member"]),
        (document(#""restrictions":{"visibility":"all","notify":true}"#), ["restrictions", "notify"]),
        (document(#""Number":"1""#), ["Number"]),
    ])
    func unknownFieldsAreRejected(json: String, path: [String]) {
        let error = #expect(throws: DecodingError.self) { try decode(NewTravelDocument.self, json) }
        #expect(error.flatMap(codingPath(of:)) == path)
    }

    @Test(arguments: [
        // Wrong types.
        #"{"issuer":"FRA","type":"passport","number":12345,"status":"stolen"}"#,
        #"{"issuer":7,"type":"passport","number":"1","status":"stolen"}"#,
        document(#""dateOfIssue":20200101"#),
        document(#""restrictions":"all""#),
        document(#""restrictions":{"notifyOwner":"yes"}"#),
        document(#""nationalReference":["a"]"#),
        // Unknown values.
        #"{"issuer":"XYZ","type":"passport","number":"1","status":"stolen"}"#,
        #"{"issuer":"PRK","type":"passport","number":"1","status":"stolen"}"#,
        #"{"issuer":"FRA","type":"passports","number":"1","status":"stolen"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"found"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"STOLEN"}"#,
        document(#""dateOfIssue":"2021-02-29""#),
        document(#""dateOfExpiry":"2021-02-01T00:00:00Z""#),
        // Missing required fields, or not an object.
        #"{"issuer":"FRA","type":"passport","number":"1"}"#,
        #"{"type":"passport","number":"1","status":"stolen"}"#,
        #"{"issuer":"FRA","type":"passport","number":null,"status":"stolen"}"#,
        #"[]"#,
        #""passport""#,
    ])
    func malformedRequestsAreRejected(json: String) {
        #expect(throws: DecodingError.self) { try decode(NewTravelDocument.self, json) }
    }

    static func check(_ count: Int) -> String {
        let query = #"{"issuer":"FRA","type":"passport","number":"1"}"#
        return #"{"documents":["# + Array(repeating: query, count: count).joined(separator: ",") + "]}"
    }

    @Test(arguments: [1, 2, 1000])
    func checkBatchesUpToAThousandAreAccepted(count: Int) throws {
        let request = try decode(DocumentCheckRequest.self, Self.check(count))
        #expect(request.documents.count == count)
        let query = DocumentQuery(issuer: issuer("FRA"), type: .passport, number: "1")
        #expect(request.documents.allSatisfy { $0 == query })
    }

    @Test(arguments: [0, 1001])
    func emptyAndOversizedBatchesAreRejected(count: Int) {
        let error = #expect(throws: DecodingError.self) {
            try decode(DocumentCheckRequest.self, Self.check(count))
        }
        #expect(error.flatMap(codingPath(of:)) == ["documents"])
    }

    @Test func checkQueriesDecodeTheirFields() throws {
        let json = #"{"documents":[{"issuer":"deu","type":"id-card","number":"c01 x00"}]}"#
        let query = try #require(try decode(DocumentCheckRequest.self, json).documents.first)
        #expect(query == DocumentQuery(issuer: issuer("D"), type: .idCard, number: "c01 x00"))
    }

    @Test(arguments: [
        (
            #"{"documents":[{"issuer":"FRA","type":"passport","number":"1"},"#
                + #"{"issuer":"FRA","type":"passport","number":"2","status":"stolen"}]}"#,
            ["documents", "1", "status"]
        ),
        (#"{"documents":[{"issuer":"FRA","type":"passport","number":"1"}],"dryRun":true}"#, ["dryRun"]),
    ])
    func unknownFieldsInChecksAreRejected(json: String, path: [String]) {
        let error = #expect(throws: DecodingError.self) { try decode(DocumentCheckRequest.self, json) }
        #expect(error.flatMap(codingPath(of:)) == path)
    }

    @Test(arguments: [
        #"{}"#,
        #"{"documents":null}"#,
        #"{"documents":{}}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport"}]}"#,
        #"{"documents":[{"issuer":"XYZ","type":"passport","number":"1"}]}"#,
        #"{"documents":[{"issuer":"FRA","type":"passport","number":1}]}"#,
    ])
    func malformedChecksAreRejected(json: String) {
        #expect(throws: DecodingError.self) { try decode(DocumentCheckRequest.self, json) }
    }
}

@Suite struct RestrictionsTests {
    enum Expected: Sendable {
        case all(notify: Bool)
        case only([String], notify: Bool)
        case except([String], notify: Bool)
        case rejected

        var restrictions: Restrictions? {
            switch self {
            case .all(let notify): Restrictions(visibility: .allMembers, notifyOwner: notify)
            case .only(let codes, let notify):
                Restrictions(visibility: .onlyListed(Set(codes.map(member))), notifyOwner: notify)
            case .except(let codes, let notify):
                Restrictions(visibility: .allExcept(Set(codes.map(member))), notifyOwner: notify)
            case .rejected: nil
            }
        }
    }

    @Test(arguments: [
        (#"{}"#, Expected.all(notify: false)),
        (#"{"visibility":"all"}"#, .all(notify: false)),
        (#"{"visibility":"all","notifyOwner":true}"#, .all(notify: true)),
        (#"{"visibility":"only","members":["DEU"]}"#, .only(["DEU"], notify: false)),
        (
            #"{"visibility":"only","members":["deu","DEU","USA"],"notifyOwner":true}"#,
            .only(["DEU", "USA"], notify: true)
        ),
        (#"{"visibility":"except","members":["ITA"]}"#, .except(["ITA"], notify: false)),
        (#"{"visibility":"only"}"#, .rejected),
        (#"{"visibility":"only","members":[]}"#, .rejected),
        (#"{"visibility":"only","members":null}"#, .rejected),
        (#"{"visibility":"except"}"#, .rejected),
        (#"{"visibility":"except","members":[]}"#, .rejected),
        (#"{"visibility":"all","members":["DEU"]}"#, .rejected),
        (#"{"visibility":"all","members":[]}"#, .rejected),
        (#"{"members":["DEU"]}"#, .rejected),
        (#"{"visibility":"only","members":["XYZ"]}"#, .rejected),
        (#"{"visibility":"only","members":["DEU","TWN"]}"#, .rejected),
        (#"{"visibility":"except","members":["D"]}"#, .rejected),
        (#"{"visibility":"only","members":"DEU"}"#, .rejected),
        (#"{"visibility":"some"}"#, .rejected),
        (#"{"visibility":"ALL"}"#, .rejected),
        (#"{"visibility":"all","notifyOwner":1}"#, .rejected),
        (#"{"visibility":"all","owner":"FRA"}"#, .rejected),
        (#"[]"#, .rejected),
    ])
    func decodingRules(json: String, expected: Expected) {
        let decoded = try? decode(Restrictions.self, json)
        #expect(decoded == expected.restrictions)
    }

    @Test(arguments: [
        (Restrictions.none, #"{"notifyOwner":false,"visibility":"all"}"#),
        (
            Restrictions(visibility: .onlyListed([member("USA"), member("DEU")]), notifyOwner: true),
            #"{"members":["DEU","USA"],"notifyOwner":true,"visibility":"only"}"#
        ),
        (
            Restrictions(visibility: .allExcept([member("ITA")])),
            #"{"members":["ITA"],"notifyOwner":false,"visibility":"except"}"#
        ),
    ])
    func encodesAndRoundTrips(restrictions: Restrictions, json: String) throws {
        let data = try ConcordJSON.encoder().encode(restrictions)
        #expect(String(decoding: data, as: UTF8.self) == json)
        #expect(try ConcordJSON.decoder().decode(Restrictions.self, from: data) == restrictions)
    }

    @Test func allowsFollowsTheOwnersList() {
        let (fra, deu, usa) = (member("FRA"), member("DEU"), member("USA"))
        #expect(Restrictions.none.allows(fra))
        #expect(Restrictions(visibility: .onlyListed([fra])).allows(fra))
        #expect(!Restrictions(visibility: .onlyListed([fra])).allows(deu))
        #expect(!Restrictions(visibility: .allExcept([deu, usa])).allows(usa))
        #expect(Restrictions(visibility: .allExcept([deu, usa])).allows(fra))
        #expect(Restrictions(visibility: .allMembers, notifyOwner: true).allows(usa))
    }
}

@Suite struct CalendarDateTests {
    @Test(arguments: [
        ("2024-02-29", 2024, 2, 29), ("2000-02-29", 2000, 2, 29), ("2023-02-28", 2023, 2, 28),
        ("1900-01-01", 1900, 1, 1), ("2999-12-31", 2999, 12, 31), ("2023-04-30", 2023, 4, 30),
        ("2023-01-31", 2023, 1, 31), ("1996-02-29", 1996, 2, 29),
    ])
    func parsesValidDates(text: String, year: Int, month: Int, day: Int) throws {
        let date = try #require(CalendarDate(text))
        #expect(date.year == year)
        #expect(date.month == month)
        #expect(date.day == day)
        #expect(date.description == text)
        #expect(CalendarDate(year: year, month: month, day: day) == date)
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2100-02-29", "2024-02-30", "2024-04-31", "2024-06-31", "2024-09-31",
        "2024-11-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "1899-12-31", "3000-01-01",
        "2024-1-01", "2024-01-1", "24-01-01", "02024-01-01", "20240101", "2024/01/01", "2024.01.01",
        "2024-01-01T00:00:00Z", "", "--", " 2024-01-01", "2024-01-01 ", "2024-01--1", "-2024-01-01",
        "2024-01-01-", "\u{0662}\u{0660}\u{0662}\u{0664}-01-01", "2024-０1-01", "abcd-ef-gh",
    ])
    func rejectsInvalidDates(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    /// `YYYY-MM-DD` has digits only; a sign is not a digit.
    @Test(arguments: ["2024-+1-01", "2024-01-+1", "2024-+1-+1"])
    func rejectsSignedComponents(text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func descriptionPadsEveryComponent() throws {
        #expect(try #require(CalendarDate(year: 1905, month: 3, day: 7)).description == "1905-03-07")
    }

    @Test func ordersByYearThenMonthThenDay() throws {
        let dates = ["2023-12-31", "2024-01-01", "2024-01-31", "2024-02-01", "2024-02-29"]
        let parsed = try dates.map { try #require(CalendarDate($0)) }
        for (earlier, later) in zip(parsed, parsed.dropFirst()) {
            #expect(earlier < later)
            #expect(!(later < earlier))
        }
        #expect(parsed.shuffled().sorted() == parsed)
    }

    @Test func codesAsAString() throws {
        let date = try decode(CalendarDate.self, #""2024-02-29""#)
        #expect(date == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(String(decoding: try ConcordJSON.encoder().encode(date), as: UTF8.self) == #""2024-02-29""#)
        #expect(throws: DecodingError.self) { try decode(CalendarDate.self, #""2023-02-29""#) }
        #expect(throws: DecodingError.self) { try decode(CalendarDate.self, "20230228") }
    }

    @Test(arguments: [
        ("2025-01-01T00:30:00+01:00", "2024-12-31"),
        ("2024-12-31T23:30:00-01:00", "2025-01-01"),
        ("2024-02-29T12:00:00Z", "2024-02-29"),
    ])
    func dayOfAnInstantIsTheUTCDay(time: String, day: String) {
        #expect(CalendarDate(instant(time)) == CalendarDate(day))
    }
}
