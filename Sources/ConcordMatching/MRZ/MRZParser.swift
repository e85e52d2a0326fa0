/// Reads one MRZ against the layout table of its format, collecting every issue rather than stopping at the first,
/// so that an operator sees all that is wrong with a scan at once.
struct MRZParser {
    /// The lines as given (trimmed), kept for messages and for the values handed back.
    let characters: [[Character]]
    /// The same lines as ASCII bytes; anything that is not a single ASCII scalar becomes 0xFF, which is invalid.
    let bytes: [[UInt8]]
    var issues: [MRZIssue] = []
    /// Positions already reported as malformed. Check digits are not compared over them: the mismatch would only
    /// restate the same fault, less precisely.
    var malformed: Set<MRZPosition> = []

    static func parse(_ lines: [String]) -> MRZVerdict {
        let trimmed = lines.map(trimWhitespace)
        let bytes = trimmed.map { line in
            line.map { character -> UInt8 in
                let scalars = character.unicodeScalars
                guard scalars.count == 1, let scalar = scalars.first, scalar.isASCII else { return 0xFF }
                return UInt8(scalar.value)
            }
        }
        var parser = MRZParser(characters: trimmed, bytes: bytes)
        let layout = parser.recogniseShape()
        parser.checkCharacters(layout)
        let document = layout.map { parser.read($0) }
        // Stable order by place, so a report reads top to bottom.
        let issues = parser.issues.enumerated()
            .sorted {
                ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
            }
            .map(\.element)
        return MRZVerdict(document: document, issues: issues)
    }

    private static func trimWhitespace(_ line: String) -> [Character] {
        let characters = Array(line)
        guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
            let last = characters.lastIndex(where: { !$0.isWhitespace })
        else { return [] }
        return Array(characters[first...last])
    }

    // MARK: Shape

    /// The layout named by the line count and length, or nil (with issues) when the shape fits none.
    mutating func recogniseShape() -> MRZLayout? {
        let count = characters.count
        let length: Int
        switch count {
        case 3:
            length = 30
        case 2:
            // One line of a right length decides; otherwise the nearer of the two lengths.
            let lengths = characters.map(\.count)
            length =
                [44, 36].first { $0 == lengths[0] } ?? [44, 36].first { $0 == lengths[1] }
                ?? ((lengths.max() ?? 0) >= 40 ? 44 : 36)
        default:
            // Name the first line that is missing, or the first one too many.
            let line = count < 2 ? count + 1 : 4
            issues.append(
                MRZIssue(
                    field: "lines", line: line, column: 1,
                    message: "an MRZ has 2 lines (TD2, TD3, MRV-A, MRV-B) or 3 lines (TD1), not \(count)"))
            return nil
        }
        let visa = characters[0].first == "V"
        guard let layout = MRZLayout.matching(lineCount: count, lineLength: length, visa: visa) else { return nil }
        let kind =
            switch length {
            case 30: "TD1"
            case 36: "TD2 or MRV-B"
            default: "TD3 or MRV-A"
            }
        var fits = true
        for (index, line) in characters.enumerated() where line.count != length {
            fits = false
            issues.append(
                MRZIssue(
                    field: "lines", line: index + 1, column: min(line.count, length) + 1,
                    message: "line \(index + 1) has \(line.count) character\(line.count == 1 ? "" : "s"); "
                        + "a \(kind) line has \(length)"))
        }
        return fits ? layout : nil
    }

    // MARK: Characters

    /// Reports every character outside A–Z, 0–9 and '<'. With a layout, the suggestion fits the position:
    /// a lowercase 'o' in a date suggests '0', elsewhere 'O'.
    mutating func checkCharacters(_ layout: MRZLayout?) {
        let numeric = Set(layout?.numericSpans.flatMap(\.positions) ?? [])
        for (lineIndex, line) in bytes.enumerated() {
            for (columnIndex, byte) in line.enumerated() where !MRZAlphabet.isValid(byte) {
                let position = MRZPosition(line: lineIndex + 1, column: columnIndex + 1)
                let character = characters[lineIndex][columnIndex]
                malformed.insert(position)
                let intended = Self.intended(character, numeric: numeric.contains(position))
                issues.append(
                    MRZIssue(
                        field: "characters", line: position.line, column: position.column,
                        message: "line \(position.line) column \(position.column) has \(Self.quoted(character)), "
                            + "which is not an MRZ character (A–Z, 0–9, '<')",
                        suggestion: intended.map {
                            "line \(position.line) has \(Self.quoted(character)) at column \(position.column); "
                                + "\(Self.quoted($0)) is probably meant"
                        }))
            }
        }
    }

