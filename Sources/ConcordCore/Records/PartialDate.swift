/// A date known only in part, as dates of birth often are: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
public struct PartialDate: Sendable, Hashable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int?
    /// Only with a month.
    public let day: Int?

    public init?(year: Int, month: Int? = nil, day: Int? = nil) {
        guard (1900...2999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
            if let day, !(1...CalendarDate.days(inMonth: month, year: year)).contains(day) { return nil }
        } else if day != nil {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ date: CalendarDate) {
        year = date.year
        month = date.month
        day = date.day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count) else { return nil }
        var numbers: [Int] = []
        for (part, width) in zip(parts, widths) {
            guard part.count == width, part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part) else {
                return nil
            }
            numbers.append(number)
        }
        self.init(
            year: numbers[0], month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
    }

    /// The full date, when the day is known.
    public var calendarDate: CalendarDate? {
        guard let month, let day else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// As written with a separator of the caller's choice: the public notices API uses `/`.
    public func formatted(separator: String) -> String {
        // Written byte by byte: explanations format a date for every candidate they show.
        let yearDigits = (1000...9999).contains(year) ? nil : String(year).utf8
        let capacity = (yearDigits?.count ?? 4) + 2 * (separator.utf8.count + 2)
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var position = 0
            func put(_ bytes: some Sequence<UInt8>) {
                for byte in bytes {
                    buffer[position] = byte
                    position += 1
                }
            }
            func put(twoDigits value: Int) {
                buffer[position] = UInt8(ascii: "0") + UInt8(value / 10)
                buffer[position + 1] = UInt8(ascii: "0") + UInt8(value % 10)
                position += 2
            }
            if let yearDigits {
                put(yearDigits)
            } else {
                // Four digits, as nearly every year is, without making a string of them first.
                put(twoDigits: year / 100)
                put(twoDigits: year % 100)
            }
            if let month {
                put(separator.utf8)
                put(twoDigits: month)
            }
            if let day {
                put(separator.utf8)
                put(twoDigits: day)
            }
            return position
        }
    }

    public var description: String { formatted(separator: "-") }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = PartialDate(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(text)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Whether this date could be `other`: parts known on both sides agree.
    public func isCompatible(with other: PartialDate) -> Bool {
        year == other.year && (month == nil || other.month == nil || month == other.month)
            && (day == nil || other.day == nil || day == other.day)
    }
}
