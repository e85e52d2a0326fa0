import ConcordCore
import Foundation
import Testing

@testable import ConcordMatching

/// Scoring of pairs: names across scripts and spellings, qualifiers, and the explanation.
@Suite struct PersonMatcherTests {
    static let matcher = PersonMatcher()!

    static func person(
        _ names: [String], born: String? = nil, nationalities: [String] = [], sex: Sex? = nil,
        documents: [PersonIdentifier] = []
    ) -> PreparedPerson {
        PreparedPerson(
            PersonDescription(
                names: names, dateOfBirth: born.flatMap(PartialDate.init),
                nationalities: nationalities.compactMap(MemberCode.init),
                sex: sex, identifiers: documents))
    }

    static func match(_ query: String, _ candidate: String, born: (String, String)? = nil) -> PersonMatch {
        matcher.compare(person([query], born: born?.0), person([candidate], born: born?.1))
    }

    static func nameScore(_ query: String, _ candidate: String) -> Double {
        NameAlignment.compare(NameNormalizer.normalize(query), NameNormalizer.normalize(candidate)).score
    }

    @Test(arguments: [
        ("Mohammed", "Muhammad"), ("Mohammed", "Mohamad"), ("Muhammad", "محمد"), ("Mohamad", "محمد"),
        ("Mohammed", "مُحَمَّد"),
    ])
    func mohammedSpellingsMatch(_ pair: (String, String)) {
        let score = Self.nameScore(pair.0, pair.1)
        #expect(score >= 0.88, "\(pair): \(score)")
    }

    @Test(arguments: [("Aleksandr", "Alexander"), ("Alexander", "Александр"), ("Aleksandr", "Александр")])
    func alexanderSpellingsMatch(_ pair: (String, String)) {
        #expect(Self.nameScore(pair.0, pair.1) >= 0.9)
    }

    @Test func fullNamesAcrossScriptsMatch() {
        for (query, candidate) in [
            ("Zhang Wei", "张伟"), ("Zhang Wei", "張偉"), ("张伟", "張偉"), ("Wei Zhang", "张伟"),
            ("Papadopoulos Georgios", "Γεώργιος Παπαδόπουλος"), ("Aleksandr Pushkin", "Александр Пушкин"),
            ("Alexander Puschkin", "Александр Пушкин"), ("Yevgeny Khrushchev", "Евгений Хрущёв"),
            ("Moshe Cohen", "משה כהן"), ("Yitzhak Rabin", "יצחק רבין"), ("Yusuf Hassan", "يوسف حسن"),
            ("Chan Yixun", "陈奕迅"), ("Kim Min-jun", "김민준"), ("Park Ji-sung", "박지성"),
        ] {
            let result = Self.match(query, candidate)
            #expect(result.match, "\(query) / \(candidate): \(result.summary)")
        }
    }

    @Test func familyNameFirstOrderMatchesExactly() {
        let result = Self.match("SMITH John", "John Smith")
        #expect(result.explanation.names.score == 1)
        #expect(result.explanation.names.alignments.allSatisfy { $0.kind == .exact })
    }

    @Test func missingMiddleNameCostsLittle() {
        let score = Self.nameScore("John Smith", "John Michael Smith")
        #expect(score > 0.9 && score < 1)
        #expect(Self.match("John Smith", "John Michael Smith").match)
    }

    @Test func particlesMayBeMissingJoinedOrAttached() {
        #expect(Self.nameScore("Ahmed Al-Hassan", "Ahmed Alhassan") >= 0.95)
        #expect(Self.nameScore("Ahmed Alhassan", "Ahmed Hassan") >= 0.9)
        #expect(Self.nameScore("Ahmed al Hassan", "Ahmed Hassan") >= 0.95)
        #expect(Self.nameScore("Ludwig van Beethoven", "Ludwig Beethoven") >= 0.95)
        #expect(Self.nameScore("Abdulrahman Saleh", "Abdul Rahman Saleh") == 1)
        #expect(Self.nameScore("Abdel Rahman Saleh", "عبد الرحمن صالح") >= 0.85)
    }

