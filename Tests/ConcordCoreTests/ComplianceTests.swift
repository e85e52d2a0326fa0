import Foundation
import Testing

@testable import ConcordCore

@Suite struct ComplianceTests {
    typealias F = NoticeFixtures

    static func findings(_ request: NoticeRequest, terms: ComplianceTerms = .default) -> [ComplianceFinding] {
        Compliance.termFindings(request, terms: terms)
    }

    /// A red notice request charging only a political offence, worded in each language.
    static let politicalCharges: [(language: String, offence: String, facts: String)] = [
        ("en", "Insulting the head of state", "Took part in an opposition demonstration in the capital."),
        ("fr", "Espionnage politique", "A participé à une manifestation de l'opposition devant le Parlement."),
        ("es", "Injurias al Jefe de Estado", "Participó en una manifestación de la oposición en la capital."),
        ("ar", "إهانة رئيس الدولة", "المشاركة في مظاهرة للمعارضة في العاصمة"),
    ]

    @Test(arguments: politicalCharges.map(\.language))
    func aPoliticalRedNoticeGetsABlockingArticle3Finding(language: String) throws {
        let charge = try #require(Self.politicalCharges.first { $0.language == language })
        var onlyCharge = F.charge(F.text(charge.offence, language))
        onlyCharge.facts?.summary = F.text(charge.facts, language)
        let findings = Self.findings(F.red(charges: [onlyCharge])).filter { $0.kind == .article3 }
        #expect(findings.map(\.field) == ["judicial.charges[0].offence", "judicial.charges[0].facts.summary"])
        #expect(findings.allSatisfy { $0.severity == .blocking })
        #expect(findings.allSatisfy { $0.message.contains("(\(language))") }, "\(findings.map(\.message))")
    }

    @Test func eachPoliticalPhraseIsFoundOnItsOwn() {
        let phrases: [(String, String)] = [
            ("en", "participating in an opposition demonstration"), ("en", "insulting the head of state"),
            ("fr", "espionnage politique"), ("fr", "outrage au chef de l'État"),
            ("es", "participar en una manifestación de la oposición"), ("es", "espionaje político"),
            ("ar", "المشاركة في مظاهرة للمعارضة"), ("ar", "إهانة رئيس الدولة"), ("ar", "جريمة سياسية"),
        ]
        for (language, phrase) in phrases {
            let request = F.red(charges: [F.charge(F.text(phrase, language))])
            #expect(Self.findings(request).contains { $0.kind == .article3 }, "\(language): \(phrase)")
        }
    }

    @Test func anOrdinaryCrimeBesideAPoliticalOneOnlyWarns() {
        let request = F.red(charges: [F.charge(), F.charge(F.text("Sedition"))])
        let findings = Self.findings(request)
        #expect(findings.map(\.field) == ["judicial.charges[1].offence"])
        #expect(findings.map(\.severity) == [.warning])
    }

    @Test func matchingFoldsCaseAndDiacriticsAndRespectsWordBoundaries() {
        #expect(TermList([.english: ["political"]]).matches(in: "POLÍTICAL motives").count == 1)
        #expect(TermList([.english: ["political"]]).matches(in: "an apolitical club").isEmpty)
        #expect(TermList([.english: ["political"]]).matches(in: "politically").isEmpty)
        #expect(TermList([.english: ["politic*"]]).matches(in: "politically motivated").count == 1)
        #expect(TermList([.english: ["politic*"]]).matches(in: "geopolitical").isEmpty)
        #expect(TermList([.french: ["chef de l'état"]]).matches(in: "Outrage au CHEF DE L’ETAT").count == 1)
        #expect(TermList([.french: ["chef de l'état"]]).matches(in: "chef de la police").isEmpty)
        // Short vowels, tatweel, hamza forms and the article do not hide an Arabic term.
        #expect(TermList([.arabic: ["رئيس الدولة"]]).matches(in: "إهانةُ رَئِيسِ الـدولة").count == 1)
        #expect(TermList([.arabic: ["سياس*"]]).matches(in: "والسياسية").count == 1)
        #expect(TermList([.arabic: ["سياس*"]]).matches(in: "قياس").isEmpty)
    }

