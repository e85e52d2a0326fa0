import Foundation
import Testing

@testable import ConcordCore

@Suite struct NoticeValidationTests {
    typealias F = NoticeFixtures

    @Test(arguments: NoticeType.allCases)
    func completeRequestsOfEveryTypeHaveNoIssues(type: NoticeType) {
        #expect(Notices.issues(in: F.complete(type)) == [])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let request: NoticeRequest
        /// Exactly the fields reported, in order.
        let fields: [String]
        var testDescription: String { name }

        init(_ name: String, _ type: NoticeType, _ fields: [String], _ change: (inout NoticeRequest) -> Void) {
            var request = F.complete(type)
            change(&request)
            self.name = name
            self.request = request
            self.fields = fields
        }
    }

    static let cases: [Case] = [
        // red
        Case("red without subjects or judicial data", .red, ["subjects", "judicial"]) {
            $0.subjects = []
            $0.judicial = nil
        },
        Case("red with two people", .red, ["subjects"]) { $0.subjects.append(F.person) },
        Case(
            "red with bare particulars", .red,
            [
                "subjects[0].familyName", "subjects[0].forenames", "subjects[0].sex", "subjects[0].dateOfBirth",
                "subjects[0].nationalities",
            ]
        ) { $0.subjects = [NoticeSubject()] },
        Case(
            "red with an empty warrant and no charges", .red,
            [
                "judicial.warrant.kind", "judicial.warrant.reference", "judicial.warrant.issuingAuthority",
                "judicial.warrant.date", "judicial.charges",
            ]
        ) { $0.judicial = JudicialData(warrant: JudicialDecision(), charges: []) },
        Case("red without a warrant", .red, ["judicial.warrant"]) { $0.judicial?.warrant = nil },
        Case(
            "red whose second charge is empty", .red,
            [
                "judicial.charges[1].offence", "judicial.charges[1].facts", "judicial.charges[1].law",
                "judicial.charges[1].penalty",
            ]
        ) { $0.judicial?.charges.append(Charge()) },
        Case(
            "red with incomplete facts and penalty", .red,
            [
                "judicial.charges[0].facts.summary", "judicial.charges[0].facts.date",
                "judicial.charges[0].facts.place",
                "judicial.charges[0].penalty.basis", "judicial.charges[0].penalty.months",
            ]
        ) {
            $0.judicial?.charges[0].facts = FactsSummary()
            $0.judicial?.charges[0].penalty = Penalty()
        },
        Case(
            "red with blank texts and a bad translation", .red,
            [
                "judicial.charges[0].offence.text", "judicial.charges[0].offence.translations.en",
                "judicial.charges[0].law",
            ]
        ) {
            $0.judicial?.charges[0].offence = F.text("  ", translations: ["en": "robbery"])
            $0.judicial?.charges[0].law = ""
        },
        Case("red with a negative penalty", .red, ["judicial.charges[0].penalty.months"]) {
            $0.judicial?.charges[0].penalty = Penalty(basis: .prosecution, months: -3)
        },
        Case("red with a section of another type", .red, ["sanction"]) { $0.sanction = Sanction() },
        Case(
            "red with an unusable document and a duplicated nationality", .red,
            ["subjects[0].nationalities", "subjects[0].identityDocuments[0].number"]
        ) {
            $0.subjects[0].nationalities = [member("FRA"), member("FRA")]
            $0.subjects[0].identityDocuments = [IdentityDocument(issuer: issuer("FRA"), type: .passport, number: "##")]
        },
        // yellow
        Case("yellow without anything", .yellow, ["subjects", "disappearance"]) {
            $0.subjects = []
            $0.disappearance = nil
        },
        Case(
            "yellow with empty particulars and disappearance", .yellow,
            [
                "subjects[0].familyName", "subjects[0].forenames", "subjects[0].sex", "subjects[0].dateOfBirth",
                "disappearance.date", "disappearance.place", "disappearance.circumstances",
            ]
        ) {
            $0.subjects = [NoticeSubject(nationalities: [member("FRA")])]
            $0.disappearance = Disappearance()
        },
        // blue
        Case("blue without inquiry or subject", .blue, ["inquiry", "subjects"]) {
            $0.inquiry = nil
            $0.subjects = []
        },
        Case("blue to locate an unnamed person", .blue, ["subjects[0].familyName"]) {
            $0.subjects = [NoticeSubject(distinguishingMarks: ["tattoo"])]
        },
        Case("blue to identify a person with nothing to go on", .blue, ["subjects[0]"]) {
            $0.inquiry = Inquiry(aim: .identify, reason: F.text("Seen at the scene."))
            $0.subjects = [NoticeSubject(sex: .male)]
        },
        Case("blue with an empty inquiry", .blue, ["inquiry.aim", "inquiry.reason"]) { $0.inquiry = Inquiry() },
        // black
        Case("black without body, with a subject", .black, ["subjects", "body"]) {
            $0.body = nil
            $0.subjects = [F.person]
        },
        Case(
            "black with an empty body", .black,
            ["body.foundOn", "body.foundAt", "body.identifyingFeatures", "body.circumstances"]
        ) { $0.body = UnidentifiedBody() },
        // green
        Case("green without activities", .green, ["criminalActivities"]) { $0.criminalActivities = nil },
        Case(
            "green with an unnamed person and empty activities", .green,
            ["subjects[0].familyName", "subjects[0].dateOfBirth", "criminalActivities.description"]
        ) {
            $0.subjects = [NoticeSubject(sex: .male)]
            $0.criminalActivities = CriminalActivities()
        },
        // orange
        Case("orange without threat", .orange, ["threat"]) { $0.threat = nil },
        Case("orange with an empty threat", .orange, ["threat.kind", "threat.description"]) { $0.threat = Threat() },
        Case("orange threat from nobody", .orange, ["subjects"]) {
            $0.threat = Threat(kind: .person, description: F.text("Plans an attack."))
        },
        Case("orange threat from an unnamed person", .orange, ["subjects[0].familyName"]) {
            $0.threat = Threat(kind: .person, description: F.text("Plans an attack."))
            $0.subjects = [NoticeSubject(sex: .male)]
        },
        // purple
        Case("purple without modus operandi", .purple, ["modusOperandi"]) { $0.modusOperandi = nil },
        Case("purple with a method alone", .purple, ["modusOperandi"]) {
            $0.modusOperandi = ModusOperandi(method: F.text("Skimming"))
        },
        Case("purple with nothing", .purple, ["modusOperandi.method", "modusOperandi"]) {
            $0.modusOperandi = ModusOperandi()
        },
        // silver
        Case("silver without assets", .silver, ["assets"]) { $0.assets = nil },
        Case(
            "silver with an empty trace", .silver,
            ["assets.assets", "assets.linkToCrime", "assets.actionRequested"]
        ) { $0.assets = AssetTrace() },
        Case(
            "silver with incomplete assets", .silver,
            [
                "assets.assets[0].kind", "assets.assets[0].description", "assets.assets[0].holder",
                "assets.assets[1].description", "assets.assets[1].holder", "assets.assets[1].identifier",
            ]
        ) { $0.assets?.assets = [Asset(), Asset(kind: .cryptoWallet)] },
        Case("silver with public consent", .silver, ["publicExtractConsent"]) { $0.publicExtractConsent = true },
        // un-special
        Case("un-special without anything", .unSpecial, ["subjects", "sanction"]) {
            $0.subjects = []
            $0.sanction = nil
        },
        Case(
            "un-special with an unnamed person and an empty sanction", .unSpecial,
            ["subjects[0].familyName", "sanction.committee", "sanction.reference"]
        ) {
            $0.subjects = [NoticeSubject(sex: .male)]
            $0.sanction = Sanction()
        },
        Case("blue with public consent", .blue, ["publicExtractConsent"]) { $0.publicExtractConsent = true },
    ]