    @Test func compoundNamesSplitOrJoined() {
        let result = Self.match("Jeanpierre Dupont", "Jean-Pierre Dupont")
        #expect(result.explanation.names.alignments.contains { $0.kind == .joined })
        #expect(result.match)
        #expect(Self.match("Huang Xiao Ming", "黄晓明").match)
    }

    @Test func initialsAlignWithNames() {
        let result = Self.match("J. Smith", "John Smith")
        #expect(result.explanation.names.alignments.contains { $0.kind == .initial && $0.query == ["j"] })
        #expect(result.match)
        #expect(Self.nameScore("K. Smith", "John Smith") < Self.nameScore("J. Smith", "John Smith"))
    }

    @Test func typingErrorsAreFuzzy() {
        let result = Self.match("Jonathan Smithers", "Johnathan Smitehrs")
        #expect(result.explanation.names.alignments.contains { $0.kind == .fuzzy })
        #expect(result.match)
    }

    @Test func commonFirstNameAloneIsNotAMatch() {
        #expect(!Self.match("Mohammed Ali", "Mohammed Hassan").match)
        #expect(!Self.match("Zhang Wei", "Zhang Li").match)
        #expect(!Self.match("John Smith", "John Brown").match)
        #expect(!Self.match("Smith", "John Smith").match)
        #expect(!Self.match("Ali Hassan", "Ola Hassan").match)
        #expect(!Self.match("Hussein Ahmed", "Hassan Ahmed").match)
        // Mahmoud shares Mohammed's consonants, but not its sound.
        #expect(Self.nameScore("Mohammed Ali", "Mahmoud Ali") < Self.nameScore("Mohammed Ali", "Muhammad Ali"))
    }

    // MARK: Dates of birth

    @Test func dateOfBirthFindings() {
        func finding(_ a: String, _ b: String) -> (String, Double) {
            DateOfBirthComparison.compare(PartialDate(a)!, PartialDate(b)!)
        }
        #expect(finding("1980-05-17", "1980-05-17") == ("exact", 0.10))
        #expect(finding("1980", "1980-05-17") == ("agrees on the year", 0.04))
        #expect(finding("1980-05", "1980-05-17") == ("agrees to the month", 0.06))
        #expect(finding("1980-05-07", "1980-07-05") == ("day and month swapped", 0.05))
        #expect(finding("1980-05-17", "1980-05-18") == ("one digit off", 0.02))
        #expect(finding("1980-05-17", "1908-05-17") == ("one digit off", 0.02))
        #expect(finding("1980-05-12", "1980-05-21") == ("one digit off", 0.02))
        // Two digits apart, or three, are no typing error.
        #expect(finding("1980-05-17", "1970-05-18") == ("different", -0.35))
        #expect(finding("1980-05-17", "1980-06-28") == ("same year, different date", -0.20))
        // Year and month alone: a digit off is mostly the next month, as likely another person.
        #expect(finding("1980-05", "1980-06-17") == ("same year, different date", -0.20))
        // Years alone: a digit off is decades apart.
        #expect(finding("1985", "1958") == ("different", -0.35))
        #expect(finding("1980", "1940-05-17") == ("different", -0.35))
        #expect(finding("1980", "1981-05-17") == ("a year apart", -0.10))
        #expect(finding("1980-05-17", "1980-11-30") == ("same year, different date", -0.20))
        #expect(finding("1980-05-17", "1975-02-03") == ("different", -0.35))
        #expect(finding("1980", "1975-02-03") == ("different", -0.35))
    }

