/// The machine-readable zone formats of ICAO Doc 9303.
///
/// TD1 (3 lines of 30, Part 5), TD2 (2 × 36, Part 6), TD3 passports (2 × 44, Part 4) and the two
/// machine-readable visa sizes of Part 7: MRV-A (2 × 44) and MRV-B (2 × 36).
public enum MRZFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case td1, td2, td3
    case mrvA = "mrv-a"
    case mrvB = "mrv-b"
}

/// What an MRZ says, as printed. Values are never corrected: a suggestion in an issue is only an offer.
public struct MRZDocument: Sendable, Hashable, Codable {
    public var format: MRZFormat
    /// e.g. "P", "PD", "I", "ID", "AC", "V" (fillers removed).
    public var documentCode: String
    /// e.g. "D", "FRA", "UTO" (fillers removed).
    public var issuer: String
    /// Fillers removed; a TD1 number longer than nine characters is joined from both of its parts.
    public var documentNumber: String
    public var nationality: String
    /// YYMMDD as printed.
    public var dateOfBirth: String
    /// "M", "F", "X" or "<".
    public var sex: String
    /// YYMMDD as printed.
    public var dateOfExpiry: String
    /// Surname(s): fillers become spaces, then trimmed.
    public var primaryIdentifier: String
    /// Given names: each run of fillers becomes one space, then trimmed.
    public var secondaryIdentifier: String
    /// Fillers trimmed from both ends. TD1: line 1 optional data (after a long number's continuation);
    /// TD3: the personal number; TD2 and visas: the optional data of line 2.
    public var optionalData: String
    /// TD1 only: the optional data of line 2, fillers trimmed from both ends. Nil for other formats.
    public var optionalData2: String?

    public init(
        format: MRZFormat, documentCode: String, issuer: String, documentNumber: String, nationality: String,
        dateOfBirth: String, sex: String, dateOfExpiry: String, primaryIdentifier: String,
        secondaryIdentifier: String, optionalData: String, optionalData2: String?
    ) {
        self.format = format
        self.documentCode = documentCode
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.nationality = nationality
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.dateOfExpiry = dateOfExpiry
        self.primaryIdentifier = primaryIdentifier
        self.secondaryIdentifier = secondaryIdentifier
        self.optionalData = optionalData
        self.optionalData2 = optionalData2
    }
}

/// One problem, naming the field and where it is. Lines and columns are 1-based.
public struct MRZIssue: Sendable, Hashable, Codable {
    /// Stable names: "lines", "characters", "documentCode", "issuer", "documentNumber",
    /// "documentNumberCheckDigit", "dateOfBirth", "dateOfBirthCheckDigit", "sex", "dateOfExpiry",
    /// "dateOfExpiryCheckDigit", "optionalData", "optionalDataCheckDigit", "compositeCheckDigit",
    /// "nationality", "names".
    public var field: String
    public var line: Int
    public var column: Int
    public var message: String
    /// A likely OCR confusion, offered not applied: e.g.
    /// "dateOfBirth has 'O' at line 2 column 14; '0' would make it valid".
    public var suggestion: String?

    public init(field: String, line: Int, column: Int, message: String, suggestion: String? = nil) {
        self.field = field
        self.line = line
        self.column = column
        self.message = message
        self.suggestion = suggestion
    }
}

public struct MRZVerdict: Sendable, Hashable, Codable {
    /// Whatever could be read, even when invalid; nil when the line count or a line length is wrong.
    public var document: MRZDocument?
    /// Empty means valid. Sorted by line, then column.
    public var issues: [MRZIssue]
    public var isValid: Bool { issues.isEmpty }

    public init(document: MRZDocument?, issues: [MRZIssue]) {
        self.document = document
        self.issues = issues
    }
}

public enum MRZ {
    /// Reads and validates an MRZ given as its lines (surrounding whitespace of each line is ignored).
    ///
    /// Nothing is corrected silently: lowercase letters, OCR confusions and the like are reported as
    /// issues, with a suggestion where one is likely, and the document keeps the characters as printed.
    public static func parse(_ lines: [String]) -> MRZVerdict {
        MRZParser.parse(lines)
    }

    /// The ICAO 7-3-1 check digit (0...9) of MRZ characters given as ASCII bytes: digits count their value,
    /// A–Z count 10–35, the filler '<' counts 0. Nil if any byte is not one of those characters.
    public static func checkDigit<S: Sequence<UInt8>>(_ characters: S) -> UInt8? {
        let weights = [7, 3, 1]
        var sum = 0
        for (index, byte) in characters.enumerated() {
            guard let value = MRZAlphabet.value(of: byte) else { return nil }
            sum += value * weights[index % 3]
        }
        return UInt8(sum % 10)
    }
}
