/// A run of MRZ character positions. Lines and columns are 1-based, as in the tables of Doc 9303,
/// so each layout below can be checked against the specification by eye.
struct MRZSpan: Sendable, Hashable {
    let line: Int
    let column: Int
    let length: Int

    init(_ line: Int, _ column: Int, _ length: Int = 1) {
        self.line = line
        self.column = column
        self.length = length
    }

    var positions: [MRZPosition] { (column..<column + length).map { MRZPosition(line: line, column: $0) } }
    var start: MRZPosition { MRZPosition(line: line, column: column) }
}

struct MRZPosition: Sendable, Hashable {
    let line: Int
    let column: Int
}

/// Where each field sits in one format. One parser walks these tables instead of five copies of code.
struct MRZLayout: Sendable {
    let format: MRZFormat
    let lineCount: Int
    let lineLength: Int
    /// The letters a document code of this format may start with.
    let documentCodeStarts: [UInt8]
    let documentCode = MRZSpan(1, 1, 2)
    let issuer = MRZSpan(1, 3, 3)
    let name: MRZSpan
    let documentNumber: MRZSpan
    let documentNumberCheck: MRZSpan
    let nationality: MRZSpan
    let dateOfBirth: MRZSpan
    let dateOfBirthCheck: MRZSpan
    let sex: MRZSpan
    let dateOfExpiry: MRZSpan
    let dateOfExpiryCheck: MRZSpan
    let optionalData: MRZSpan
    /// TD3 only: the personal number's check digit, which may be a filler while the number is empty.
    let optionalDataCheck: MRZSpan?
    /// TD1 only: the optional data of line 2.
    let optionalData2: MRZSpan?
    /// Visas have none (Part 7).
    let composite: MRZSpan?
    let compositeCovers: [MRZSpan]
    /// Part 5 (TD1): a filler in the number's check digit position announces a number longer than nine
    /// characters, continued at the start of the optional data and followed there by its check digit.
    let numberMayContinue: Bool

    /// Every position holding a date or a check digit: only digits belong there.
    var numericSpans: [MRZSpan] {
        [documentNumberCheck, dateOfBirth, dateOfBirthCheck, dateOfExpiry, dateOfExpiryCheck]
            + [optionalDataCheck, composite].compactMap { $0 }
    }

    static func matching(lineCount: Int, lineLength: Int, visa: Bool) -> MRZLayout? {
        switch (lineCount, lineLength) {
        case (3, 30): td1
        case (2, 36): visa ? mrvB : td2
        case (2, 44): visa ? mrvA : td3
        default: nil
        }
    }

    /// Part 5, TD1: number, check and optional data on line 1; dates, sex, nationality, more optional data and
    /// the composite on line 2; the name on line 3.
    static let td1 = MRZLayout(
        format: .td1, lineCount: 3, lineLength: 30, documentCodeStarts: Array("ACI".utf8),
        name: MRZSpan(3, 1, 30), documentNumber: MRZSpan(1, 6, 9), documentNumberCheck: MRZSpan(1, 15),
        nationality: MRZSpan(2, 16, 3), dateOfBirth: MRZSpan(2, 1, 6), dateOfBirthCheck: MRZSpan(2, 7),
        sex: MRZSpan(2, 8), dateOfExpiry: MRZSpan(2, 9, 6), dateOfExpiryCheck: MRZSpan(2, 15),
        optionalData: MRZSpan(1, 16, 15), optionalDataCheck: nil, optionalData2: MRZSpan(2, 19, 11),
        composite: MRZSpan(2, 30),
        compositeCovers: [MRZSpan(1, 6, 25), MRZSpan(2, 1, 7), MRZSpan(2, 9, 7), MRZSpan(2, 19, 11)],
        numberMayContinue: true)

    /// Part 6, TD2: composite over line 2 columns 1–10, 14–20 and 22–35.
    static let td2 = twoLine(.td2, length: 36, starts: "ACI", personalNumberCheck: false, composite: true)
    /// Part 4, TD3: personal number check at 43, composite over line 2 columns 1–10, 14–20 and 22–43.
    static let td3 = twoLine(.td3, length: 44, starts: "P", personalNumberCheck: true, composite: true)
    /// Part 7, MRV-A: optional data 29–44, no composite.
    static let mrvA = twoLine(.mrvA, length: 44, starts: "V", personalNumberCheck: false, composite: false)
    /// Part 7, MRV-B: optional data 29–36, no composite.
    static let mrvB = twoLine(.mrvB, length: 36, starts: "V", personalNumberCheck: false, composite: false)

    /// TD2, TD3 and both visas share line 2 up to column 28 and differ only in what follows.
    private static func twoLine(
        _ format: MRZFormat, length: Int, starts: String, personalNumberCheck: Bool, composite: Bool
    ) -> MRZLayout {
        let trailing = (composite ? 1 : 0) + (personalNumberCheck ? 1 : 0)
        return MRZLayout(
            format: format, lineCount: 2, lineLength: length, documentCodeStarts: Array(starts.utf8),
            name: MRZSpan(1, 6, length - 5), documentNumber: MRZSpan(2, 1, 9), documentNumberCheck: MRZSpan(2, 10),
            nationality: MRZSpan(2, 11, 3), dateOfBirth: MRZSpan(2, 14, 6), dateOfBirthCheck: MRZSpan(2, 20),
            sex: MRZSpan(2, 21), dateOfExpiry: MRZSpan(2, 22, 6), dateOfExpiryCheck: MRZSpan(2, 28),
            optionalData: MRZSpan(2, 29, length - 28 - trailing),
            optionalDataCheck: personalNumberCheck ? MRZSpan(2, length - 1) : nil, optionalData2: nil,
            composite: composite ? MRZSpan(2, length) : nil,
            compositeCovers: composite ? [MRZSpan(2, 1, 10), MRZSpan(2, 14, 7), MRZSpan(2, 22, length - 22)] : [],
            numberMayContinue: false)
    }
}