    @Test func sameNameWithDifferentDateOfBirthIsBelowThreshold() {
        let same = Self.match("Ivan Petrov", "Иван Петров", born: ("1975-03-14", "1975-03-14"))
        let partial = Self.match("Ivan Petrov", "Иван Петров", born: ("1975", "1975-03-14"))
        let swapped = Self.match("Ivan Petrov", "Иван Петров", born: ("1975-03-04", "1975-04-03"))
        let unknown = Self.match("Ivan Petrov", "Иван Петров")
        let sameYear = Self.match("Ivan Petrov", "Иван Петров", born: ("1975-03-14", "1975-09-21"))
        let different = Self.match("Ivan Petrov", "Иван Петров", born: ("1975-03-14", "1990-11-02"))
        #expect(same.score > partial.score && partial.score > unknown.score)
        #expect(swapped.score > unknown.score && swapped.score < same.score)
        #expect(same.match && partial.match && swapped.match && unknown.match)
        #expect(sameYear.score < unknown.score && !sameYear.match)
        #expect(different.score < sameYear.score && !different.match)
    }

    // MARK: Other qualifiers

    @Test func nationalitySexAndDocumentsAdjust() {
        let plain = Self.matcher.compare(Self.person(["Omar Farouk"]), Self.person(["Omar Faruq"]))
        let sameNationality = Self.matcher.compare(
            Self.person(["Omar Farouk"], nationalities: ["EGY"]),
            Self.person(["Omar Faruq"], nationalities: ["EGY", "SDN"]))
        let otherNationality = Self.matcher.compare(
            Self.person(["Omar Farouk"], nationalities: ["EGY"]), Self.person(["Omar Faruq"], nationalities: ["FRA"]))
        let otherSex = Self.matcher.compare(
            Self.person(["Omar Farouk"], sex: .male), Self.person(["Omar Faruq"], sex: .female))
        let unknownSex = Self.matcher.compare(
            Self.person(["Omar Farouk"], sex: .male), Self.person(["Omar Faruq"], sex: .unknown))
        #expect(sameNationality.score > plain.score)
        #expect(otherNationality.score < plain.score)
        #expect(otherSex.score < plain.score - 0.1)
        #expect(unknownSex.score == plain.score)
        let document = Self.matcher.compare(
            Self.person(["O. Farouk"], documents: [PersonIdentifier(issuer: IssuerCode("EGY"), number: "A 1234-567")]),
            Self.person(["Omar Faruq"], documents: [PersonIdentifier(issuer: IssuerCode("EGY"), number: "a1234567")]))
        let otherIssuer = Self.matcher.compare(
            Self.person(["O. Farouk"], documents: [PersonIdentifier(issuer: IssuerCode("EGY"), number: "A1234567")]),
            Self.person(["Omar Faruq"], documents: [PersonIdentifier(issuer: IssuerCode("FRA"), number: "A1234567")]))
        #expect(document.match)
        #expect(document.explanation.qualifiers.contains { $0.qualifier == .identifier && $0.adjustment == 0.25 })
        #expect(!otherIssuer.explanation.qualifiers.contains { $0.qualifier == .identifier })
    }

    @Test func thresholdHasLimits() {
        #expect(PersonMatcher(threshold: 0.4) == nil)
        #expect(PersonMatcher(threshold: 1.0) == nil)
        #expect(PersonMatcher(threshold: 0.5)?.threshold == 0.5)
        let strict = PersonMatcher(threshold: 0.95)!
        let query = Self.person(["Mohammed Ali"])
        let candidate = Self.person(["Muhammad Ali"])
        #expect(Self.matcher.compare(query, candidate).match)
        #expect(!strict.compare(query, candidate).match)
    }

    @Test func aliasesAndOriginalScriptNamesAreAllTried() {
        let subject = NoticeSubject(
            familyName: "PETROV", forenames: "Ivan", namesInOriginalScript: ["Иван Петров"],
            dateOfBirth: PartialDate("1975-03-14"))
        let candidate = PreparedPerson(PersonDescription(subject: subject))
        let result = Self.matcher.compare(Self.person(["Iwan Petrow"], born: "1975-03-14"), candidate)
        #expect(result.match)
        // The Cyrillic name, whose German spellings are Iwan Petrow, aligns better than the Latin one.
        #expect(result.explanation.names.alignments.allSatisfy { $0.kind == .transliteration })
    }

