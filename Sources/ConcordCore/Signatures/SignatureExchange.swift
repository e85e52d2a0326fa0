import Foundation

// What Baseline partners send and receive: match requests, reports and signed hash lists.
// None of these types carries a signature's source, owner or record id.

/// `POST /v1/signatures/match`.
public struct SignatureMatchRequest: Sendable, Hashable, Decodable {
    public var hashes: [SignatureQuery]
    /// The largest PDQ distance that counts as a match; 31 when absent.
    public var radius: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case hashes, radius
    }

    public init(hashes: [SignatureQuery], radius: Int? = nil) {
        self.hashes = hashes
        self.radius = radius
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hashes = try container.decode([SignatureQuery].self, forKey: .hashes)
        radius = try container.decodeIfPresent(Int.self, forKey: .radius)
    }
}

/// One hash to match. A PDQ hash carries the quality its hasher reported, and optionally the
/// hashes of the image's other seven symmetries (rotations and flips), named as the reference
/// hasher names them (`rotate-90`, `flip-x`, ...): PDQ cannot derive them from a hash, so the
/// partner computes them from its image, as the reference tools do.
public struct SignatureQuery: Sendable, Hashable, Codable {
    public var type: SignatureType
    public var value: String
    public var quality: Int?
    public var dihedral: [String: String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, value, quality, dihedral
    }

    public init(type: SignatureType, value: String, quality: Int? = nil, dihedral: [String: String]? = nil) {
        self.type = type
        self.value = value
        self.quality = quality
        self.dihedral = dihedral
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(SignatureType.self, forKey: .type)
        value = try container.decode(String.self, forKey: .value)
        quality = try container.decodeIfPresent(Int.self, forKey: .quality)
        dihedral = try container.decodeIfPresent([String: String].self, forKey: .dihedral)
    }

    /// Hashes this query counts for against the per-request limit: its own and its variants.
    public var hashCount: Int { 1 + (dihedral?.count ?? 0) }
}

/// A bank signature a query matched: its value (as the hash list publishes it), its category
/// and the distance; for PDQ, the symmetry of the query that matched.
public struct SignatureMatch: Sendable, Hashable, Codable {
    public var type: SignatureType
    public var value: String
    public var category: String
    public var distance: Int
    public var variant: String?

    public init(type: SignatureType, value: String, category: String, distance: Int, variant: String? = nil) {
        self.type = type
        self.value = value
        self.category = category
        self.distance = distance
        self.variant = variant
    }
}

public struct SignatureQueryResult: Sendable, Hashable, Codable {
    /// False when a PDQ hash's quality is below 50: it was not matched.
    public var usable: Bool
    public var reason: String?
    public var matches: [SignatureMatch]

    public init(usable: Bool, reason: String? = nil, matches: [SignatureMatch]) {
        self.usable = usable
        self.reason = reason
        self.matches = matches
    }
}

public struct SignatureMatchResponse: Sendable, Hashable, Codable {
    public var radius: Int
    /// One result per query, in order.
    public var results: [SignatureQueryResult]

    public init(radius: Int, results: [SignatureQueryResult]) {
        self.radius = radius
        self.results = results
    }
}

/// `POST /v1/signatures/reports`: a partner confirmed that its content matches a signature.
public struct SignatureReport: Sendable, Hashable, Decodable {
    /// The bank signature, as a match answer or the hash list gave it.
    public var type: SignatureType
    public var value: String
    /// The partner's own hash of the content, for PDQ.
    public var query: String?
    /// The partner's reference for the content (an upload id, an account), for the police.
    public var contentReference: String?
    public var note: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, value, query, contentReference, note
    }

    public init(
        type: SignatureType, value: String, query: String? = nil, contentReference: String? = nil, note: String? = nil
    ) {
        self.type = type
        self.value = value
        self.query = query
        self.contentReference = contentReference
        self.note = note
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(SignatureType.self, forKey: .type)
        value = try container.decode(String.self, forKey: .value)
        query = try container.decodeIfPresent(String.self, forKey: .query)
        contentReference = try container.decodeIfPresent(String.self, forKey: .contentReference)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    public static let maximumTextLength = 500
}

