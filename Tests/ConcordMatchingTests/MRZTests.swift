import ConcordMatching
import Foundation
import Testing

/// Builds MRZ lines from field values. Check digits come from the test's own 7-3-1 arithmetic rather than
/// `MRZ.checkDigit`, so the parser is held against an independent implementation.
enum MRZBuild {
    static let alphabet: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<")

    static func value(_ character: Character) -> Int {
        switch character {
        case "<": 0
        case "0"..."9": Int(character.asciiValue! - 48)
        default: Int(character.asciiValue! - 55)  // 'A' (65) counts 10
        }
    }

    static func check(_ text: String) -> String {
        let weights = [7, 3, 1]
        let sum = text.enumerated().reduce(0) { $0 + value($1.element) * weights[$1.offset % 3] }
        return String(sum % 10)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        precondition(text.count <= width, "'\(text)' does not fit in \(width) positions")
        return text + String(repeating: "<", count: width - text.count)
    }

    /// Columns `from...to` of a line, 1-based as in Doc 9303.
    static func columns(_ line: String, _ from: Int, _ to: Int) -> String { String(Array(line)[(from - 1)..<to]) }

    static func td3(
        code: String = "P", issuer: String, name: String, number: String, nationality: String, birth: String,
        sex: String, expiry: String, personal: String = "", emptyPersonalCheck: String = "<"
    ) -> [String] {
        let personalField = pad(personal, 14)
        var line2 =
            pad(number, 9) + check(pad(number, 9)) + pad(nationality, 3) + birth + check(birth) + sex
            + expiry + check(expiry) + personalField + (personal.isEmpty ? emptyPersonalCheck : check(personalField))
        line2 += check(columns(line2, 1, 10) + columns(line2, 14, 20) + columns(line2, 22, 43))
        return [pad(pad(code, 2) + pad(issuer, 3) + name, 44), line2]
    }

    static func td2(
        code: String = "I", issuer: String, name: String, number: String, nationality: String, birth: String,
        sex: String, expiry: String, optional: String = ""
    ) -> [String] {
        var line2 =
            pad(number, 9) + check(pad(number, 9)) + pad(nationality, 3) + birth + check(birth) + sex
            + expiry + check(expiry) + pad(optional, 7)
        line2 += check(columns(line2, 1, 10) + columns(line2, 14, 20) + columns(line2, 22, 35))
        return [pad(pad(code, 2) + pad(issuer, 3) + name, 36), line2]
    }

    /// MRV-A (width 44) or MRV-B (width 36): no composite check digit.
    static func visa(
        width: Int, code: String = "V", issuer: String, name: String, number: String, nationality: String,
        birth: String, sex: String, expiry: String, optional: String = ""
    ) -> [String] {
        let line2 =
            pad(number, 9) + check(pad(number, 9)) + pad(nationality, 3) + birth + check(birth) + sex
            + expiry + check(expiry) + pad(optional, width - 28)
        return [pad(pad(code, 2) + pad(issuer, 3) + name, width), line2]
    }

    static func td1(
        code: String = "I", issuer: String, number: String, optional1: String = "", birth: String, sex: String,
        expiry: String, nationality: String, optional2: String = "", name: String
    ) -> [String] {
        let numberAndOptional: String
        if number.count <= 9 {
            numberAndOptional = pad(number, 9) + check(pad(number, 9)) + pad(optional1, 15)
        } else {
            // Part 5: nine characters, a filler for the check digit, then the rest, the check digit over the
            // whole number and a filler, all at the start of the optional data.
            let rest = String(number.dropFirst(9))
            numberAndOptional = String(number.prefix(9)) + "<" + pad(rest + check(number) + "<" + optional1, 15)
        }
        let line1 = pad(code, 2) + pad(issuer, 3) + numberAndOptional
        var line2 = birth + check(birth) + sex + expiry + check(expiry) + pad(nationality, 3) + pad(optional2, 11)
        line2 += check(columns(line1, 6, 30) + columns(line2, 1, 7) + columns(line2, 9, 15) + columns(line2, 19, 29))
        return [line1, line2, pad(name, 30)]
    }