    @Test(arguments: cases)
    func reportsEveryMissingOrInvalidFieldAtOnce(example: Case) {
        #expect(Notices.issues(in: example.request).map(\.field) == example.fields)
        #expect(throws: ValidationFailure.self) { try Notices.validate(example.request) }
    }

    @Test func validationFailureCarriesAllIssues() {
        var request = F.red()
        request.subjects = [NoticeSubject()]
        request.judicial?.warrant = nil
        #expect(throws: ValidationFailure(Notices.issues(in: request))) { try Notices.validate(request) }
        #expect(Notices.issues(in: request).count == 6)
    }

    @Test func fieldPathsBecomeJSONPointers() {
        #expect(FieldIssue("subjects[0].dateOfBirth", "").pointer == "/subjects/0/dateOfBirth")
        #expect(FieldIssue("judicial.charges[1].penalty", "").pointer == "/judicial/charges/1/penalty")
        #expect(FieldIssue("reasons", "").pointer == "/reasons")
    }

    // MARK: - Penalty threshold

    @Test(arguments: [
        (Penalty.Basis.prosecution, 23, false), (.prosecution, 24, true), (.prosecution, 240, true),
        (.sentence, 5, false), (.sentence, 6, true), (.sentence, 1, false),
    ])
    func penaltyThresholdBoundaries(basis: Penalty.Basis, months: Int, accepted: Bool) {
        let request = F.red(charges: [F.charge(months: months, basis: basis)])
        let fields = Notices.issues(in: request).map(\.field)
        #expect(fields == (accepted ? [] : ["judicial.charges[0].penalty"]))
    }