    @Test func translationsAreSearchedToo() {
        let offence = F.text("Atteinte à la sûreté", "fr", translations: ["en": "Political espionage"])
        #expect(Self.findings(F.red(charges: [F.charge(offence)])).map(\.kind) == [.article3])
    }

    @Test func ordinaryCrimesRaiseNoTermFindings() {
        for type in NoticeType.allCases {
            #expect(Self.findings(F.complete(type)) == [], "\(type)")
        }
    }

    @Test(arguments: [
        ("en", "Issuing a bounced cheque", ComplianceTerms.chequeAndDebt),
        ("fr", "Émission de chèques sans provision", ComplianceTerms.chequeAndDebt),
        ("es", "Cheque sin fondos", ComplianceTerms.chequeAndDebt),
        ("ar", "شيك بدون رصيد", ComplianceTerms.chequeAndDebt),
        ("en", "Breach of contract with a supplier", ComplianceTerms.privateDispute),
        ("fr", "Diffamation", ComplianceTerms.defamation),
        ("es", "Adulterio", ComplianceTerms.varyingCriminality),
        ("ar", "الزنا", ComplianceTerms.varyingCriminality),
        ("en", "Homosexual acts", ComplianceTerms.varyingCriminality),
    ])
    func excludedOffencesAreFlagged(language: String, offence: String, category: String) {
        let findings = Self.findings(F.red(charges: [F.charge(F.text(offence, language))]))
            .filter { $0.kind == .excludedOffence }
        #expect(findings.count == 1, "\(offence)")
        #expect(findings.first?.message.contains(category) == true)
        #expect(findings.first?.severity == .blocking)
    }

    @Test func termListsLoadFromJSONAndOverrideTheDefaults() throws {
        let overrides = try ComplianceTerms(
            json: Data(
                #"{"article3": {"en": ["monarch*"]}, "excludedOffences": {"gambling": {"en": ["illegal betting"]}}}"#
                    .utf8))
        let terms = ComplianceTerms.default.overridden(by: overrides)
        #expect(terms.article3[.english] == ["monarch*"])
        #expect(terms.article3[.french] == ComplianceTerms.default.article3[.french])
        #expect(terms.excludedOffences["gambling"]?[.english] == ["illegal betting"])
        #expect(
            terms.excludedOffences[ComplianceTerms.defamation]
                == ComplianceTerms.default.excludedOffences[ComplianceTerms.defamation])