    /// The lines with one character replaced; line and column are 1-based.
    static func replacing(_ lines: [String], line: Int, column: Int, with character: Character) -> [String] {
        var result = lines
        var characters = Array(result[line - 1])
        characters[column - 1] = character
        result[line - 1] = String(characters)
        return result
    }
}

/// A valid MRZ and what it must read as.
struct MRZSpecimen: Sendable, CustomTestStringConvertible {
    let name: String
    let lines: [String]
    let expected: MRZDocument

    var testDescription: String { name }

    static func document(
        _ format: MRZFormat, _ code: String, _ issuer: String, _ number: String, _ nationality: String,
        _ birth: String, _ sex: String, _ expiry: String, _ primary: String, _ secondary: String,
        _ optional: String, _ optional2: String?
    ) -> MRZDocument {
        MRZDocument(
            format: format, documentCode: code, issuer: issuer, documentNumber: number, nationality: nationality,
            dateOfBirth: birth, sex: sex, dateOfExpiry: expiry, primaryIdentifier: primary,
            secondaryIdentifier: secondary, optionalData: optional, optionalData2: optional2)
    }

    // The ICAO specimens of Doc 9303 Parts 4–7 (all check digits verified by hand and by MRZBuild below).
    static let icaoTD3 = MRZSpecimen(
        name: "ICAO TD3 specimen",
        lines: ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
        expected: document(
            .td3, "P", "UTO", "L898902C3", "UTO", "740812", "F", "120415", "ERIKSSON", "ANNA MARIA", "ZE184226B",
            nil))
    static let icaoTD1 = MRZSpecimen(
        name: "ICAO TD1 specimen",
        lines: ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
        expected: document(
            .td1, "I", "UTO", "D23145890", "UTO", "740812", "F", "120415", "ERIKSSON", "ANNA MARIA", "", ""))
    static let icaoTD2 = MRZSpecimen(
        name: "ICAO TD2 specimen",
        lines: ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
        expected: document(
            .td2, "I", "UTO", "D23145890", "UTO", "740812", "F", "120415", "ERIKSSON", "ANNA MARIA", "", nil))
    static let icaoMRVA = MRZSpecimen(
        name: "ICAO MRV-A specimen",
        lines: ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
        expected: document(
            .mrvA, "V", "UTO", "L8988901C", "XXX", "400907", "F", "961210", "ERIKSSON", "ANNA MARIA",
            "6ZE184226B", nil))
    static let icaoMRVB = MRZSpecimen(
        name: "ICAO MRV-B specimen",
        lines: ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"],
        expected: document(
            .mrvB, "V", "UTO", "L8988901C", "XXX", "400907", "F", "961210", "ERIKSSON", "ANNA MARIA", "", nil))

    // Germany's published specimens: issuer "D<<", a filler as the empty personal number's check digit,
    // and (on the identity card) '<' for sex.
    static let germanPassport = MRZSpecimen(
        name: "German passport specimen",
        lines: ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"],
        expected: document(
            .td3, "P", "D", "C01X00T47", "D", "640812", "F", "270228", "MUSTERMANN", "ERIKA", "", nil))
    static let germanIdentityCard = MRZSpecimen(
        name: "German identity card specimen",
        lines: ["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"],
        expected: document(
            .td1, "ID", "D", "T22000129", "D", "640812", "<", "201031", "MUSTERMANN", "ERIKA", "", ""))

