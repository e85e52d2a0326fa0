import Foundation

@testable import ConcordCore

/// Complete requests of every type, which tests then break one field at a time.
enum NoticeFixtures {
    static let owner = member("FRA")
    static let now = instant("2025-03-01T09:00:00Z")

    static func text(
        _ text: String, _ language: String = "en", translations: [String: String] = [:]
    ) -> MultilingualText {
        MultilingualText(
            text, language: LanguageCode(rawValue: language)!,
            translations: Dictionary(
                uniqueKeysWithValues: translations.map { (LanguageCode(rawValue: $0.key)!, $0.value) }))
    }

    static let person = NoticeSubject(
        familyName: "Dupont", forenames: "Jean Marc", namesInOriginalScript: [], dateOfBirth: PartialDate("1980-05-12"),
        placeOfBirth: "Lyon", sex: .male, nationalities: [member("FRA")],
        identityDocuments: [IdentityDocument(issuer: issuer("FRA"), type: .passport, number: "12AB34567")],
        distinguishingMarks: ["scar on the left hand"])

    static func charge(
        _ offence: MultilingualText = text("Armed robbery of a bank"), months: Int = 240,
        basis: Penalty.Basis = .prosecution
    ) -> Charge {
        Charge(
            offence: offence,
            facts: FactsSummary(
                summary: text("On 3 January 2024 the person robbed a bank in Lyon with a firearm."),
                date: PartialDate("2024-01-03"), place: "Lyon"),
            law: "Code pénal, art. 311-8", penalty: Penalty(basis: basis, months: months))
    }

    static func red(charges: [Charge] = [charge()]) -> NoticeRequest {
        NoticeRequest(
            type: .red, subjects: [person],
            judicial: JudicialData(
                warrant: JudicialDecision(
                    kind: .arrestWarrant, reference: "MA-2024-001", issuingAuthority: "Tribunal judiciaire de Lyon",
                    date: CalendarDate("2024-02-01")),
                charges: charges),
            publicExtractConsent: true)
    }

    static func complete(_ type: NoticeType) -> NoticeRequest {
        switch type {
        case .red:
            return red()
        case .yellow:
            return NoticeRequest(
                type: .yellow, subjects: [person],
                disappearance: Disappearance(
                    date: PartialDate("2025-01-10"), place: "Marseille",
                    circumstances: text("Left school and never came home.")),
                publicExtractConsent: true)
        case .blue:
            return NoticeRequest(
                type: .blue, subjects: [person], inquiry: Inquiry(aim: .locate, reason: text("Witness to a homicide.")))
        case .black:
            return NoticeRequest(
                type: .black,
                body: UnidentifiedBody(
                    foundOn: PartialDate("2025-02-02"), foundAt: "Port of Le Havre", sex: .female,
                    identifyingFeatures: ["tattoo of a rose on the right shoulder"],
                    circumstances: text("Found in a shipping container.")))
        case .green:
            return NoticeRequest(
                type: .green, subjects: [person],
                criminalActivities: CriminalActivities(description: text("Repeated sexual offences against children.")))
        case .orange:
            return NoticeRequest(
                type: .orange, threat: Threat(kind: .object, description: text("Parcel bombs disguised as books.")))
        case .purple:
            return NoticeRequest(
                type: .purple,
                modusOperandi: ModusOperandi(
                    method: text("Cocaine dissolved in the lining of suitcases."), objects: ["suitcases"],
                    concealment: "impregnated lining"))
        case .silver:
            return NoticeRequest(
                type: .silver,
                assets: AssetTrace(
                    assets: [
                        Asset(
                            kind: .bankAccount, description: "Current account",
                            identifier: "FR7630006000011234567890189",
                            holder: "Jean Marc Dupont")
                    ],
                    linkToCrime: text("Proceeds of the bank robbery were paid into the account."),
                    actionRequested: "Locate and report the balance"))
        case .unSpecial:
            return NoticeRequest(
                type: .unSpecial, subjects: [person],
                sanction: Sanction(committee: "1267/1989/2253 ISIL (Da'esh) and Al-Qaida", reference: "QDi.999"),
                publicExtractConsent: true)
        }
    }

    static func principal(_ role: Role, _ code: String? = nil) -> Principal {
        .key("key_\(role.rawValue)_\(code ?? "none")", role: role, member: code.map(member))
    }

    static let ownerOfficer = principal(.ncbOfficer, "FRA")
    static let reviewer = principal(.secretariatReviewer)
    static let reference = NoticeReference(year: 2025, sequence: 42)!

    /// A notice of the fixture's request brought to `state` by the right hands.
    static func notice(
        _ request: NoticeRequest = red(), in state: NoticeState, id: String = "notice-1"
    ) throws -> Notice {
        var notice = Notices.draft(request, owner: owner, id: RecordID(rawValue: id), now: now)
        let steps: [(NoticeState, Principal, [String])]
        switch state {
        case .draft: steps = []
        case .submitted: steps = [(.submitted, ownerOfficer, [])]
        case .published: steps = [(.submitted, ownerOfficer, []), (.published, reviewer, [])]
        case .refused: steps = [(.submitted, ownerOfficer, []), (.refused, reviewer, ["political"])]
        case .returned: steps = [(.submitted, ownerOfficer, []), (.returned, reviewer, ["which court?"])]
        case .cancelled: steps = [(.cancelled, ownerOfficer, [])]
        case .expired:
            steps = [(.submitted, ownerOfficer, []), (.published, reviewer, []), (.expired, .localOperator, [])]
        case .withdrawn:
            steps = [
                (.submitted, ownerOfficer, []), (.published, reviewer, []), (.withdrawn, reviewer, ["CCF decision"]),
            ]
        }
        for (next, principal, reasons) in steps {
            let at = next == .expired ? notice.envelope.reviewDate : now
            notice = try Notices.transition(
                notice, to: next, by: principal, reasons: reasons, reference: reference, at: at
            ).0
        }
        return notice
    }
}