        let request = F.red(charges: [
            F.charge(F.text("Insulting the monarchy")), F.charge(F.text("Illegal betting ring")),
        ])
        #expect(Self.findings(request, terms: terms).map(\.kind) == [.article3, .excludedOffence])
        #expect(Self.findings(request, terms: ComplianceTerms.default).isEmpty)
    }

    @Test func theDefaultTermsRoundTripAsJSON() throws {
        let data = try JSONEncoder().encode(ComplianceTerms.default)
        #expect(try ComplianceTerms(json: data) == ComplianceTerms.default)
    }

    // MARK: - Data findings

    @Test func missingDataAndThresholdsBecomeFindings() {
        var request = F.red(charges: [F.charge(months: 12)])
        request.subjects[0].sex = nil
        let findings = Compliance.dataFindings(request, penaltyException: nil)
        #expect(findings.map(\.kind) == [.missingData, .penaltyThreshold])
        #expect(findings.map(\.field) == ["subjects[0].sex", "judicial.charges[0].penalty"])
        #expect(findings.allSatisfy { $0.severity == .blocking })

        let waived = Compliance.dataFindings(
            request, penaltyException: PenaltyException(reason: "Organised crime leader", actor: "gs", at: F.now))
        #expect(waived.map(\.severity) == [.blocking, .info])
        #expect(waived[1].message.contains("Organised crime leader"))
    }

    // MARK: - Duplicates

    /// Another member's notice on `subject`, put straight into `state`: candidates need not be complete.
    static func existing(_ subject: NoticeSubject, state: NoticeState = .published, id: String = "existing") -> Notice {
        var request = F.red()
        request.subjects = [subject]
        var notice = Notices.draft(request, owner: member("ITA"), id: RecordID(rawValue: id), now: F.now)
        notice.state = state
        notice.reference = F.reference
        return notice
    }

    @Test func sameFoldedNameInAnyOrderAndSameBirthDateIsALikelyDuplicate() throws {
        var other = F.person
        other.familyName = "DUPONT"
        other.forenames = "Marc Jéan"
        other.identityDocuments = []
        let found = Compliance.duplicates(of: F.red(), id: RecordID(rawValue: "new"), among: [Self.existing(other)])
        #expect(found.map(\.kind) == [.likelyDuplicate])
        #expect(found.first?.field == "subjects[0]")
        #expect(found.first?.relatedNotice == RecordID(rawValue: "existing"))
        #expect(found.first?.message.contains("2025/00042") == true)
    }

    @Test func sameDocumentIsALikelyDuplicateWhateverTheName() throws {
        let other = NoticeSubject(
            familyName: "Martin",
            identityDocuments: [IdentityDocument(issuer: issuer("FRA"), type: .passport, number: "12 ab 34567")])
        #expect(Compliance.duplicates(of: F.red(), id: nil, among: [Self.existing(other)]).count == 1)
    }

    @Test func differentBirthDatesFinalNoticesAndTheNoticeItselfAreNotDuplicates() throws {
        var other = F.person
        other.identityDocuments = []
        other.dateOfBirth = PartialDate("1981-05-12")
        var sameYear = F.person
        sameYear.identityDocuments = []
        sameYear.dateOfBirth = PartialDate("1980")
        var namesake = F.person
        namesake.identityDocuments = []
        namesake.forenames = "Jean"
        let candidates = [
            Self.existing(other, id: "other-birth"), Self.existing(F.person, state: .cancelled, id: "cancelled"),
            Self.existing(F.person, id: "self"), Self.existing(namesake, id: "namesake"),
        ]
        #expect(Compliance.duplicates(of: F.red(), id: RecordID(rawValue: "self"), among: candidates) == [])
        let partial = Compliance.duplicates(of: F.red(), id: nil, among: [Self.existing(sameYear)])
        #expect(partial.count == 1)
    }

    @Test func reviewGathersEveryKindOfFinding() throws {
        var request = F.red(charges: [F.charge(F.text("Espionnage politique", "fr"), months: 12)])
        request.subjects[0].sex = nil
        let notice = try F.notice(request, in: .draft, id: "new")
        let existing = Self.existing(F.person)
        let findings = Compliance.review(notice, existing: [existing])
        #expect(
            findings.map(\.kind) == [.missingData, .penaltyThreshold, .article3, .likelyDuplicate])
        #expect(Compliance.riskScore(findings) == 20 + 20 + 20 + 5)
    }

    // MARK: - Queue

    @Test func theQueueWeighsRiskAgainstWaiting() {
        let now = instant("2025-03-31T12:00:00Z")
        func item(_ id: String, submitted: String, _ severities: [ComplianceFinding.Severity]) -> ReviewQueueItem {
            ReviewQueueItem(
                notice: RecordID(rawValue: id), submittedAt: instant(submitted),
                findings: severities.map { ComplianceFinding(kind: .article3, severity: $0, field: nil, message: "") })
        }
        let items = [
            item("clean-recent", submitted: "2025-03-30T12:00:00Z", []),  // 1
            item("blocking-recent", submitted: "2025-03-30T12:00:00Z", [.blocking]),  // 21
            item("clean-old", submitted: "2025-02-27T12:00:00Z", []),  // 32
            item("warning-7-days", submitted: "2025-03-24T12:00:00Z", [.warning, .info]),  // 12
            item("warning-12-days", submitted: "2025-03-19T12:00:00Z", [.warning]),  // 17
            item("clean-17-days", submitted: "2025-03-14T12:00:00Z", []),  // 17, waited longer
        ]
        #expect(
            ReviewQueue.ordered(items, at: now).map(\.notice.rawValue) == [
                "clean-old", "blocking-recent", "clean-17-days", "warning-12-days", "warning-7-days", "clean-recent",
            ])
    }
}