    // Built with MRZBuild.
    static let td1LongNumber = MRZSpecimen(
        name: "TD1 with a 12-character document number",
        lines: MRZBuild.td1(
            issuer: "UTO", number: "D23145890734", birth: "740812", sex: "F", expiry: "120415", nationality: "UTO",
            name: "ERIKSSON<<ANNA<MARIA"),
        expected: document(
            .td1, "I", "UTO", "D23145890734", "UTO", "740812", "F", "120415", "ERIKSSON", "ANNA MARIA", "", ""))
    static let td1LongNumberAndOptional = MRZSpecimen(
        name: "TD1 with a long document number followed by optional data",
        lines: MRZBuild.td1(
            issuer: "UTO", number: "D23145890734", optional1: "Q1", birth: "740812", sex: "F", expiry: "120415",
            nationality: "UTO", optional2: "77", name: "ERIKSSON<<ANNA<MARIA"),
        expected: document(
            .td1, "I", "UTO", "D23145890734", "UTO", "740812", "F", "120415", "ERIKSSON", "ANNA MARIA", "Q1", "77"))
    static let td1Busy = MRZSpecimen(
        name: "TD1 crew certificate with optional data on both lines, sex X, born 29 February 2000",
        lines: MRZBuild.td1(
            code: "AC", issuer: "UTO", number: "AB1234567", optional1: "ZE184226B", birth: "000229", sex: "X",
            expiry: "301231", nationality: "UTO", optional2: "K7<3", name: "VAN<DER<BERG<<JAN<PIETER"),
        expected: document(
            .td1, "AC", "UTO", "AB1234567", "UTO", "000229", "X", "301231", "VAN DER BERG", "JAN PIETER", "ZE184226B",
            "K7<3"))
    static let td3ZeroCheck = MRZSpecimen(
        name: "TD3 with an empty personal number checked by '0'",
        lines: MRZBuild.td3(
            issuer: "NLD", name: "DE<BRUIJN<<WILLEKE<LISELOTTE", number: "SPECI2014", nationality: "NLD",
            birth: "650310", sex: "F", expiry: "240309", emptyPersonalCheck: "0"),
        expected: document(
            .td3, "P", "NLD", "SPECI2014", "NLD", "650310", "F", "240309", "DE BRUIJN", "WILLEKE LISELOTTE", "", nil))
    static let td2Optional = MRZSpecimen(
        name: "TD2 residence card with optional data and a short number",
        lines: MRZBuild.td2(
            code: "AR", issuer: "D", name: "MUSTERMANN<<ERIKA", number: "Y01K9", nationality: "UTO",
            birth: "991231", sex: "M", expiry: "310101", optional: "ABC123"),
        expected: document(
            .td2, "AR", "D", "Y01K9", "UTO", "991231", "M", "310101", "MUSTERMANN", "ERIKA", "ABC123", nil))
    static let mrvBOptional = MRZSpecimen(
        name: "MRV-B with optional data",
        lines: MRZBuild.visa(
            width: 36, code: "VX", issuer: "FRA", name: "DUPONT<<MARIE", number: "12AB34567", nationality: "BEL",
            birth: "851115", sex: "<", expiry: "250601", optional: "ZZ9"),
        expected: document(
            .mrvB, "VX", "FRA", "12AB34567", "BEL", "851115", "<", "250601", "DUPONT", "MARIE", "ZZ9", nil))

    static let all: [MRZSpecimen] = [
        icaoTD3, icaoTD1, icaoTD2, icaoMRVA, icaoMRVB, germanPassport, germanIdentityCard, td1LongNumber,
        td1LongNumberAndOptional, td1Busy, td3ZeroCheck, td2Optional, mrvBOptional,
    ]
}

@Suite struct MRZTests {
    // MARK: Valid specimens

    @Test(arguments: MRZSpecimen.all)
    func readsValidSpecimen(_ specimen: MRZSpecimen) {
        let verdict = MRZ.parse(specimen.lines)
        #expect(verdict.issues == [])
        #expect(verdict.isValid)
        #expect(verdict.document == specimen.expected)
    }

