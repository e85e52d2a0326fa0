/// The MRZ character set (A–Z, 0–9 and the filler '<') as ASCII bytes, and the letter/digit pairs that
/// OCR-B readers are known to confuse.
enum MRZAlphabet {
    static let filler = UInt8(ascii: "<")

    /// Check digit value: digits count themselves, A–Z count 10–35, the filler counts 0.
    static func value(of byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 10
        case filler: 0
        default: nil
        }
    }

    static func isValid(_ byte: UInt8) -> Bool { value(of: byte) != nil }
    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

    /// Letter and digit shapes that OCR mixes up, most likely reading first.
    static let confusions: [(letter: UInt8, digit: UInt8)] = {
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [
            ("O", "0"), ("Q", "0"), ("D", "0"), ("I", "1"), ("L", "1"), ("Z", "2"), ("S", "5"), ("G", "6"),
            ("B", "8"),
        ]
        return pairs.map { (UInt8(ascii: $0.0), UInt8(ascii: $0.1)) }
    }()

    /// The digit a letter in a numeric position was probably meant to be.
    static func digit(for letter: UInt8) -> UInt8? { confusions.first { $0.letter == letter }?.digit }

    /// The letter a digit in a letters-only position was probably meant to be.
    static func letter(for digit: UInt8) -> UInt8? { confusions.first { $0.digit == digit }?.letter }

    /// Every character this one may have been misread from, either way round.
    static func lookalikes(of byte: UInt8) -> [UInt8] {
        confusions.compactMap { pair in
            pair.letter == byte ? pair.digit : pair.digit == byte ? pair.letter : nil
        }
    }
}
