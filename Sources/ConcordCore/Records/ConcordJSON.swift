import Foundation

/// The one JSON dialect of Concord: ISO 8601 times with milliseconds, in UTC.
public enum ConcordJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timestampStyle))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? timestampStyle.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO 8601 time")
        }
        return decoder
    }

    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// A time as Concord writes it; such strings sort in time order.
    public static func timestamp(_ date: Date) -> String { date.formatted(timestampStyle) }
}

/// A value that writes its commonest shapes by hand, byte for byte as `ConcordJSON.encoder()`
/// would; nil leaves it to the encoder.
public protocol HandEncodedJSON: Encodable {
    var handEncodedJSON: [UInt8]? { get }
}

extension Date {
    /// Times are kept to the millisecond so that they survive every encoding unchanged.
    public var truncatedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
