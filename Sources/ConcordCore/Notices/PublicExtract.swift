import Foundation

/// An arrest warrant as the public notices API shows it.
public struct PublicArrestWarrant: Sendable, Hashable {
    /// ISO 3166-1 alpha-2 code of the member whose authority issued the warrant.
    public var issuingCountryID: String
    /// The charge in its original language.
    public var charge: String
    /// The charge in English, when the original is in another language and the owner translated it.
    public var chargeTranslation: String?
}

/// The public fields of a published notice, as the public notices API serves them. The HTTP
/// layer owns the JSON shape (`entity_id`, `date_of_birth`, `_links`, ...); these are the values.
public struct PublicNoticeExtract: Sendable, Hashable {
    public var type: NoticeType
    /// `YYYY/NNNNN`.
    public var entityID: String
    public var forename: String?
    public var name: String?
    /// `YYYY/MM/DD`, or as much of it as is known.
    public var dateOfBirth: String?
    /// ISO 3166-1 alpha-2 codes.
    public var nationalities: [String]
    /// `M`, `F` or `U`.
    public var sexID: String?
    public var placeOfBirth: String?
    /// Red notices only.
    public var arrestWarrants: [PublicArrestWarrant]
}

public enum PublicExtracts {
    /// The public extract of a notice, or nil unless all of these hold: its type may be public
    /// (red, yellow, UN special; never silver), it is published and not past its review date,
    /// its owner consented to a public extract, and its owner restricted it neither to some
    /// members nor beyond official use.
    public static func extract(of notice: Notice, at now: Date) -> PublicNoticeExtract? {
        guard notice.type.mayBePublic, notice.state == .published, notice.content.publicExtractConsent,
            let reference = notice.reference, notice.envelope.facts(at: now).isServed,
            notice.envelope.restrictions.visibility == .allMembers, notice.envelope.confidentiality == .officialUse,
            let subject = notice.content.subjects.first
        else { return nil }
        let country = Members.member(notice.owner).alpha2
        let warrants = (notice.content.judicial?.charges ?? []).compactMap { charge -> PublicArrestWarrant? in
            guard let offence = charge.offence else { return nil }
            let translation = offence.language == .english ? nil : offence.translations[.english]
            return PublicArrestWarrant(issuingCountryID: country, charge: offence.text, chargeTranslation: translation)
        }
        return PublicNoticeExtract(
            type: notice.type, entityID: reference.description, forename: subject.forenames, name: subject.familyName,
            dateOfBirth: subject.dateOfBirth?.formatted(separator: "/"),
            nationalities: subject.nationalities.map { Members.member($0).alpha2 }, sexID: subject.sex?.publicID,
            placeOfBirth: subject.placeOfBirth, arrestWarrants: notice.type == .red ? warrants : [])
    }
}

/// The filters of the public notices API's searches. Every given filter must hold.
public struct PublicNoticeQuery: Sendable, Hashable {
    public var forename: String?
    public var name: String?
    /// ISO 3166-1 alpha-2, as the public API writes countries.
    public var nationality: String?
    public var ageMin: Int?
    public var ageMax: Int?
    public var sexID: String?
    public var arrestWarrantCountryID: String?
    /// Words looked for in the names and the charges.
    public var freeText: String?

    public init(
        forename: String? = nil, name: String? = nil, nationality: String? = nil, ageMin: Int? = nil,
        ageMax: Int? = nil, sexID: String? = nil, arrestWarrantCountryID: String? = nil, freeText: String? = nil
    ) {
        self.forename = forename
        self.name = name
        self.nationality = nationality
        self.ageMin = ageMin
        self.ageMax = ageMax
        self.sexID = sexID
        self.arrestWarrantCountryID = arrestWarrantCountryID
        self.freeText = freeText
    }

    /// Names and texts match on their words, in any case and without regard to accents; an
    /// age filter excludes extracts whose date of birth is unknown.
    public func matches(_ extract: PublicNoticeExtract, at now: Date) -> Bool {
        func contains(_ text: String?, _ wanted: String?) -> Bool {
            guard let wanted else { return true }
            guard let text else { return false }
            let words = FoldedText.words(wanted)
            return !words.isEmpty && Set(FoldedText.words(text)).isSuperset(of: words)
        }
        guard contains(extract.forename, forename), contains(extract.name, name) else { return false }
        if let nationality, !extract.nationalities.contains(nationality.uppercased()) { return false }
        if let sexID, extract.sexID != sexID.uppercased() { return false }
        if let country = arrestWarrantCountryID?.uppercased(),
            !extract.arrestWarrants.contains(where: { $0.issuingCountryID == country })
        {
            return false
        }
        if ageMin != nil || ageMax != nil {
            guard let age = extract.age(at: now) else { return false }
            if let ageMin, age.upperBound < ageMin { return false }
            if let ageMax, age.lowerBound > ageMax { return false }
        }
        if let freeText {
            let texts =
                [extract.forename, extract.name, extract.placeOfBirth]
                + extract.arrestWarrants.flatMap { [$0.charge, $0.chargeTranslation] }
            let found = Set(texts.compactMap { $0 }.flatMap(FoldedText.words))
            let words = FoldedText.words(freeText)
            if words.isEmpty || !found.isSuperset(of: words) { return false }
        }
        return true
    }
}

extension PublicNoticeExtract {
    /// The ages the person may be, given as much of the date of birth as is known.
    public func age(at now: Date) -> ClosedRange<Int>? {
        guard let text = dateOfBirth, let born = PartialDate(text.replacingOccurrences(of: "/", with: "-")) else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        guard let year = today.year, let month = today.month, let day = today.day else { return nil }
        let oldest = year - born.year
        guard let bornMonth = born.month else { return max(0, oldest - 1)...max(0, oldest) }
        let hadBirthday: Bool? =
            if month != bornMonth { month > bornMonth } else { born.day.map { day >= $0 } }
        switch hadBirthday {
        case true?: return max(0, oldest)...max(0, oldest)
        case false?: return max(0, oldest - 1)...max(0, oldest - 1)
        case nil: return max(0, oldest - 1)...max(0, oldest)
        }
    }
}
