import Foundation

/// The one JSON dialect of Concord: ISO 8601 times with milliseconds, in UTC.
public enum ConcordJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? timestampStyle.parse(text) {
                // The very time that was written, not the nearest one the parser's arithmetic
                // made, when the text has no more than milliseconds.
                let fraction = text.drop { $0 != "." }.dropFirst().prefix { $0.isNumber }
                return fraction.count <= 3 ? date.truncatedToMilliseconds : date
            }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO 8601 time")
        }
        return decoder
    }

    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// A time as Concord writes it, "2026-12-04T17:25:57.123Z"; such strings sort in time order.
    ///
    /// Written from the time's whole milliseconds rather than by Foundation's ISO 8601 style,
    /// which cuts the fraction off the double: a time made from milliseconds is held a hair
    /// below them about half of the time, and would print, and read back, a millisecond early.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = date.millisecondsSince1970
        let (days, time) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(days: days)
        guard (0...9999).contains(year) else { return date.formatted(timestampStyle) }
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var value = value
            while divisor > 0 {
                text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / divisor)))
                value %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4)
        text += "-"
        append(month, digits: 2)
        text += "-"
        append(day, digits: 2)
        text += "T"
        append(time / 3_600_000, digits: 2)
        text += ":"
        append(time / 60_000 % 60, digits: 2)
        text += ":"
        append(time / 1000 % 60, digits: 2)
        text += "."
        append(time % 1000, digits: 3)
        text += "Z"
        return text
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// The Gregorian year, month and day of a day counted from 1970-01-01, through eras of
    /// 400 years (146,097 days), which repeat exactly; within an era, years are counted from
    /// March, so that the leap day falls at a year's end.
    private static func civilDate(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let (era, dayOfEra) = floorDivision(days + 719_468, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (era * 400 + yearOfEra + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A value that writes its commonest shapes by hand, byte for byte as `ConcordJSON.encoder()`
/// would; nil leaves it to the encoder.
public protocol HandEncodedJSON: Encodable {
    var handEncodedJSON: [UInt8]? { get }
}

extension Date {
    /// Whole milliseconds since 1970. A time made from milliseconds gets exactly them back,
    /// though the double that holds it is often a hair below; any other time is cut down to
    /// its millisecond.
    public var millisecondsSince1970: Int64 {
        let scaled = timeIntervalSince1970 * 1000
        let nearest = scaled.rounded()
        // A double near today's times is exact to a few ten-thousandths of a millisecond.
        return Int64(abs(scaled - nearest) < 0.001 ? nearest : scaled.rounded(.down))
    }

    public init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Times are kept to the millisecond so that they survive every encoding unchanged.
    public var truncatedToMilliseconds: Date { Date(millisecondsSince1970: millisecondsSince1970) }
}
