import Foundation
import Testing

@testable import ConcordCore

@Suite struct PublicExtractTests {
    typealias F = NoticeFixtures

    @Test func aConsentedPublishedRedNoticeShowsOnlyItsPublicFields() throws {
        var request = F.red(charges: [
            F.charge(F.text("Vol à main armée", "fr", translations: ["en": "Armed robbery"])), F.charge(),
        ])
        request.subjects[0].nationalities = [member("FRA"), member("DEU")]
        let extract = try #require(PublicExtracts.extract(of: try F.notice(request, in: .published), at: F.now))
        #expect(extract.entityID == "2025/00042")
        #expect(extract.forename == "Jean Marc" && extract.name == "Dupont")
        #expect(extract.dateOfBirth == "1980/05/12")
        #expect(extract.nationalities == ["FR", "DE"])
        #expect(extract.sexID == "M")
        #expect(
            extract.arrestWarrants == [
                PublicArrestWarrant(
                    issuingCountryID: "FR", charge: "Vol à main armée", chargeTranslation: "Armed robbery"),
                PublicArrestWarrant(issuingCountryID: "FR", charge: "Armed robbery of a bank", chargeTranslation: nil),
            ])
    }

    @Test(arguments: [NoticeType.yellow, .unSpecial])
    func yellowAndUNNoticesHaveExtractsWithoutWarrants(type: NoticeType) throws {
        let extract = try #require(
            PublicExtracts.extract(of: try F.notice(F.complete(type), in: .published), at: F.now))
        #expect(extract.type == type && extract.arrestWarrants.isEmpty)
    }

    @Test(arguments: NoticeType.allCases.filter { ![.red, .yellow, .unSpecial].contains($0) })
    func otherTypesAreNeverPublic(type: NoticeType) throws {
        var notice = try F.notice(F.complete(type), in: .published)
        // Even consent slipped past validation does not make them public.
        notice.content.publicExtractConsent = true
        #expect(PublicExtracts.extract(of: notice, at: F.now) == nil)
    }

    @Test func silverConsentIsRefusedAtValidation() {
        var request = F.complete(.silver)
        request.publicExtractConsent = true
        #expect(Notices.issues(in: request).map(\.field) == ["publicExtractConsent"])
    }

    @Test(arguments: NoticeState.allCases.filter { $0 != .published })
    func unpublishedNoticesAreNeverPublic(state: NoticeState) throws {
        #expect(PublicExtracts.extract(of: try F.notice(in: state), at: F.now) == nil)
    }

    @Test func nonConsentedRestrictedOrStaleNoticesAreNeverPublic() throws {
        var withoutConsent = F.red()
        withoutConsent.publicExtractConsent = false
        #expect(PublicExtracts.extract(of: try F.notice(withoutConsent, in: .published), at: F.now) == nil)

        for visibility in [Restrictions.Visibility.onlyListed([member("DEU")]), .allExcept([member("DEU")])] {
            var restricted = F.red()
            restricted.restrictions = Restrictions(visibility: visibility)
            #expect(PublicExtracts.extract(of: try F.notice(restricted, in: .published), at: F.now) == nil)
        }

        var confidential = try F.notice(in: .published)
        confidential.envelope.confidentiality = .confidential
        #expect(PublicExtracts.extract(of: confidential, at: F.now) == nil)

        let published = try F.notice(in: .published)
        #expect(PublicExtracts.extract(of: published, at: published.envelope.reviewDate) == nil)
    }

    @Test func partialBirthDatesAndUnknownSexAreShownAsKnown() throws {
        var request = F.complete(.yellow)
        request.subjects[0].dateOfBirth = PartialDate("2012-07")
        request.subjects[0].sex = .unknown
        let extract = try #require(PublicExtracts.extract(of: try F.notice(request, in: .published), at: F.now))
        #expect(extract.dateOfBirth == "2012/07" && extract.sexID == "U")
    }
}