    @Test func oneChargeAboveTheThresholdCarriesTheOthers() {
        let request = F.red(charges: [
            F.charge(months: 12), F.charge(months: 36), F.charge(months: 2, basis: .sentence),
        ])
        #expect(Notices.issues(in: request) == [])
        let below = F.red(charges: [F.charge(months: 12), F.charge(months: 2, basis: .sentence)])
        #expect(
            Notices.issues(in: below).map(\.field) == ["judicial.charges[0].penalty", "judicial.charges[1].penalty"])
    }

    @Test func anExceptionWithAReasonWaivesTheThreshold() throws {
        let request = F.red(charges: [F.charge(months: 23)])
        let exception = PenaltyException(reason: "Serial offender; cumulative harm", actor: "gs", at: F.now)
        #expect(Notices.issues(in: request, penaltyException: exception) == [])

        // The request may be submitted; the General Secretariat decides on the exception.
        let submitted = try F.notice(request, in: .submitted)
        #expect(throws: ValidationFailure(Notices.penaltyThresholdIssues(in: request))) {
            try Notices.transition(submitted, to: .published, by: F.reviewer, reference: F.reference, at: F.now)
        }
        #expect(throws: DomainError.self) {
            try Notices.recordPenaltyException(submitted, reason: " ", by: F.reviewer, at: F.now)
        }
        #expect(throws: DomainError.self) {
            try Notices.recordPenaltyException(submitted, reason: "mine", by: F.ownerOfficer, at: F.now)
        }
        let excepted = try Notices.recordPenaltyException(
            submitted, reason: exception.reason, by: F.reviewer, at: F.now)
        let (published, _) = try Notices.transition(
            excepted, to: .published, by: F.reviewer, reference: F.reference, at: F.now)
        #expect(published.state == .published)
        #expect(published.penaltyException?.reason == exception.reason)
    }

    @Test func decodingRejectsUnknownFieldsAndDefaultsLists() throws {
        #expect(throws: DecodingError.self) {
            try decode(NoticeRequest.self, #"{"type": "red", "restriction": {"visibility": "only"}}"#)
        }
        let request = try decode(
            NoticeRequest.self,
            #"{"type": "un-special", "subjects": [{"familyName": "Doe", "dateOfBirth": "1970-03"}]}"#)
        #expect(request.subjects[0].dateOfBirth == PartialDate(year: 1970, month: 3))
        #expect(request.subjects[0].nationalities == [])
        #expect(request.publicExtractConsent == false)
        #expect(throws: DecodingError.self) {
            try decode(NoticeSubject.self, #"{"dateOfBirth": "1970-13"}"#)
        }
    }

    @Test func requestsSurviveAnEncodingRoundTrip() throws {
        for type in NoticeType.allCases {
            let request = F.complete(type)
            let data = try ConcordJSON.encoder().encode(request)
            #expect(try ConcordJSON.decoder().decode(NoticeRequest.self, from: data) == request)
        }
    }

    @Test func partialDatesParseAndPrint() {
        #expect(PartialDate("1980")?.formatted(separator: "/") == "1980")
        #expect(PartialDate("1980-05")?.formatted(separator: "/") == "1980/05")
        #expect(PartialDate("1980-05-12")?.formatted(separator: "/") == "1980/05/12")
        for bad in ["80", "1980-5", "1980-02-30", "1980-00", "", "1980-05-12-1", "abcd"] {
            #expect(PartialDate(bad) == nil, "\(bad)")
        }
        #expect(PartialDate("1980")!.isCompatible(with: PartialDate("1980-05-12")!))
        #expect(!PartialDate("1980-04")!.isCompatible(with: PartialDate("1980-05-12")!))
    }
}