    @Test func builderReproducesPublishedSpecimens() {
        #expect(
            MRZBuild.td3(
                issuer: "UTO", name: "ERIKSSON<<ANNA<MARIA", number: "L898902C3", nationality: "UTO",
                birth: "740812", sex: "F", expiry: "120415", personal: "ZE184226B") == MRZSpecimen.icaoTD3.lines)
        #expect(
            MRZBuild.td1(
                issuer: "UTO", number: "D23145890", birth: "740812", sex: "F", expiry: "120415", nationality: "UTO",
                name: "ERIKSSON<<ANNA<MARIA") == MRZSpecimen.icaoTD1.lines)
        #expect(
            MRZBuild.td2(
                issuer: "UTO", name: "ERIKSSON<<ANNA<MARIA", number: "D23145890", nationality: "UTO",
                birth: "740812", sex: "F", expiry: "120415") == MRZSpecimen.icaoTD2.lines)
        #expect(
            MRZBuild.visa(
                width: 44, issuer: "UTO", name: "ERIKSSON<<ANNA<MARIA", number: "L8988901C", nationality: "XXX",
                birth: "400907", sex: "F", expiry: "961210", optional: "6ZE184226B") == MRZSpecimen.icaoMRVA.lines)
        #expect(
            MRZBuild.visa(
                width: 36, issuer: "UTO", name: "ERIKSSON<<ANNA<MARIA", number: "L8988901C", nationality: "XXX",
                birth: "400907", sex: "F", expiry: "961210") == MRZSpecimen.icaoMRVB.lines)
        #expect(
            MRZBuild.td3(
                issuer: "D", name: "MUSTERMANN<<ERIKA", number: "C01X00T47", nationality: "D", birth: "640812",
                sex: "F", expiry: "270228") == MRZSpecimen.germanPassport.lines)
        #expect(
            MRZBuild.td1(
                code: "ID", issuer: "D", number: "T22000129", birth: "640812", sex: "<", expiry: "201031",
                nationality: "D", name: "MUSTERMANN<<ERIKA") == MRZSpecimen.germanIdentityCard.lines)
        // Part 5's layout for a long number: nine characters, '<', the remaining "734", check digit 9, '<'.
        #expect(MRZSpecimen.td1LongNumber.lines[0] == "I<UTOD23145890<7349<<<<<<<<<<<")
    }

    @Test func surroundingWhitespaceIsIgnored() {
        let lines = MRZSpecimen.icaoTD3.lines.map { "  \t" + $0 + " \r" }
        #expect(MRZ.parse(lines) == MRZ.parse(MRZSpecimen.icaoTD3.lines))
        #expect(MRZ.parse(lines).isValid)
    }

    @Test func namesSplitAtTheFirstDoubleFiller() {
        let lines = MRZBuild.td3(
            issuer: "UTO", name: "DE<LA<CRUZ<<MARIA<<JOSE", number: "X1", nationality: "UTO", birth: "740812",
            sex: "F", expiry: "120415")
        let document = MRZ.parse(lines).document
        #expect(document?.primaryIdentifier == "DE LA CRUZ")
        #expect(document?.secondaryIdentifier == "MARIA JOSE")
        let single = MRZBuild.td3(
            issuer: "UTO", name: "MADONNA", number: "X1", nationality: "UTO", birth: "740812", sex: "F",
            expiry: "120415")
        #expect(MRZ.parse(single).document?.primaryIdentifier == "MADONNA")
        #expect(MRZ.parse(single).document?.secondaryIdentifier == "")
        #expect(MRZ.parse(single).isValid)
    }

    @Test func formatsAreNamedForJSON() throws {
        #expect(MRZFormat.allCases.map(\.rawValue) == ["td1", "td2", "td3", "mrv-a", "mrv-b"])
        let verdict = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 2, column: 14, with: "O"))
        let decoded = try JSONDecoder().decode(MRZVerdict.self, from: JSONEncoder().encode(verdict))
        #expect(decoded == verdict)
    }

    // MARK: Shape

    @Test func wrongLineCountIsReportedWithoutADocument() {
        let none = MRZ.parse([])
        #expect(none.document == nil)
        #expect(none.issues.map(\.field) == ["lines"])
        #expect(none.issues.first?.line == 1)

        let one = MRZ.parse([MRZSpecimen.icaoTD3.lines[0]])
        #expect(one.document == nil)
        #expect(one.issues.map { [$0.field, "\($0.line)"] } == [["lines", "2"]])

        let four = MRZ.parse(MRZSpecimen.icaoTD1.lines + ["<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"])
        #expect(four.document == nil)
        #expect(four.issues.map { [$0.field, "\($0.line)"] } == [["lines", "4"]])
    }

    @Test func wrongLineLengthNamesTheLineAndTheExpectedLength() throws {
        var lines = MRZSpecimen.icaoTD3.lines
        lines[1].removeLast()
        let short = MRZ.parse(lines)
        #expect(short.document == nil)
        let issue = try #require(short.issues.first)
        #expect(short.issues.count == 1)
        #expect((issue.field, issue.line, issue.column) == ("lines", 2, 44))
        #expect(issue.message.contains("43") && issue.message.contains("44"))

        var td1 = MRZSpecimen.icaoTD1.lines
        td1[2] += "<"
        let long = MRZ.parse(td1)
        #expect(long.document == nil)
        #expect(long.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["lines", "3", "31"]])
        #expect(long.issues.first?.message.contains("30") == true)

        // Both lines of two-line MRZs must agree on one of the two widths.
        let mixed = MRZ.parse([MRZSpecimen.icaoTD3.lines[0], MRZSpecimen.icaoTD2.lines[1]])
        #expect(mixed.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["lines", "2", "37"]])
    }

    // MARK: Characters

    @Test func lowercaseIsReportedNotFixed() throws {
        let lines = MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 1, column: 6, with: "e")
        let verdict = MRZ.parse(lines)
        let issue = try #require(verdict.issues.first)
        #expect(verdict.issues.count == 1)
        #expect((issue.field, issue.line, issue.column) == ("characters", 1, 6))
        #expect(issue.suggestion?.contains("'E'") == true)
        #expect(verdict.document?.primaryIdentifier == "eRIKSSON")

        // In a date the likely reading of a lowercase 'o' is a zero, not a capital O.
        let date = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 2, column: 16, with: "o"))
        let dateIssue = try #require(date.issues.first { $0.field == "characters" })
        #expect((dateIssue.line, dateIssue.column) == (2, 16))
        #expect(dateIssue.suggestion?.contains("'0'") == true)
        #expect(date.document?.dateOfBirth == "74o812")
    }

    @Test func strayCharactersAreLocated() {
        let lines = MRZBuild.replacing(MRZSpecimen.icaoTD1.lines, line: 3, column: 9, with: " ")
        let verdict = MRZ.parse(lines)
        #expect(verdict.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["characters", "3", "9"]])
        #expect(verdict.issues.first?.suggestion?.contains("'<'") == true)

        let accented = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD2.lines, line: 1, column: 7, with: "É"))
        #expect(accented.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["characters", "1", "7"]])
        #expect(accented.document?.primaryIdentifier == "EÉIKSSON")
    }

    // MARK: Dates and sex

    @Test func impossibleDatesAreReported() throws {
        let february30 = MRZ.parse(
            MRZBuild.td3(
                issuer: "UTO", name: "ERIKSSON<<ANNA", number: "L898902C3", nationality: "UTO", birth: "740230",
                sex: "F", expiry: "120415"))
        let issue = try #require(february30.issues.first)
        #expect(february30.issues.count == 1)
        #expect((issue.field, issue.line, issue.column) == ("dateOfBirth", 2, 14))
        #expect(issue.message.contains("February"))
        #expect(february30.document?.dateOfBirth == "740230")

        let month13 = MRZ.parse(
            MRZBuild.td1(
                issuer: "UTO", number: "D23145890", birth: "740812", sex: "F", expiry: "121304", nationality: "UTO",
                name: "ERIKSSON<<ANNA"))
        #expect(month13.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["dateOfExpiry", "2", "9"]])

        // 29 February exists only in years divisible by four (YY 00 may be 2000).
        let leap = MRZBuild.td2(
            issuer: "UTO", name: "A", number: "1", nationality: "UTO", birth: "040229", sex: "M", expiry: "000229")
        #expect(MRZ.parse(leap).isValid)
        let notLeap = MRZBuild.td2(
            issuer: "UTO", name: "A", number: "1", nationality: "UTO", birth: "030229", sex: "M", expiry: "000229")
        #expect(MRZ.parse(notLeap).issues.map(\.field) == ["dateOfBirth"])
    }

    @Test func unknownPartsOfABirthDateAreRefusedWithTheReason() throws {
        let lines = MRZBuild.td3(
            issuer: "UTO", name: "ERIKSSON<<ANNA", number: "L898902C3", nationality: "UTO", birth: "74<<<<",
            sex: "F", expiry: "120415")
        let verdict = MRZ.parse(lines)
        #expect(
            verdict.issues.map { [$0.field, "\($0.line)", "\($0.column)"] }
                == (16...19).map {
                    ["dateOfBirth", "2", "\($0)"]
                })
        #expect(verdict.issues.allSatisfy { $0.message.contains("unknown") })
        #expect(verdict.document?.dateOfBirth == "74<<<<")
    }

    @Test func badSexIsReported() {
        let lines = MRZBuild.td3(
            issuer: "UTO", name: "ERIKSSON<<ANNA", number: "L898902C3", nationality: "UTO", birth: "740812",
            sex: "Q", expiry: "120415")
        let verdict = MRZ.parse(lines)
        #expect(verdict.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["sex", "2", "21"]])
        #expect(verdict.document?.sex == "Q")
        for sex in ["M", "F", "X", "<"] {
            let valid = MRZBuild.td1(
                issuer: "UTO", number: "D1", birth: "740812", sex: sex, expiry: "120415", nationality: "UTO",
                name: "ERIKSSON")
            #expect(MRZ.parse(valid).isValid, "sex \(sex)")
        }
    }

    // MARK: OCR suggestions

    @Test func letterOInADateSuggestsZeroWithoutApplyingIt() throws {
        let clean = MRZBuild.td3(
            issuer: "UTO", name: "ERIKSSON<<ANNA", number: "L898902C3", nationality: "UTO", birth: "080612",
            sex: "F", expiry: "120415")
        let lines = MRZBuild.replacing(clean, line: 2, column: 14, with: "O")
        let verdict = MRZ.parse(lines)
        let issue = try #require(verdict.issues.first)
        #expect(verdict.issues.count == 1)
        #expect((issue.field, issue.line, issue.column) == ("dateOfBirth", 2, 14))
        #expect(issue.suggestion == "dateOfBirth has 'O' at line 2 column 14; '0' would make it valid")
        #expect(verdict.document?.dateOfBirth == "O80612")
        var expected = try #require(MRZ.parse(clean).document)
        expected.dateOfBirth = "O80612"
        #expect(verdict.document == expected)
    }

    @Test func confusionsInCheckDigitsAndExpiryAreSuggested() throws {
        // The date of birth check digit '2' read as 'Z'.
        let check = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 2, column: 20, with: "Z"))
        let issue = try #require(check.issues.first)
        #expect((issue.field, issue.line, issue.column) == ("dateOfBirthCheckDigit", 2, 20))
        #expect(issue.suggestion == "dateOfBirthCheckDigit has 'Z' at line 2 column 20; '2' would make it valid")

        // An 'I' for the '1' of 120415, and 'B' for a wrong digit: the second suggestion must not claim success.
        let expiry = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD2.lines, line: 2, column: 22, with: "I"))
        #expect(expiry.issues.first?.suggestion == "dateOfExpiry has 'I' at line 2 column 22; '1' would make it valid")
        #expect(expiry.document?.dateOfExpiry == "I20415")
        let wrong = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD2.lines, line: 2, column: 23, with: "B"))
        let wrongIssue = try #require(wrong.issues.first)
        #expect(wrongIssue.suggestion?.contains("would make it valid") == false)
        #expect(wrongIssue.suggestion?.contains("'8'") == true)
    }

    @Test func documentNumberConfusionIsSuggestedWhenItFixesTheCheckDigit() throws {
        // "L898902C3" printed with a letter O for its zero (column 6).
        let lines = MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 2, column: 6, with: "O")
        let verdict = MRZ.parse(lines)
        let issue = try #require(verdict.issues.first { $0.field == "documentNumberCheckDigit" })
        #expect((issue.line, issue.column) == (2, 10))
        #expect(issue.suggestion == "documentNumber has 'O' at line 2 column 6; '0' would make it valid")
        #expect(verdict.document?.documentNumber == "L8989O2C3")

        // The reverse: a TD1 long number whose 'D' was read as '0'.
        let long = MRZBuild.replacing(MRZSpecimen.td1LongNumber.lines, line: 1, column: 6, with: "0")
        let longVerdict = MRZ.parse(long)
        let longIssue = try #require(longVerdict.issues.first { $0.field == "documentNumberCheckDigit" })
        #expect((longIssue.line, longIssue.column) == (1, 19))
        #expect(longIssue.suggestion?.contains("'0' at line 1 column 6; 'D' would make it valid") == true)
        #expect(longVerdict.document?.documentNumber == "023145890734")

        // No suggestion when no single confusion explains the mismatch (a check digit of 3 instead of 6 cannot
        // come from any one O/0, B/8 or Z/2 swap in "L898902C3"; L/1 is invisible to the check altogether).
        let plain = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 2, column: 10, with: "3"))
        let plainIssue = try #require(plain.issues.first { $0.field == "documentNumberCheckDigit" })
        #expect(plainIssue.suggestion == nil)
    }

    // MARK: Codes, names, structure

    @Test func codesAndNamesAcceptOnlyLetters() throws {
        let issuer = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 1, column: 5, with: "0"))
        let issue = try #require(issuer.issues.first)
        #expect(issuer.issues.count == 1)
        #expect((issue.field, issue.line, issue.column) == ("issuer", 1, 5))
        #expect(issue.suggestion?.contains("'O' is probably meant") == true)
        #expect(issuer.document?.issuer == "UT0")

        let nationality = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD1.lines, line: 2, column: 16, with: "<"))
        #expect(nationality.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["nationality", "2", "16"]])

        let name = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD1.lines, line: 3, column: 3, with: "1"))
        #expect(name.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["names", "3", "3"]])
        #expect(name.document?.primaryIdentifier == "ER1KSSON")

        let noSurname = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD2.lines, line: 1, column: 6, with: "<"))
        #expect(noSurname.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["names", "1", "6"]])
    }

    @Test func documentCodeMustFitTheFormat() {
        let passportAsCard = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD1.lines, line: 1, column: 1, with: "P"))
        #expect(
            passportAsCard.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["documentCode", "1", "1"]])
        let cardAsPassport = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 1, column: 1, with: "I"))
        #expect(cardAsPassport.document?.format == .td3)
        #expect(cardAsPassport.issues.map(\.field) == ["documentCode"])
        let digit = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 1, column: 2, with: "8"))
        #expect(digit.issues.map { [$0.field, "\($0.line)", "\($0.column)"] } == [["documentCode", "1", "2"]])
        // A 'V' makes the same shape a visa.
        let visa = MRZ.parse(MRZBuild.replacing(MRZSpecimen.icaoTD2.lines, line: 1, column: 1, with: "V"))
        #expect(visa.document?.format == .mrvB)
    }

    @Test func longNumberMarkerWithoutContinuationIsReported() {
        let lines = MRZBuild.replacing(MRZSpecimen.icaoTD1.lines, line: 1, column: 15, with: "<")
        let verdict = MRZ.parse(lines)
        #expect(verdict.issues.contains { $0.field == "documentNumberCheckDigit" && $0.line == 1 && $0.column == 15 })
        #expect(verdict.document?.documentNumber == "D23145890")
    }

    @Test func personalNumberCheckMayBeAFillerOnlyWhileEmpty() {
        // The ICAO specimen's personal number is not empty, so its check digit cannot be a filler.
        let lines = MRZBuild.replacing(MRZSpecimen.icaoTD3.lines, line: 2, column: 43, with: "<")
        let verdict = MRZ.parse(lines)
        #expect(verdict.issues.contains { $0.field == "optionalDataCheckDigit" && $0.column == 43 })
    }

    @Test func issuesAreOrderedByPlace() {
        var lines = MRZBuild.replacing(MRZSpecimen.icaoTD1.lines, line: 3, column: 2, with: "4")
        lines = MRZBuild.replacing(lines, line: 1, column: 4, with: "9")
        lines = MRZBuild.replacing(lines, line: 2, column: 8, with: "Q")
        let places = MRZ.parse(lines).issues.map { [$0.line, $0.column] }
        #expect(places == [[1, 4], [2, 8], [3, 2]])
    }

    @Test func anyTextOfTheRightShapeIsReadAndLocatedWithinTheLines() {
        // A fixed linear congruential sequence, so a failure replays exactly.
        var state: UInt64 = 0x9303
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pool = MRZBuild.alphabet + ["a", "z", " ", "É", "-", "0", "<", "<"]
        for round in 0..<3000 {
            let (count, width) = [(3, 30), (2, 36), (2, 44)][round % 3]
            let lines = (0..<count).map { _ in
                // A space inside a line is a stray character; at either end it would be trimmed away.
                var line = (0..<width).map { _ in pool[next(pool.count)] }
                line[0] = line[0] == " " ? "<" : line[0]
                line[width - 1] = line[width - 1] == " " ? "<" : line[width - 1]
                return String(line)
            }
            let verdict = MRZ.parse(lines)
            #expect(verdict.document != nil)
            #expect(verdict.issues.allSatisfy { (1...count).contains($0.line) && (1...width).contains($0.column) })
        }
    }

    // MARK: Check digit

    @Test func checkDigitOfKnownValues() {
        #expect(MRZ.checkDigit("L898902C3".utf8) == 6)
        #expect(MRZ.checkDigit("740812".utf8) == 2)
        #expect(MRZ.checkDigit("120415".utf8) == 9)
        #expect(MRZ.checkDigit("ZE184226B<<<<<".utf8) == 1)
        #expect(MRZ.checkDigit("L898902C3674081221204159ZE184226B<<<<<1".utf8) == 0)
        #expect(MRZ.checkDigit("D23145890734".utf8) == 9)
        #expect(MRZ.checkDigit("C01X00T47".utf8) == 8)
        #expect(MRZ.checkDigit(Array("T22000129".utf8)) == 3)
        #expect(MRZ.checkDigit("".utf8) == 0)
        #expect(MRZ.checkDigit("<<<".utf8) == 0)
        #expect(MRZ.checkDigit("l898902C3".utf8) == nil)
        #expect(MRZ.checkDigit("12 3".utf8) == nil)
        #expect(MRZ.checkDigit([0xFF]) == nil)
    }

    @Test func checkDigitAgreesWithAnIndependentImplementation() {
        // Every string of one to three MRZ characters over a spread of positions: all weights, all values.
        for first in MRZBuild.alphabet {
            for second in MRZBuild.alphabet {
                for third in ["", "Z", "<"] {
                    let text = String([first, second]) + third
                    #expect(MRZ.checkDigit(text.utf8).map { String($0) } == MRZBuild.check(text))
                }
            }
        }
    }
}
