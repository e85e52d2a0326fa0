import ConcordMatching
import Testing

/// One position protected by a check digit, as the test (not the parser) understands Doc 9303.
struct MRZGuardedPosition: Sendable {
    enum Slot: Sendable, Equatable {
        /// Any MRZ character belongs here (document numbers, optional data). A substitute with the same value
        /// modulo 10 leaves every 7-3-1 sum unchanged, so it must be accepted; any other must be rejected.
        case any
        /// Only a digit belongs here (dates, check digits). Every substitute must be rejected, and a letter or a
        /// filler reported at exactly this position, under this field's name.
        case digit
        /// A TD1 document number check digit: as `digit`, except that a filler here announces a long number
        /// (Part 5), so it is rejected for what then fails to follow rather than at this position.
        case numberCheck
        /// The check digit of an empty TD3 personal number: '0' and '<' are both allowed and interchangeable.
        case emptyCheck
        /// Part of the layout rather than of a value: the filler that ends a TD1 long number's continuation, and
        /// an empty personal number whose check digit is a filler. Every substitute alters what the layout says
        /// and must be rejected, though the issue may sit elsewhere.
        case fixed
    }

    let line: Int
    let column: Int
    let field: String
    let slot: Slot

    /// The field, its check digit and the composite: the names a rejection must use.
    var acceptableNames: Set<String> {
        let base = field.hasSuffix("CheckDigit") ? String(field.dropLast("CheckDigit".count)) : field
        return [base, base + "CheckDigit", "compositeCheckDigit"]
    }

    /// Whether no check digit can notice `substitute` replacing `original` here.
    func isUndetectable(_ original: Character, _ substitute: Character) -> Bool {
        switch slot {
        case .any: MRZBuild.value(substitute) % 10 == MRZBuild.value(original) % 10
        case .emptyCheck: substitute == "0" || substitute == "<"
        case .digit, .numberCheck, .fixed: false
        }
    }

    /// Every position of a specimen that lies in a check digit or in a field some check digit covers.
    static func all(in specimen: MRZSpecimen) -> [MRZGuardedPosition] {
        let lines = specimen.lines.map { Array($0) }
        func at(_ line: Int, _ column: Int) -> Character { lines[line - 1][column - 1] }
        func run(_ line: Int, _ columns: ClosedRange<Int>, _ field: String, _ slot: Slot) -> [MRZGuardedPosition] {
            columns.map { MRZGuardedPosition(line: line, column: $0, field: field, slot: slot) }
        }
        // Line 2 of TD2, TD3 and both visas agrees up to column 28; nationality (11–13) and sex (21) are unchecked.
        let lowerLine =
            run(2, 1...9, "documentNumber", .any) + run(2, 10...10, "documentNumberCheckDigit", .digit)
            + run(2, 14...19, "dateOfBirth", .digit) + run(2, 20...20, "dateOfBirthCheckDigit", .digit)
            + run(2, 22...27, "dateOfExpiry", .digit) + run(2, 28...28, "dateOfExpiryCheckDigit", .digit)
        switch specimen.expected.format {
        case .mrvA, .mrvB:
            // Part 7: visa optional data has no check digit and there is no composite.
            return lowerLine
        case .td2:
            return lowerLine + run(2, 29...35, "optionalData", .any) + run(2, 36...36, "compositeCheckDigit", .digit)
        case .td3:
            let empty = (29...42).allSatisfy { at(2, $0) == "<" }
            return lowerLine + run(2, 29...42, "optionalData", at(2, 43) == "<" ? .fixed : .any)
                + run(2, 43...43, "optionalDataCheckDigit", empty ? .emptyCheck : .digit)
                + run(2, 44...44, "compositeCheckDigit", .digit)
        case .td1:
            var upper = run(1, 6...14, "documentNumber", .any)
            if at(1, 15) == "<" {
                // Long number: the continuation runs from column 16 to the next filler; its last character is
                // the check digit over the whole number.
                let end = (16...30).first { at(1, $0) == "<" } ?? 31
                upper += run(1, 15...15, "documentNumberCheckDigit", .digit)
                upper += run(1, 16...(end - 2), "documentNumber", .any)
                upper += run(1, (end - 1)...(end - 1), "documentNumberCheckDigit", .numberCheck)
                if end <= 30 { upper += run(1, end...end, "documentNumber", .fixed) }
                if end < 30 { upper += run(1, (end + 1)...30, "optionalData", .any) }
            } else {
                upper +=
                    run(1, 15...15, "documentNumberCheckDigit", .numberCheck)
                    + run(1, 16...30, "optionalData", .any)
            }
            return upper + run(2, 1...6, "dateOfBirth", .digit) + run(2, 7...7, "dateOfBirthCheckDigit", .digit)
                + run(2, 9...14, "dateOfExpiry", .digit) + run(2, 15...15, "dateOfExpiryCheckDigit", .digit)
                + run(2, 19...29, "optionalData", .any) + run(2, 30...30, "compositeCheckDigit", .digit)
        }
    }

