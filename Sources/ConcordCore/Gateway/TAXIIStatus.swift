import Foundation

/// A TAXII 2.1 status resource (§4.3.1): what became of each object of one envelope. Concord
/// adds objects before it answers, so a status is always `complete`.
public struct TAXIIStatus: Sendable, Hashable, Encodable {
    public struct Detail: Sendable, Hashable, Encodable {
        public var id: String
        public var version: String
        public var message: String?

        public init(id: String, version: String, message: String?) {
            self.id = id
            self.version = version
            self.message = message
        }
    }

    public var id: String
    public var requestTimestamp: STIXTimestamp
    public var successes: [Detail] = []
    public var failures: [Detail] = []

    public init(id: String, requestTimestamp: STIXTimestamp) {
        self.id = id
        self.requestTimestamp = requestTimestamp
    }

    enum CodingKeys: String, CodingKey {
        case id, status
        case requestTimestamp = "request_timestamp"
        case totalCount = "total_count"
        case successCount = "success_count"
        case successes
        case failureCount = "failure_count"
        case failures
        case pendingCount = "pending_count"
        case pendings
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("complete", forKey: .status)
        try container.encode(requestTimestamp.text, forKey: .requestTimestamp)
        try container.encode(successes.count + failures.count, forKey: .totalCount)
        try container.encode(successes.count, forKey: .successCount)
        try container.encode(successes, forKey: .successes)
        try container.encode(failures.count, forKey: .failureCount)
        try container.encode(failures, forKey: .failures)
        try container.encode(0, forKey: .pendingCount)
        try container.encode([Detail](), forKey: .pendings)
    }
}