/// The partner's receipt: the hit's id, to quote to the police.
public struct SignatureReportReceipt: Sendable, Hashable, Codable {
    public var reference: String

    public init(reference: String) {
        self.reference = reference
    }
}

/// A signature as a hash list carries it. After `reviewDate` it must no longer be matched, even
/// if no later list removed it.
public struct ListedSignature: Sendable, Hashable, Codable {
    public var type: SignatureType
    public var value: String
    public var category: String
    public var reviewDate: Date

    public init(type: SignatureType, value: String, category: String, reviewDate: Date) {
        self.type = type
        self.value = value
        self.category = category
        self.reviewDate = reviewDate
    }

    public var key: String { type.key(value) }
}

public struct RemovedSignature: Sendable, Hashable, Codable {
    public var type: SignatureType
    public var value: String

    public init(type: SignatureType, value: String) {
        self.type = type
        self.value = value
    }

    public var key: String { type.key(value) }
}

/// `GET /v1/signatures/list`: every served signature (`since` 0), or the changes since a journal
/// position. A delta is applied by dropping `removed`, then adding `signatures`. Signed with the
/// node's Ed25519 key; the signature covers the body's bytes exactly.
public struct SignatureList: Sendable, Hashable, Codable {
    public static let format = "concord-signatures-1"

    public var format: String
    public var generatedAt: Date
    public var since: Int64
    public var position: Int64
    public var signatures: [ListedSignature]
    public var removed: [RemovedSignature]

    public init(
        generatedAt: Date, since: Int64, position: Int64, signatures: [ListedSignature], removed: [RemovedSignature]
    ) {
        self.format = Self.format
        self.generatedAt = generatedAt
        self.since = since
        self.position = position
        self.signatures = signatures
        self.removed = removed
    }

    public var isFull: Bool { since == 0 }
}

/// The public key that verifies hash lists: `GET /v1/signatures/list/key`.
public struct SignatureListKey: Sendable, Hashable, Codable {
    public var algorithm: String
    public var publicKey: String

    public init(publicKey: MindPublicKey) {
        algorithm = "Ed25519"
        self.publicKey = publicKey.hex
    }
}

public enum SignatureListError: Error, Sendable, Equatable, CustomStringConvertible {
    case badSignature(String)
    case unreadable(String)
    case brokenChain(String)

    public var description: String {
        switch self {
        case .badSignature(let name):
            "\(name): the signature does not match; the list was altered or not signed by the trusted key"
        case .unreadable(let detail), .brokenChain(let detail): detail
        }
    }
}

/// A partner's copy of the hash list, built only from lists whose signatures hold, each
/// continuing exactly where the copy stands.
public struct SignatureListReplica: Sendable {
    public private(set) var position: Int64 = 0
    public private(set) var signatures: [String: ListedSignature] = [:]
    public private(set) var applied = 0

    public init() {}

    /// Verifies a list against the trusted key, then applies it.
    public mutating func apply(
        list data: Data, signature: Data, trusting key: MindPublicKey, name: String
    ) throws(SignatureListError) {
        guard key.verifies(signature, for: data) else { throw .badSignature(name) }
        let list: SignatureList
        do {
            list = try ConcordJSON.decoder().decode(SignatureList.self, from: data)
        } catch {
            throw .unreadable("\(name): not a signature list: \(error)")
        }
        guard list.format == SignatureList.format else { throw .unreadable("\(name): unknown format \(list.format)") }
        if list.isFull {
            self = SignatureListReplica()
        } else {
            guard applied > 0, list.since == position else {
                throw .brokenChain("\(name) continues from \(list.since), but the copy is at \(position)")
            }
        }
        for removed in list.removed { signatures[removed.key] = nil }
        for listed in list.signatures { signatures[listed.key] = listed }
        position = list.position
        applied += 1
    }

    /// The signatures still within their review date.
    public func current(at now: Date) -> [ListedSignature] {
        signatures.values.filter { $0.reviewDate > now }.sorted { $0.key < $1.key }
    }
}
