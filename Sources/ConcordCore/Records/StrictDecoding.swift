/// Codable ignores keys it does not know; a police API must not, because a misspelt field
/// (`restriction` for `restrictions`) would silently publish data without the owner's limits.
extension Decoder {
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        // Asking the keys type itself, rather than building a set of its names on every call,
        // matters when millions of records are read at start or imported.
        if let unknown = container.allKeys.first(where: { Keys(stringValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath + [unknown],
                    debugDescription: "unknown field '\(unknown.stringValue)'"))
        }
    }
}

public struct AnyCodingKey: CodingKey, Sendable {
    public let stringValue: String
    public let intValue: Int?
    public init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
    public init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
