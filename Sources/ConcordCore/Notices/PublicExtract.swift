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
            arrestWarrants: notice.type == .red ? warrants : [])
    }
}