    // MARK: Explanations

    @Test func explanationEncodesToReadableJSON() throws {
        let result = Self.matcher.compare(
            Self.person(["Mohammed Ali Hassan"], born: "1980-05-17", sex: .male),
            Self.person(["محمد علي"], born: "1980-05-17", sex: .male))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(json.contains("\"kind\":\"consonants\""))
        #expect(json.contains("\"qualifier\":\"dateOfBirth\""))
        #expect(json.contains("\"unmatchedQuery\":[\"hassan\"]"))
        #expect(json.contains("\"summary\":\"MATCH"))
        let decoded = try JSONDecoder().decode(PersonMatch.self, from: Data(json.utf8))
        #expect(decoded == result)
        let summary = result.summary
        #expect(summary.hasPrefix("MATCH"))
        #expect(summary.contains("mohammed ~ محمد (mhmd) consonants 0.92"))
        #expect(summary.contains("unmatched in query: hassan"))
        #expect(summary.contains("date of birth 1980-05-17 vs 1980-05-17 exact +0.10"))
        #expect(summary.contains("sex M vs M same +0.02"))
        #expect(!summary.contains("\n"))
    }

    @Test func alignedWordsAreOneOrTwoStringsInJSON() throws {
        let joined = Self.match("Jean-Pierre Dupont", "Jeanpierre Dupont")
        let words = try #require(joined.explanation.names.alignments.first { $0.kind == .joined })
        #expect(Array(words.query) == ["jean", "pierre"])
        #expect(Array(words.candidate) == ["jeanpierre"])
        let encoded = String(decoding: try JSONEncoder().encode(words.query), as: UTF8.self)
        #expect(encoded == #"["jean","pierre"]"#)
        #expect(try JSONDecoder().decode(AlignedWords.self, from: Data(encoded.utf8)) == words.query)
        #expect(try JSONDecoder().decode(AlignedWords.self, from: Data("[\"li\"]".utf8)) == ["li"])
        for invalid in ["[]", "[\"a\",\"b\",\"c\"]", "\"li\""] {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(AlignedWords.self, from: Data(invalid.utf8))
            }
        }
    }

    @Test func explanationShowsWhatQualifiersRemoved() {
        let result = Self.match("John Smith", "John Smith", born: ("1970-01-01", "1990-06-15"))
        #expect(!result.match)
        #expect(result.summary.hasPrefix("no match 0.50"))
        #expect(result.explanation.qualifiers.map(\.adjustment) == [-0.35])
    }
}

/// East Asian family names romanised by different schemes meet even when both sides are Latin.
@Suite struct SurnameRomanisationTests {
    @Test(arguments: [
        ("Lee", "Yi"), ("Lee", "Rhee"), ("Park", "Bak"), ("Pak", "Park"), ("Kang", "Gang"), ("Choi", "Choe"),
        ("Kuo", "Guo"), ("Hsu", "Xu"), ("Chou", "Zhou"), ("Teng", "Deng"), ("Chang", "Zhang"), ("Wong", "Wang"),
    ])
    func spellingsOfOneSurnameAlign(_ pair: (String, String)) {
        let score = PersonMatcherTests.nameScore(pair.0, pair.1)
        #expect(score >= 0.9, "\(pair): \(score)")
    }

    @Test func fullNamesInTwoSchemesMatch() {
        #expect(PersonMatcherTests.match("Rhee Seo-yeon", "Lee Seo-yeon").match)
        #expect(PersonMatcherTests.match("Lee Seo-yeon", "Yi Seoyeon").match)
        #expect(PersonMatcherTests.match("Pak Ji-hoon", "Park Ji-hoon").match)
    }

    @Test(arguments: [
        ("Hsiao-ping Kuo", "Xiaoping Guo"), ("Hsiao-ping Kuo", "郭小平"), ("Chih-wei Lin", "Zhi Wei Lin"),
        ("Chieh Chou", "周杰"), ("Ching Chen", "Jìng Chén"), ("Zhiqiang Xu", "Chih-chiang Hsu"),
    ])
    func wadeGilesGivenNamesMeetPinyin(_ pair: (String, String)) {
        #expect(PersonMatcherTests.match(pair.0, pair.1).match, "\(pair)")
    }

