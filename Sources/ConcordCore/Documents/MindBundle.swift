import Crypto
import Foundation

/// An offline copy of the documents a member may check (MIND): a full bundle, or the changes
/// since an earlier one. A bundle is signed by the node that made it, and the copy is only
/// ever built from an unbroken chain of bundles whose signatures hold.
public struct MindBundle: Sendable, Hashable, Codable {
    public static let format = "concord-mind-1"

    public var format: String
    /// The member the bundle was cut for; it holds exactly what that member may check.
    public var member: MemberCode
    public var generatedAt: Date
    /// The journal position the bundle continues from (0: a full bundle) and the one it reaches.
    public var since: Int64
    public var position: Int64
    public var documents: [MindDocument]
    /// Records to drop: withdrawn, or no longer served.
    public var removed: [RecordID]

    public init(
        member: MemberCode, generatedAt: Date, since: Int64, position: Int64, documents: [MindDocument],
        removed: [RecordID]
    ) {
        self.format = Self.format
        self.member = member
        self.generatedAt = generatedAt
        self.since = since
        self.position = position
        self.documents = documents
        self.removed = removed
    }

    public var isFull: Bool { since == 0 }
}

/// What an officer needs offline to act on a hit: the actionable subset and the review date,
/// after which the record must not be matched even if no later bundle removed it.
public struct MindDocument: Sendable, Hashable, Codable {
    public var id: RecordID
    public var owner: MemberCode
    public var issuer: IssuerCode
    public var type: DocumentType
    public var number: String
    public var status: DocumentStatus
    public var reviewDate: Date

    public init(_ record: TravelDocumentRecord) {
        id = record.envelope.id
        owner = record.envelope.owner
        issuer = record.document.issuer
        type = record.document.type
        number = record.document.number
        status = record.document.status
        reviewDate = record.envelope.reviewDate
    }
}

public enum MindExport {
    public enum Entry: Sendable, Hashable {
        case include(MindDocument)
        case remove(RecordID)
        /// Never visible to the member: not even its removal may be mentioned.
        case omit
    }

    /// How a record appears in a member's bundle. A record that stopped being served appears
    /// as a removal only if the member could have held it, which its restrictions tell: they
    /// are set when the record is created and never change afterwards, so a member they
    /// exclude never received it.
    public static func entry(for record: TravelDocumentRecord, principal: Principal, at now: Date) -> Entry {
        let facts = record.envelope.facts(at: now)
        if Policy.decide(principal, .check, .record(facts)).isAllowed { return .include(MindDocument(record)) }
        // Would the policy have let the member check it while it was served?
        var served = facts
        served.status = .active
        served.pastReview = false
        guard Policy.decide(principal, .check, .record(served)).isAllowed else { return .omit }
        return .remove(record.envelope.id)
    }
}

/// The Ed25519 key a node signs bundles with. Every node of one installation must share it,
/// so that a copy built from bundles of different nodes verifies against one trusted key.
public struct MindSigningKey: Sendable {
    /// The 32-byte seed; the key object is rebuilt for each signature, which costs little next
    /// to signing a bundle, and keeps this type plain data.
    private let seed: Data
    public let publicKey: MindPublicKey

    public init() {
        let key = Curve25519.Signing.PrivateKey()
        seed = key.rawRepresentation
        publicKey = MindPublicKey(raw: key.publicKey.rawRepresentation)
    }

    /// From the seed as kept in a key file (hex).
    public init?(hex text: String) {
        guard let bytes = bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        else { return nil }
        seed = Data(bytes)
        publicKey = MindPublicKey(raw: key.publicKey.rawRepresentation)
    }

    public var hex: String { ConcordCore.hex(seed) }

    public func sign(_ data: Data) throws -> Data {
        try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: data)
    }
}

/// The public half, which offline copies trust; written and read as hex.
public struct MindPublicKey: Sendable, Hashable {
    private let raw: Data

    fileprivate init(raw: Data) {
        self.raw = raw
    }

    public init?(hex text: String) {
        guard let bytes = bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32,
            (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        else { return nil }
        raw = Data(bytes)
    }

    public var hex: String { ConcordCore.hex(raw) }

    public func verifies(_ signature: Data, for data: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: data)
    }
}

func bytes(hex text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(digits.count / 2)
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
        bytes.append(high << 4 | low)
    }
    return bytes
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}

public enum MindError: Error, Sendable, Equatable, CustomStringConvertible {
    case badSignature(String)
    case unreadable(String)
    case brokenChain(String)

    public var description: String {
        switch self {
        case .badSignature(let file):
            "\(file): the signature does not match; the bundle was altered or not signed by the trusted key"
        case .unreadable(let detail): detail
        case .brokenChain(let detail): detail
        }
    }
}

/// The offline copy built from a chain of verified bundles.
public struct MindReplica: Sendable {
    public private(set) var member: MemberCode?
    public private(set) var position: Int64 = 0
    private var documents: [RecordID: MindDocument] = [:]
    private var byKey: [DocumentKey: Set<RecordID>] = [:]

    public init() {}

    public var count: Int { documents.count }

    /// Verifies a bundle against the trusted key and applies it after the ones before.
    public mutating func apply(
        bundle data: Data, signature: Data, trusting key: MindPublicKey, name: String
    ) throws(MindError) {
        guard key.verifies(signature, for: data) else { throw .badSignature(name) }
        let bundle: MindBundle
        do {
            bundle = try ConcordJSON.decoder().decode(MindBundle.self, from: data)
        } catch {
            throw .unreadable("\(name): not a bundle: \(error)")
        }
        guard bundle.format == MindBundle.format else { throw .unreadable("\(name): unknown format \(bundle.format)") }
        if bundle.isFull {
            self = MindReplica()
        } else {
            guard bundle.since == position, bundle.member == member else {
                throw .brokenChain("\(name) continues from \(bundle.since), but the copy is at \(position)")
            }
        }
        member = bundle.member
        for id in bundle.removed { remove(id) }
        for document in bundle.documents {
            remove(document.id)
            documents[document.id] = document
            if let key = try? DocumentKey(issuer: document.issuer, type: document.type, number: document.number) {
                byKey[key, default: []].insert(document.id)
            }
        }
        position = bundle.position
    }

    private mutating func remove(_ id: RecordID) {
        guard let old = documents.removeValue(forKey: id),
            let key = try? DocumentKey(issuer: old.issuer, type: old.type, number: old.number)
        else { return }
        byKey[key]?.remove(id)
        if byKey[key]?.isEmpty == true { byKey[key] = nil }
    }

    /// The documents recorded under a key and still within their review date.
    public func matches(_ key: DocumentKey, at now: Date) -> [MindDocument] {
        (byKey[key] ?? []).compactMap { documents[$0] }.filter { $0.reviewDate > now }.sorted {
            $0.id.rawValue < $1.id.rawValue
        }
    }
}