    private static func intended(_ character: Character, numeric: Bool) -> UInt8? {
        if let ascii = character.asciiValue, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii) {
            let upper = ascii - 32
            return numeric ? MRZAlphabet.digit(for: upper) : upper
        }
        // Spaces and angle quotes are what a filler most often becomes after copying or OCR.
        if !numeric, character.isWhitespace || character == "«" || character == "‹" { return MRZAlphabet.filler }
        return nil
    }

    // MARK: Fields

    mutating func read(_ layout: MRZLayout) -> MRZDocument {
        checkDocumentCode(layout)
        checkLetterCode("issuer", layout.issuer)
        checkLetterCode("nationality", layout.nationality)
        let (primary, secondary) = readNames(layout.name)
        checkSex(layout.sex.start)
        let (numberPositions, optionalPositions) = readDocumentNumber(layout)
        checkDate("dateOfBirth", layout.dateOfBirth, check: layout.dateOfBirthCheck.start, isBirth: true)
        checkDate("dateOfExpiry", layout.dateOfExpiry, check: layout.dateOfExpiryCheck.start, isBirth: false)
        if let check = layout.optionalDataCheck {
            checkAlphanumeric("optionalData", optionalPositions, check: check.start, fillerWhenEmpty: true)
        }
        // Last, because it skips over whatever the checks above found malformed.
        checkComposite(layout)
        return MRZDocument(
            format: layout.format,
            documentCode: trimmedText(layout.documentCode.positions),
            issuer: trimmedText(layout.issuer.positions),
            documentNumber: trimmedText(numberPositions),
            nationality: trimmedText(layout.nationality.positions),
            dateOfBirth: text(layout.dateOfBirth.positions),
            sex: text(layout.sex.positions),
            dateOfExpiry: text(layout.dateOfExpiry.positions),
            primaryIdentifier: primary, secondaryIdentifier: secondary,
            optionalData: trimmedText(optionalPositions),
            optionalData2: layout.optionalData2.map { trimmedText($0.positions) })
    }

    private mutating func checkDocumentCode(_ layout: MRZLayout) {
        let first = layout.documentCode.start
        let byte = self.byte(first)
        if MRZAlphabet.isValid(byte), !layout.documentCodeStarts.contains(byte) {
            let allowed = layout.documentCodeStarts.map { Self.quoted($0) }
            let list =
                allowed.count == 1
                ? allowed[0] : allowed.dropLast().joined(separator: ", ") + " or " + allowed[allowed.count - 1]
            let likely = MRZAlphabet.letter(for: byte).flatMap { layout.documentCodeStarts.contains($0) ? $0 : nil }
            report(
                "documentCode", first,
                "a \(layout.format.displayName) document code starts with \(list), not \(Self.quoted(byte))",
                suggestion: likely.map {
                    suggestion("documentCode", first, byte, "\(Self.quoted($0)) is probably meant")
                })
        }
        let second = MRZPosition(line: first.line, column: first.column + 1)
        if MRZAlphabet.isDigit(self.byte(second)) { reportNotALetter("documentCode", second) }
    }

    /// Issuing state and nationality: three letters, or a shorter code padded with fillers ("D<<").
    private mutating func checkLetterCode(_ field: String, _ span: MRZSpan) {
        let positions = span.positions
        var lettersOnly = true
        for position in positions {
            let byte = self.byte(position)
            if MRZAlphabet.isDigit(byte) { reportNotALetter(field, position) }
            if !MRZAlphabet.isLetter(byte), byte != MRZAlphabet.filler { lettersOnly = false }
        }
        guard lettersOnly else { return }
        let codeBytes = positions.map(byte)
        let end = codeBytes.firstIndex(of: MRZAlphabet.filler) ?? codeBytes.count
        if end == 0 || codeBytes[end...].contains(where: { $0 != MRZAlphabet.filler }) {
            report(
                field, span.start,
                "\(field) '\(text(positions))' is not letters followed by fillers, like 'UTO' or 'D<<'")
        }
    }

    /// Primary and secondary identifiers are separated by the first double filler; single fillers separate words.
    private mutating func readNames(_ span: MRZSpan) -> (primary: String, secondary: String) {
        for position in span.positions where MRZAlphabet.isDigit(byte(position)) { reportNotALetter("names", position) }
        if byte(span.start) == MRZAlphabet.filler {
            report("names", span.start, "the name field starts with a filler, so the primary identifier is empty")
        }
        var name = span.positions.map { characters[$0.line - 1][$0.column - 1] }
        while name.last == "<" { name.removeLast() }
        let separator = name.indices.dropLast().first { name[$0] == "<" && name[$0 + 1] == "<" }
        func words(_ part: ArraySlice<Character>) -> String {
            part.split(separator: "<").map { String($0) }.joined(separator: " ")
        }
        guard let separator else { return (words(name[...]), "") }
        return (words(name[..<separator]), words(name[(separator + 2)...]))
    }

    private mutating func checkSex(_ position: MRZPosition) {
        let byte = self.byte(position)
        guard MRZAlphabet.isValid(byte), !Array("MFX<".utf8).contains(byte) else { return }
        report("sex", position, "sex is \(Self.quoted(byte)); expected 'M', 'F', 'X' or '<'")
    }

    /// The positions holding the document number and those left for line 1's optional data. Part 5 lets a TD1
    /// number longer than nine characters put a filler in its check digit position and continue at the start of the
    /// optional data, followed by the check digit over the whole number and a filler.
    private mutating func readDocumentNumber(_ layout: MRZLayout) -> ([MRZPosition], [MRZPosition]) {
        var number = layout.documentNumber.positions
        var check = layout.documentNumberCheck.start
        var optional = layout.optionalData.positions
        if layout.numberMayContinue, byte(check) == MRZAlphabet.filler {
            let run = optional.prefix { byte($0) != MRZAlphabet.filler }
            guard run.count >= 2, let last = run.last else {
                report(
                    "documentNumberCheckDigit", check,
                    "a filler in place of the document number check digit says the number continues in the optional "
                        + "data, but no continuation followed by its check digit is there",
                    malformed: true)
                return (number, optional)
            }
            number += run.dropLast()
            check = last
            optional = Array(optional.dropFirst(run.count + 1))
        }
        if number.allSatisfy({ byte($0) == MRZAlphabet.filler }) {
            report("documentNumber", number[0], "the document number is empty")
        }
        checkAlphanumeric("documentNumber", number, check: check, fillerWhenEmpty: false)
        return (number, optional)
    }

    /// A field of any MRZ characters and its check digit. On a mismatch, looks for one O/0-style confusion
    /// that would make the check pass, since that is the commonest way an honest scan fails.
    private mutating func checkAlphanumeric(
        _ field: String, _ positions: [MRZPosition], check: MRZPosition, fillerWhenEmpty: Bool
    ) {
        let checkField = field + "CheckDigit"
        let checkByte = byte(check)
        guard MRZAlphabet.isValid(checkByte) else { return }
        let fieldBytes = positions.map(byte)
        let computed = MRZ.checkDigit(fieldBytes)
        if checkByte == MRZAlphabet.filler {
            // Part 4: the personal number's check digit may be a filler while the personal number is all fillers.
            if fillerWhenEmpty, fieldBytes.allSatisfy({ $0 == MRZAlphabet.filler }) { return }
            let why = fillerWhenEmpty ? "which is allowed only while \(field) is empty" : "where a digit belongs"
            report(checkField, check, "\(checkField) is a filler '<', \(why)", malformed: true)
            return
        }
        guard MRZAlphabet.isDigit(checkByte) else {
            reportNotADigit(checkField, check, fixes: computed.map { MRZ.digitByte($0) })
            return
        }
        guard let computed, MRZ.digitByte(computed) != checkByte else { return }
        var fixes: [String] = []
        for (index, position) in positions.enumerated() {
            for lookalike in MRZAlphabet.lookalikes(of: fieldBytes[index]) {
                var altered = fieldBytes
                altered[index] = lookalike
                if MRZ.checkDigit(altered).map({ MRZ.digitByte($0) }) == checkByte {
                    fixes.append(
                        suggestion(field, position, fieldBytes[index], "\(Self.quoted(lookalike)) would make it valid"))
                }
            }
        }
        report(
            checkField, check,
            "\(checkField) is \(Self.quoted(checkByte)) but the 7-3-1 check of '\(text(positions))' "
                + "gives '\(computed)'",
            suggestion: fixes.isEmpty ? nil : fixes.joined(separator: "; or "))
    }

    /// A YYMMDD date and its check digit. Letters that OCR confuses with digits get a suggestion, which says
    /// whether undoing every such confusion in the date and its check digit would make both valid.
    private mutating func checkDate(_ field: String, _ span: MRZSpan, check: MRZPosition, isBirth: Bool) {
        let positions = span.positions
        let fieldBytes = positions.map(byte)
        let checkByte = byte(check)
        let undone = (fieldBytes + [checkByte]).map { MRZAlphabet.isDigit($0) ? $0 : MRZAlphabet.digit(for: $0) }
        var repairWorks = false
        if undone.allSatisfy({ $0 != nil }) {
            let repaired = undone.compactMap { $0 }
            let date = Array(repaired.prefix(6))
            repairWorks =
                Self.calendarProblem(date) == nil
                && MRZ.checkDigit(date).map({ MRZ.digitByte($0) }) == repaired[6]
        }
        var wellFormed = true
        for (position, byte) in zip(positions, fieldBytes) where !MRZAlphabet.isDigit(byte) {
            wellFormed = false
            guard MRZAlphabet.isValid(byte) else { continue }
            if byte == MRZAlphabet.filler, isBirth {
                // Part 3 lets an unknown part of a date of birth be printed as fillers; this parser asks for a full
                // date, but says why rather than calling the filler a plain error.
                report(
                    field, position,
                    "\(field) has '<' at line \(position.line) column \(position.column): ICAO 9303 prints unknown "
                        + "parts of a date of birth as fillers, and this parser requires a complete date",
                    malformed: true)
            } else {
                reportNotADigit(field, position, works: repairWorks)
            }
        }
        if wellFormed, let problem = Self.calendarProblem(fieldBytes) {
            report(field, span.start, "\(field) '\(text(positions))' is not a calendar date: \(problem)")
        }
        guard MRZAlphabet.isValid(checkByte) else { return }
        let checkField = field + "CheckDigit"
        if !MRZAlphabet.isDigit(checkByte) {
            reportNotADigit(checkField, check, works: repairWorks)
        } else if wellFormed, let computed = MRZ.checkDigit(fieldBytes), MRZ.digitByte(computed) != checkByte {
            report(
                checkField, check,
                "\(checkField) is \(Self.quoted(checkByte)) but the 7-3-1 check of '\(text(positions))' "
                    + "gives '\(computed)'")
        }
    }

    private mutating func checkComposite(_ layout: MRZLayout) {
        guard let composite = layout.composite?.start else { return }
        let checkByte = byte(composite)
        guard MRZAlphabet.isValid(checkByte) else { return }
        let covered = layout.compositeCovers.flatMap(\.positions)
        let computed = covered.contains { malformed.contains($0) } ? nil : MRZ.checkDigit(covered.map(byte))
        guard MRZAlphabet.isDigit(checkByte) else {
            reportNotADigit("compositeCheckDigit", composite, fixes: computed.map { MRZ.digitByte($0) })
            return
        }
        if let computed, MRZ.digitByte(computed) != checkByte {
            report(
                "compositeCheckDigit", composite,
                "compositeCheckDigit is \(Self.quoted(checkByte)) but the 7-3-1 check of the fields it covers "
                    + "gives '\(computed)'")
        }
    }

    /// Nil when the six digits are a date in some century, else what is wrong. The century is not printed:
    /// a YY divisible by 4 is a leap year in 19YY and 20YY alike, except 1900, and 2000 was one, so 29 February
    /// is accepted whenever YY is divisible by 4.
    static func calendarProblem(_ digits: [UInt8]) -> String? {
        let value = digits.map { Int($0) - Int(UInt8(ascii: "0")) }
        let (year, month, day) = (value[0] * 10 + value[1], value[2] * 10 + value[3], value[4] * 10 + value[5])
        guard (1...12).contains(month) else { return "there is no month \(month)" }
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        let lengths = [31, year % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return "\(months[month - 1]) has no day \(day)" }
        return nil
    }

    // MARK: Reporting

    private mutating func report(
        _ field: String, _ position: MRZPosition, _ message: String, suggestion: String? = nil,
        malformed isMalformed: Bool = false
    ) {
        if isMalformed { malformed.insert(position) }
        issues.append(
            MRZIssue(
                field: field, line: position.line, column: position.column, message: message, suggestion: suggestion))
    }

    /// A letter or filler where only a digit belongs. `works` says whether the OCR reading would make the field
    /// valid; `fixes` is the check digit the field calls for, when known.
    private mutating func reportNotADigit(
        _ field: String, _ position: MRZPosition, works: Bool? = nil, fixes expected: UInt8? = nil
    ) {
        let byte = self.byte(position)
        let hint = MRZAlphabet.digit(for: byte).map { digit in
            let valid = works ?? (expected == digit)
            let tail =
                valid
                ? "\(Self.quoted(digit)) would make it valid"
                : "it may be a misread \(Self.quoted(digit)), though that alone would not make it valid"
            return suggestion(field, position, byte, tail)
        }
        report(
            field, position,
            "\(field) has \(Self.quoted(byte)) at line \(position.line) column \(position.column), "
                + "where only a digit belongs",
            suggestion: hint, malformed: true)
    }

    /// A digit where only a letter or filler belongs (codes and names).
    private mutating func reportNotALetter(_ field: String, _ position: MRZPosition) {
        let byte = self.byte(position)
        report(
            field, position,
            "\(field) has \(Self.quoted(byte)) at line \(position.line) column \(position.column), "
                + "where only a letter or '<' belongs",
            suggestion: MRZAlphabet.letter(for: byte).map {
                suggestion(field, position, byte, "\(Self.quoted($0)) is probably meant")
            },
            malformed: true)
    }

    private func suggestion(_ field: String, _ position: MRZPosition, _ byte: UInt8, _ tail: String) -> String {
        "\(field) has \(Self.quoted(byte)) at line \(position.line) column \(position.column); \(tail)"
    }

    // MARK: Access

    private func byte(_ position: MRZPosition) -> UInt8 { bytes[position.line - 1][position.column - 1] }

    private func text(_ positions: [MRZPosition]) -> String {
        String(positions.map { characters[$0.line - 1][$0.column - 1] })
    }

    /// The characters with fillers trimmed from both ends; inner fillers are kept as printed.
    private func trimmedText(_ positions: [MRZPosition]) -> String {
        let characters = positions.map { self.characters[$0.line - 1][$0.column - 1] }
        guard let first = characters.firstIndex(where: { $0 != "<" }),
            let last = characters.lastIndex(where: { $0 != "<" })
        else { return "" }
        return String(characters[first...last])
    }

    private static func quoted(_ byte: UInt8) -> String { "'\(Character(Unicode.Scalar(byte)))'" }

    private static func quoted(_ character: Character) -> String {
        "'" + character.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "'"
    }
}

extension MRZ {
    /// The ASCII digit for a check digit value 0...9.
    static func digitByte(_ value: UInt8) -> UInt8 { UInt8(ascii: "0") + value }
}

extension MRZFormat {
    var displayName: String {
        switch self {
        case .td1: "TD1"
        case .td2: "TD2"
        case .td3: "TD3"
        case .mrvA: "MRV-A"
        case .mrvB: "MRV-B"
        }
    }
}
