import Foundation

/// STIX identifiers: `type--UUID`, where the type names the object's kind.
public enum STIXIdentifier {
    /// 3 to 250 characters of ASCII lower-case letters, digits and single hyphens, starting
    /// with a letter or digit (STIX 2.1 §3.1, type names).
    public static func isValidType(_ type: String) -> Bool {
        let bytes = Array(type.utf8)
        guard (3...250).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        } && !type.contains("--")
    }

    /// The type of a well-formed identifier, or nil: the UUID must be lower-case and RFC 4122
    /// (variant 10xx). Read byte by byte: every object of every envelope has several ids.
    public static func type(of identifier: String) -> String? {
        let bytes = Array(identifier.utf8)
        let hyphen = UInt8(ascii: "-")
        guard let separator = bytes.indices.dropLast().first(where: { bytes[$0] == hyphen && bytes[$0 + 1] == hyphen }),
            bytes.count - separator - 2 == 36
        else { return nil }
        let uuid = bytes[(separator + 2)...]
        for (offset, byte) in uuid.enumerated() {
            let isHex =
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            guard [8, 13, 18, 23].contains(offset) ? byte == hyphen : isHex else { return nil }
        }
        guard
            [UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(
                uuid[uuid.startIndex + 19])
        else { return nil }
        let type = String(decoding: bytes[..<separator], as: UTF8.self)
        return isValidType(type) ? type : nil
    }
}

/// An RFC 3339 time in UTC as STIX writes it: `2016-05-12T08:17:27.000Z`.
public struct STIXTimestamp: Sendable, Hashable, Comparable {
    /// Seconds since 1970, and the fraction as written, so that two precisions compare exactly.
    public let seconds: Int64
    public let nanoseconds: Int32
    /// As written, so that a version reads back exactly as the partner sent it.
    public let text: String

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), hour < 24, minute < 60, second < 61
        else { return nil }
        let leap = year.isMultiple(of: 4) && (!year.isMultiple(of: 100) || year.isMultiple(of: 400))
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }
        var nanoseconds = 0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, bytes.count - 21 <= 9,
                let fraction = number(20..<(bytes.count - 1))
            else { return nil }
            var scale = 1
            for _ in 0..<(9 - (bytes.count - 21)) { scale *= 10 }
            nanoseconds = fraction * scale
        } else if bytes.count != 20 {
            return nil
        }
        // Days from the civil date (proleptic Gregorian), without Foundation's calendars.
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        self.seconds = Int64(days * 86_400 + hour * 3600 + minute * 60 + second)
        self.nanoseconds = Int32(nanoseconds)
        self.text = text
    }

    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9) }

    public static func < (lhs: STIXTimestamp, rhs: STIXTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    public static func == (lhs: STIXTimestamp, rhs: STIXTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) == (rhs.seconds, rhs.nanoseconds)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }
}
