import Foundation

/// What a correlation query answers: the value as normalised, the warninglists it is on, and
/// the visible versions that name it.
public struct Correlation: Sendable, Hashable, Encodable {
    public var value: String
    public var kind: ObservableKind
    public var warninglists: [String]
    public var objects: [Sighting]
    /// Seen in more than one object: the value links them.
    public var correlated: Bool { Set(objects.map { "\($0.collection) \($0.id)" }).count > 1 }

    /// The most versions one answer considers, so a common value costs a bounded read.
    public static let maximumObjects = 1000

    public init(value: String, kind: ObservableKind, warninglists: [String], objects: [Sighting]) {
        self.value = value
        self.kind = kind
        self.warninglists = warninglists
        self.objects = objects
    }

    public struct Sighting: Sendable, Hashable, Encodable {
        public var apiRoot: String
        public var collection: String
        public var id: String
        public var type: String
        public var version: String
        public var dateAdded: String
        public var tlp: TLPLevel?

        public init(
            apiRoot: String, collection: String, id: String, type: String, version: String, dateAdded: String,
            tlp: TLPLevel?
        ) {
            self.apiRoot = apiRoot
            self.collection = collection
            self.id = id
            self.type = type
            self.version = version
            self.dateAdded = dateAdded
            self.tlp = tlp
        }
    }

    enum CodingKeys: String, CodingKey {
        case value, kind, warninglists, objects, correlated
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(kind, forKey: .kind)
        try container.encode(warninglists, forKey: .warninglists)
        try container.encode(objects, forKey: .objects)
        try container.encode(correlated, forKey: .correlated)
    }

    /// Reads a value as the kind given, or as the kind its form shows.
    public static func observable(_ raw: String, kind: ObservableKind?) -> Observable? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let kind { return Observable(text, as: kind) }
        if text.contains("://") { return Observable(text, as: .url) }
        if let network = IPNetwork(text) { return Observable(text, as: network.address.count == 4 ? .ipv4 : .ipv6) }
        if text.contains("@") { return Observable(text, as: .email) }
        let hashes: [Int: ObservableKind] = [32: .md5, 40: .sha1, 64: .sha256, 128: .sha512]
        if let hash = hashes[text.count], text.allSatisfy(\.isHexDigit) { return Observable(text, as: hash) }
        return Observable(text, as: .domain)
    }
}
