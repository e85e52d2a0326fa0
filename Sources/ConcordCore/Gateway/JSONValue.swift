/// Any JSON value, as STIX objects arrive: their properties are open-ended, so they are
/// validated as trees rather than decoded into fixed types, and stored as sent.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value) where value.rounded() == value && abs(value) < 1e18: Int64(value)
        default: nil
        }
    }

    public subscript(key: String) -> JSONValue? { object?[key] }
}

extension JSONValue {
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Offset in bytes from the start of the text.
        public var offset: Int
        public var reason: String
        public var description: String { "byte \(offset + 1): \(reason)" }
    }

    /// Parses RFC 8259 JSON (UTF-8, at most 64 levels deep).
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.document()
    }

    /// Parses a JSON value and, when it is an object with an array `property`, where each
    /// element of that array was written, so that a TAXII envelope's objects can be stored
    /// exactly as sent without being encoded again.
    public static func parse(
        _ bytes: [UInt8], keepingElementsOf property: String
    ) throws(SyntaxError) -> (value: JSONValue, elements: [Range<Int>]) {
        var parser = JSONParser(bytes)
        parser.watched = Array(property.utf8)
        let value = try parser.document()
        return (value, parser.elements)
    }
}

/// A recursive-descent JSON reader over bytes.
struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0
    /// The property of the outermost object whose array elements' positions are kept.
    var watched: [UInt8]?
    var elements: [Range<Int>] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONValue.SyntaxError) -> JSONValue {
        skipBlanks()
        let value = try self.value()
        skipBlanks()
        guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    func fail(_ reason: String) -> JSONValue.SyntaxError { JSONValue.SyntaxError(offset: index, reason: reason) }

    mutating func skipBlanks() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func expect(_ byte: UInt8) throws(JSONValue.SyntaxError) {
        skipBlanks()
        guard index < bytes.count, bytes[index] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    mutating func value() throws(JSONValue.SyntaxError) -> JSONValue {
        skipBlanks()
        guard index < bytes.count else { throw fail("unexpected end of the text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array(keepingElements: false)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws(JSONValue.SyntaxError) -> JSONValue {
        let text = Array(word.utf8)
        guard bytes.count - index >= text.count, bytes[index..<(index + text.count)].elementsEqual(text) else {
            throw fail("unexpected character")
        }
        index += text.count
        return value
    }

    mutating func nested() throws(JSONValue.SyntaxError) {
        depth += 1
        guard depth <= 64 else { throw fail("nested more than 64 levels deep") }
    }

    mutating func object() throws(JSONValue.SyntaxError) -> JSONValue {
        try nested()
        index += 1
        var members: [String: JSONValue] = [:]
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipBlanks()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a property name")
            }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            skipBlanks()
            if let watched, depth == 1, key.utf8.elementsEqual(watched), index < bytes.count,
                bytes[index] == UInt8(ascii: "[")
            {
                elements = []
                members[key] = try array(keepingElements: true)
            } else {
                members[key] = try value()
            }
            skipBlanks()
            guard index < bytes.count else { throw fail("unexpected end of the text") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
            index += 1
            depth -= 1
            return .object(members)
        }
    }

    mutating func array(keepingElements: Bool) throws(JSONValue.SyntaxError) -> JSONValue {
        try nested()
        index += 1
        var items: [JSONValue] = []
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipBlanks()
            let start = index
            let item = try value()
            if keepingElements { elements.append(start..<index) }
            items.append(item)
            skipBlanks()
            guard index < bytes.count else { throw fail("unexpected end of the text") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
            index += 1
            depth -= 1
            return .array(items)
        }
    }

    mutating func string() throws(JSONValue.SyntaxError) -> String {
        index += 1
        let start = index
        // The common case, no escapes: one validated copy of the bytes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw fail("control character in a string") }
            index += 1
        }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            guard let text = String(validating: bytes[start..<index], as: UTF8.self) else {
                throw fail("the string is not valid UTF-8")
            }
            index += 1
            return text
        }
        var decoded = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                break
            }
            guard byte >= 0x20 else { throw fail("control character in a string") }
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw fail("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw fail("unpaired surrogate") }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw fail("unpaired surrogate") }
                decoded.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw fail("unknown escape")
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw fail("the string is not valid UTF-8") }
        return text
    }

    mutating func hex4() throws(JSONValue.SyntaxError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw fail("\\u needs four hexadecimal digits") }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            guard let digit = hexDigit(byte) else { throw fail("\\u needs four hexadecimal digits") }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x37
        case 0x61...0x66: byte - 0x57
        default: nil
        }
    }

    mutating func number() throws(JSONValue.SyntaxError) -> JSONValue {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { throw fail("unexpected character") }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw fail("numbers have no leading zeros")
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            isInteger = false
            guard digits() > 0 else { throw fail("expected a digit after '.'") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            isInteger = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { throw fail("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { throw fail("the number is out of range") }
        return .number(value)
    }
}