    @Test func aValidPinyinSyllableIsNotReadAsWadeGiles() {
        // Ping could be Wade-Giles for Bing, but it is pinyin too, and Ping and Bing are two names.
        #expect(!PersonMatcherTests.match("Ping Zhou", "Bing Zhou").match)
    }

    @Test func aRespellingDoesNotTakeAFamilyNamesPlace() {
        // Jun respelled is yun, which is also how 윤 (Yoon) is written: the given name must still
        // align with the given name.
        #expect(PersonMatcherTests.match("Seo-jun Yoon", "윤서준").match)
        #expect(PersonMatcherTests.match("Seojun Yun", "Seo Joon Yoon").match)
    }

    @Test(arguments: [("Chen", "Cheng"), ("Wang", "Wan"), ("Kim", "Lee"), ("Park", "Pang")])
    func differentSurnamesStayApart(_ pair: (String, String)) {
        let score = PersonMatcherTests.nameScore(pair.0, pair.1)
        #expect(score < 0.9, "\(pair): \(score)")
    }
}

/// Romanisations of Slavic and Arabic names that reach Concord already in Latin letters.
@Suite struct LatinRespellingTests {
    @Test(arguments: [
        ("Wjatscheslaw Igorewitsch Schukow", "Vyacheslav Igorevich Zhukov"),
        ("Wjatscheslaw Igorewitsch Schukow", "Вячеслав Игоревич Жуков"),
        ("Natalja Wladimirowna Kusnezowa", "Natalya Vladimirovna Kuznetsova"),
        ("Andrej Wassiljewitsch Wolkow", "Andrei Vasilievich Volkov"),
        ("Jewgeni Jurjewitsch Koslow", "Yevgeny Yuryevich Kozlov"),
        ("Iurii Petrovych Bondarenko", "Yuriy Petrovych Bondarenko"),
    ])
    func germanAndICAOSpellingsOfSlavicNamesMatch(_ pair: (String, String)) {
        #expect(PersonMatcherTests.match(pair.0, pair.1).match, "\(pair)")
    }

    @Test(arguments: [
        ("Abd al-Rahman Salih", "Abdurrahman Saleh"), ("Abdul Rahman Hassan", "Abdurrahman Hasan"),
        ("Abdallah bin Said Al Qahtani", "Abdulla bin Said Al Qahtani"),
    ])
    func abdNamesMatchHoweverTheArticleIsWritten(_ pair: (String, String)) {
        #expect(PersonMatcherTests.match(pair.0, pair.1).match, "\(pair)")
    }
}

/// Names one letter or a suffix apart that belong to different people.
@Suite struct DistinctNameTests {
    @Test(arguments: [
        ("Martin", "Martinez"), ("Petr", "Petrov"), ("Lin", "Ling"), ("Zhang", "Zhan"), ("Chen", "Cheng"),
        ("Jin", "Jing"),
    ])
    func areNotAligned(_ pair: (String, String)) {
        let left = PersonNameTests.token(pair.0)
        let right = PersonNameTests.token(pair.1)
        #expect(TokenComparison.compare(left, right).similarity == 0, "\(pair)")
        #expect(!PersonMatcherTests.match("Jean \(pair.0)", "Jean \(pair.1)").match, "\(pair)")
    }

    @Test(arguments: [("Martin", "Martni"), ("Martinez", "Martines"), ("Hussein", "Husein"), ("Hassan", "Hasan")])
    func typingErrorsStillAlign(_ pair: (String, String)) {
        let similarity = TokenComparison.compare(PersonNameTests.token(pair.0), PersonNameTests.token(pair.1))
            .similarity
        #expect(similarity >= NameAlignment.minimumSimilarity, "\(pair): \(similarity)")
    }
}