    /// How many positions each format's check digits protect, from the tables of Parts 4–7.
    static let coveredCount: [MRZFormat: Int] = [
        .td1: 25 + 7 + 7 + 12,  // line 1 columns 6–30; line 2 columns 1–7, 9–15 and 19–30
        .td2: 10 + 7 + 15,  // line 2 columns 1–10, 14–20 and 22–36
        .td3: 10 + 7 + 23,  // line 2 columns 1–10, 14–20 and 22–44
        .mrvA: 10 + 7 + 7,  // line 2 columns 1–10, 14–20 and 22–28
        .mrvB: 10 + 7 + 7,
    ]
}

@Suite struct MRZCorruptionTests {
    /// Substitutes every other MRZ character at every guarded position of every specimen, and proves that the
    /// corruptions accepted are exactly those the 7-3-1 check digits cannot see: nothing else slips through,
    /// and nothing the check digits cannot see is refused for a made-up reason.
    @Test(arguments: MRZSpecimen.all)
    func everyCorruptionIsCaughtExceptThoseNoCheckDigitCanSee(_ specimen: MRZSpecimen) throws {
        try #require(MRZ.parse(specimen.lines).isValid)
        let positions = MRZGuardedPosition.all(in: specimen)
        #expect(Set(positions.map { [$0.line, $0.column] }).count == positions.count)
        #expect(positions.count == MRZGuardedPosition.coveredCount[specimen.expected.format])

        var wronglyAccepted: [String] = []
        var wronglyRejected: [String] = []
        var unnamed: [String] = []
        var misplaced: [String] = []
        var silentlyMended: [String] = []
        var undetectable = 0
        for position in positions {
            let original = Array(specimen.lines[position.line - 1])[position.column - 1]
            for substitute in MRZBuild.alphabet where substitute != original {
                let lines = MRZBuild.replacing(
                    specimen.lines, line: position.line, column: position.column, with: substitute)
                let verdict = MRZ.parse(lines)
                let place = "line \(position.line) column \(position.column) '\(original)'→'\(substitute)'"
                let invisible = position.isUndetectable(original, substitute)
                if invisible { undetectable += 1 }
                if invisible, !verdict.isValid { wronglyRejected.append("\(place): \(verdict.issues.map(\.message))") }
                if !invisible, verdict.isValid { wronglyAccepted.append(place) }
                if !verdict.isValid, !verdict.issues.contains(where: { position.acceptableNames.contains($0.field) }) {
                    unnamed.append("\(place): \(verdict.issues.map(\.field))")
                }
                // A letter in a digits-only position, or a filler where a filler is never allowed, is a format
                // error of this very position and must be reported there.
                let numeric = [.digit, .numberCheck, .emptyCheck].contains(position.slot)
                let exact = (numeric && substitute.isLetter) || (position.slot == .digit && substitute == "<")
                if exact,
                    !verdict.issues.contains(where: {
                        $0.field == position.field && $0.line == position.line && $0.column == position.column
                    })
                {
                    misplaced.append("\(place): \(verdict.issues.map { "\($0.field)@\($0.line):\($0.column)" })")
                }
                // An accepted change to a value is read as printed, never mended back to the original.
                if verdict.isValid, position.slot == .any, verdict.document == specimen.expected {
                    silentlyMended.append(place)
                }
            }
        }
        #expect(wronglyAccepted == [])
        #expect(wronglyRejected == [])
        #expect(unnamed == [])
        #expect(misplaced == [])
        #expect(silentlyMended == [])
        // Each specimen exercises both sides: some corruptions are invisible to check digits, most are not.
        #expect(undetectable > 0)
        #expect(undetectable < positions.count * 36 / 4)
    }
}
