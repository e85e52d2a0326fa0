import Foundation

/// TAXII 2.1's media type and the query parameters of its object, manifest and versions
/// endpoints (§3.4, §3.5), read strictly: an unknown `match[...]` field or a malformed value is
/// a 400 naming the parameter, not a silently ignored filter.
public enum TAXII {
    public static let mediaType = "application/taxii+json;version=2.1"
    public static let stixMediaType = "application/stix+json;version=2.1"
    public static let defaultPageSize = 100
    public static let maximumPageSize = 1000

    /// Whether an `Accept` header admits TAXII 2.1 JSON; a client that accepts only other
    /// types gets 406.
    public static func accepts(_ header: String?) -> Bool {
        guard let header, !header.isEmpty else { return true }
        return header.split(separator: ",").contains { range in
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { return false }
            if type == "*/*" || type == "application/*" { return true }
            guard type == "application/taxii+json" else { return false }
            let version = parts.dropFirst().first { $0.hasPrefix("version=") }
            return version == nil || version == "version=2.1"
        }
    }

    /// Whether a request body's `Content-Type` is TAXII 2.1 JSON; anything else is 415.
    public static func isTAXIIContent(_ header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard parts.first == "application/taxii+json" else { return false }
        let version = parts.dropFirst().first { $0.hasPrefix("version=") }
        return version == nil || version == "version=2.1"
    }
}

/// The filters of one TAXII request, ready to become a `GatewayQuery`.
public struct TAXIIFilter: Sendable, Hashable {
    public var addedAfter: Date?
    public var limit: Int
    public var next: Int64?
    public var ids: [String] = []
    public var types: [String] = []
    public var versions: GatewayVersions = .last
    public var specVersions: [String] = []

    /// Which parameters an endpoint takes: a single object's endpoint has no `match[id]`, and
    /// versions take only `added_after`, `limit`, `next` and `match[spec_version]`.
    public struct Allowed: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let id = Allowed(rawValue: 1)
        public static let type = Allowed(rawValue: 2)
        public static let version = Allowed(rawValue: 4)
        public static let all: Allowed = [.id, .type, .version]
    }

    /// Reads the query parameters; every problem names the parameter.
    public init(parameters: [(name: String, value: String)], allowed: Allowed = .all) throws(DomainError) {
        limit = TAXII.defaultPageSize
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard seen.insert(name).inserted else {
                throw DomainError.invalid(field: name, "given more than once; separate several values with commas")
            }
            let values = value.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard !values.contains(where: \.isEmpty) else {
                throw DomainError.invalid(field: name, "has an empty value")
            }
            switch name {
            case "added_after":
                guard let time = STIXTimestamp(value) else {
                    throw DomainError.invalid(field: name, "must be a UTC time such as 2024-05-01T12:00:00.000000Z")
                }
                addedAfter = Date(microsecondsSince1970: time.microsecondsSince1970)
            case "limit":
                guard let number = Int(value), number > 0 else {
                    throw DomainError.invalid(field: name, "must be a positive whole number")
                }
                // The server may return fewer than asked; it says so through `more` and `next`.
                limit = min(number, TAXII.maximumPageSize)
            case "next":
                guard let cursor = Int64(value), cursor >= 0 else {
                    throw DomainError.invalid(field: name, "is not a value this server returned")
                }
                next = cursor
            case "match[id]" where allowed.contains(.id):
                guard values.allSatisfy({ STIXIdentifier.type(of: $0) != nil }) else {
                    throw DomainError.invalid(field: name, "takes STIX ids such as indicator--<UUID>")
                }
                ids = values
            case "match[type]" where allowed.contains(.type):
                guard values.allSatisfy(STIXIdentifier.isValidType) else {
                    throw DomainError.invalid(field: name, "takes STIX type names such as indicator")
                }
                types = values
            case "match[version]" where allowed.contains(.version):
                versions = try Self.versions(values, field: name)
            case "match[spec_version]":
                guard values.allSatisfy({ $0 == "2.0" || $0 == "2.1" }) else {
                    throw DomainError.invalid(field: name, "takes 2.0 or 2.1")
                }
                specVersions = values
            default:
                throw DomainError.invalid(field: name, "is not a parameter of this endpoint")
            }
        }
    }

    static func versions(_ values: [String], field: String) throws(DomainError) -> GatewayVersions {
        var versions = GatewayVersions()
        for value in values {
            switch value {
            case "all": versions.all = true
            case "first": versions.first = true
            case "last": versions.last = true
            default:
                guard let time = STIXTimestamp(value) else {
                    throw DomainError.invalid(
                        field: field, "takes first, last, all or versions such as 2024-05-01T12:00:00.000Z")
                }
                versions.exactly.append(time)
            }
        }
        return versions
    }

    public func query(collection: String) -> GatewayQuery {
        GatewayQuery(
            collection: collection, addedAfter: addedAfter, cursor: next, limit: limit, ids: ids, types: types,
            versions: versions, specVersions: specVersions)
    }
}
