import Foundation
import Testing

@testable import ConcordCore

@Suite struct MembersTests {
    @Test func membershipHasExactly196Countries() {
        #expect(Members.all.count == 196)
    }

    @Test func codesAreUniqueUppercaseAlpha3AndSorted() {
        let codes = Members.all.map(\.code.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes == codes.sorted())
        for code in codes {
            #expect(code.count == 3 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }, "\(code)")
        }
    }

    @Test func issuerCodesAreUniqueAndNeverCollideWithNonStateCodes() {
        let issuers = Members.all.map(\.issuer)
        #expect(Set(issuers).count == issuers.count)
        let nonState = Members.nonStateIssuers.map(\.code)
        #expect(Set(nonState).count == nonState.count)
        #expect(Set(issuers).isDisjoint(with: nonState))
        #expect(Set(Members.all.map(\.code.rawValue)).isDisjoint(with: nonState.map(\.rawValue)))
    }

    @Test func germanyIsTheOnlyMemberWithADifferentIcaoCode() throws {
        let differing = Members.all.filter { $0.issuer.rawValue != $0.code.rawValue }.map(\.code.rawValue)
        #expect(differing == ["DEU"])
        let germany = Members.member(try #require(MemberCode("DEU")))
        #expect(germany.issuer.rawValue == "D")
    }

    @Test func isoSpellingOfGermanyMapsToIcaoSpelling() throws {
        let typed = try #require(IssuerCode("DEU"))
        #expect(typed == IssuerCode("D"))
        #expect(typed.rawValue == "D")
        #expect(IssuerCode("D")?.member == MemberCode("DEU"))
        #expect(IssuerCode(" d<< ") == IssuerCode("D"))
        #expect(IssuerCode("FRA")?.member == MemberCode("FRA"))
    }

    @Test func memberCodeNormalisesCaseAndWhitespace() throws {
        let code = try #require(MemberCode("fra"))
        #expect(code.rawValue == "FRA")
        #expect(code.description == "FRA")
        #expect(MemberCode("  Fra\n") == code)
    }

    @Test(arguments: ["PRK", "TWN", "TUV", "RKS", "XKX", "ESH", "D", "XYZ", "", "FR", "FRAN", "UNO"])
    func nonMembersAreRejected(code: String) {
        #expect(MemberCode(code) == nil)
    }

    @Test(arguments: ["PLW", "FSM", "KIR", "VUT", "SLB", "PSE", "VAT", "SOM", "ABW", "CUW", "SXM", "NRU"])
    func recentAndUnusualMembersArePresent(code: String) {
        #expect(MemberCode(code) != nil)
    }

    @Test func decodingAnUnknownMemberCodeThrows() {
        let json = Data(#"["XYZ"]"#.utf8)
        do {
            _ = try JSONDecoder().decode([MemberCode].self, from: json)
            Issue.record("decoding XYZ should have failed")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == "unknown member country 'XYZ'")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func decodingAnUnknownIssuerCodeThrows() {
        let json = Data(#"["XYZ"]"#.utf8)
        do {
            _ = try JSONDecoder().decode([IssuerCode].self, from: json)
            Issue.record("decoding XYZ should have failed")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription == "unknown issuer code 'XYZ'")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func codesRoundTripAsPlainStrings() throws {
        let codes = [try #require(MemberCode("DEU")), try #require(MemberCode("PSE"))]
        let data = try JSONEncoder().encode(codes)
        #expect(String(decoding: data, as: UTF8.self) == #"["DEU","PSE"]"#)
        #expect(try JSONDecoder().decode([MemberCode].self, from: data) == codes)

        let issuers = try JSONDecoder().decode([IssuerCode].self, from: Data(#"["DEU","uno"]"#.utf8))
        #expect(issuers.map(\.rawValue) == ["D", "UNO"])
        let encoded = try JSONEncoder().encode(issuers)
        #expect(String(decoding: encoded, as: UTF8.self) == #"["D","UNO"]"#)
    }

    @Test func memberRoundTripsThroughJSON() throws {
        let germany = Members.member(try #require(MemberCode("DEU")))
        let data = try JSONEncoder().encode(germany)
        #expect(try JSONDecoder().decode(Member.self, from: data) == germany)
    }

    @Test(arguments: [
        ("FRA", Region.europe), ("USA", .americas), ("NGA", .africa), ("JPN", .asiaSouthPacific),
        ("EGY", .africa), ("MAR", .africa), ("ISR", .europe), ("TUR", .europe), ("CYP", .europe),
        ("GEO", .europe), ("RUS", .europe), ("SAU", .asiaSouthPacific), ("PSE", .asiaSouthPacific),
        ("KAZ", .asiaSouthPacific), ("AUS", .asiaSouthPacific), ("ABW", .americas), ("VAT", .europe),
    ])
    func regionSpotChecks(code: String, region: Region) throws {
        #expect(Members.member(try #require(MemberCode(code))).region == region)
    }

    @Test func everyRegionHasItsExpectedShare() {
        var counts: [Region: Int] = [:]
        for member in Members.all {
            counts[member.region, default: 0] += 1
        }
        #expect(counts == [.africa: 54, .americas: 38, .asiaSouthPacific: 54, .europe: 50])
        #expect(Region.allCases.allSatisfy { (counts[$0] ?? 0) > 0 })
        #expect(Region.asiaSouthPacific.rawValue == "Asia and South Pacific")
    }

    @Test func indexAndCodeRoundTripForEveryMember() {
        for (position, member) in Members.all.enumerated() {
            #expect(Members.index(of: member.code) == position)
            #expect(Members.code(atIndex: position) == member.code)
            #expect(Members.member(member.code) == member)
        }
    }

    @Test func nonStateIssuersAreKnownAndBelongToNoMember() {
        let codes = Set(Members.nonStateIssuers.map(\.code.rawValue))
        let required = [
            "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "XOM", "XPO", "XCC", "XES", "XIM", "XDC",
            "XBA", "EUE",
        ]
        #expect(codes.isSuperset(of: required))
        for entry in Members.nonStateIssuers {
            #expect(entry.code.member == nil, "\(entry.code)")
            #expect(!entry.description.isEmpty)
            #expect(IssuerCode(entry.code.rawValue.lowercased()) == entry.code)
        }
    }

    @Test func issuerCodeRejectsUnknownText() {
        #expect(IssuerCode("XYZ") == nil)
        #expect(IssuerCode("PRK") == nil)
        #expect(IssuerCode("<<<") == nil)
        #expect(IssuerCode("") == nil)
    }

    @Test func codesOrderAlphabetically() throws {
        let fra = try #require(MemberCode("FRA"))
        let deu = try #require(MemberCode("DEU"))
        #expect(deu < fra)
        let germany = try #require(IssuerCode("D"))
        let france = try #require(IssuerCode("FRA"))
        #expect(germany < france)
    }
}

@Suite struct MemberAlpha2Tests {
    @Test func everyMemberHasAUniqueTwoLetterCode() {
        let codes = Members.all.map(\.alpha2)
        #expect(Set(codes).count == Members.all.count)
        #expect(codes.allSatisfy { $0.count == 2 && $0.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) } })
    }

    @Test(arguments: [
        ("DEU", "DE"), ("GBR", "GB"), ("FRA", "FR"), ("PSE", "PS"), ("VAT", "VA"), ("SXM", "SX"), ("CUW", "CW"),
        ("ABW", "AW"), ("PLW", "PW"), ("SSD", "SS"), ("MKD", "MK"), ("SWZ", "SZ"), ("TLS", "TL"), ("COD", "CD"),
    ])
    func twoLetterCodesMatchISO(alpha3: String, alpha2: String) {
        #expect(Members.member(member(alpha3)).alpha2 == alpha2)
        #expect(Members.code(alpha2: alpha2.lowercased()) == member(alpha3))
    }

    @Test func nonMembersHaveNoTwoLetterCode() {
        for code in ["KP", "TW", "TV", "XK", "EH", "", "FRA"] {
            #expect(Members.code(alpha2: code) == nil, "\(code)")
        }
    }
}
