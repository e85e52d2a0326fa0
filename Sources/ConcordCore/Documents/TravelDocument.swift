import Foundation

public enum DocumentType: String, Sendable, Hashable, Codable, CaseIterable {
    case passport
    case idCard = "id-card"
    case visa
    case residencePermit = "residence-permit"
    case other
}

extension DocumentType {
    /// The type whose code these bytes spell, as stores hand back millions of keys at start.
    /// The codes differ in length, so the length picks the one code to compare with.
    init?(codeBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count < Self.byCodeLength.count, let (type, code) = Self.byCodeLength[bytes.count],
            bytes.elementsEqual(code)
        else { return nil }
        self = type
    }

    private static let byCodeLength: [(type: DocumentType, code: [UInt8])?] = {
        let codes = allCases.map { ($0, Array($0.rawValue.utf8)) }
        var table = [(type: DocumentType, code: [UInt8])?](repeating: nil, count: 1 + codes.map(\.1.count).max()!)
        for (type, code) in codes {
            precondition(table[code.count] == nil, "two document type codes of one length")
            table[code.count] = (type, code)
        }
        return table
    }()
}

public enum DocumentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case stolen
    /// Stolen before personalisation: the number exists but no holder was ever assigned.
    case stolenBlank = "stolen-blank"
    case lost
    case revoked
}

/// What identifies a document everywhere: issuer, type and number as normalised.
public struct DocumentKey: Sendable, Hashable, CustomStringConvertible {
    public let issuer: IssuerCode
    public let type: DocumentType
    public let number: String
    /// A 64-bit hash of the key (`keyDigest(issuerBits:type:number:)`), worked out once when the key
    /// is made. The document index places and finds keys by it: hashing is most of a lookup's
    /// work besides its one read from memory, and a lookup that must first walk two strings
    /// runs too long for the processor to start the next one while the read is outstanding.
    public let digest: UInt64

    public static let maximumNumberLength = 30

    public init(issuer: IssuerCode, type: DocumentType, number: String) throws(DomainError) {
        var number = try DocumentKey.normalize(number: number)
        self.issuer = issuer
        self.type = type
        self.digest = number.withUTF8 {
            DocumentKey.keyDigest(
                issuerBits: DocumentKey.issuerBits(issuer.rawValue.utf8), type: type, number: UnsafeRawBufferPointer($0)
            )
        }
        self.number = number
    }

    public static func == (left: DocumentKey, right: DocumentKey) -> Bool {
        left.digest == right.digest && left.number == right.number && left.issuer == right.issuer
            && left.type == right.type
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// Officers type numbers as printed: in any case, with spaces, dashes, slashes or dots, and
    /// MRZ fillers. None of these are part of the number, so all are dropped.
    public static func normalize(number: String) throws(DomainError) -> String {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(number.utf8.count)
        for byte in number.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                normalized.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                normalized.append(byte - 32)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "."),
                UInt8(ascii: "<"), UInt8(ascii: "_"), UInt8(ascii: "\t"):
                continue
            default:
                throw DomainError.invalid(
                    field: "number", "document numbers contain only letters A-Z, digits and separators")
            }
        }
        if normalized.isEmpty {
            throw DomainError.invalid(field: "number", "document number is empty")
        }
        if normalized.count > maximumNumberLength {
            throw DomainError.invalid(field: "number", "at most \(maximumNumberLength) letters and digits")
        }
        return String(decoding: normalized, as: UTF8.self)
    }

    /// The store's uniqueness key among active documents.
    public var lookupKey: String { "\(issuer.rawValue)|\(type.rawValue)|\(number)" }
    public var description: String { lookupKey }
}

extension DocumentKey {
    /// The key a `lookupKey` was made from; nil for text no key produces. Stores hand back
    /// millions of these when an index is built, so the number is checked, not normalised again.
    public init?(lookupKey: String) {
        var text = lookupKey
        guard let key = text.withUTF8({ DocumentKey(lookupKeyBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = key
    }

    /// `init(lookupKey:)` from the key's UTF-8 bytes, as a store reads them, without making a
    /// string of the whole key. Issuers are read from their canonical code's bytes.
    public init?(lookupKeyBytes bytes: UnsafeRawBufferPointer) {
        let bar = UInt8(ascii: "|")
        guard let first = bytes.firstIndex(of: bar), let second = bytes[(first + 1)...].firstIndex(of: bar),
            case let issuerBytes = UnsafeRawBufferPointer(rebasing: bytes[..<first]),
            let issuer = IssuerCode(canonicalBytes: issuerBytes),
            let type = DocumentType(codeBytes: UnsafeRawBufferPointer(rebasing: bytes[(first + 1)..<second]))
        else { return nil }
        let number = bytes[(second + 1)...]
        guard (1...Self.maximumNumberLength).contains(number.count),
            number.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) })
        else { return nil }
        self.issuer = issuer
        self.type = type
        self.number = String(decoding: number, as: UTF8.self)
        // The canonical code's bytes are the issuer's, so its bits come from them.
        self.digest = DocumentKey.keyDigest(
            issuerBits: DocumentKey.issuerBits(issuerBytes), type: type,
            number: UnsafeRawBufferPointer(rebasing: number))
    }
}

/// What the document index needs of a travel document. Stores read it from columns, so that
/// building the index at start never decodes a record: at 100 million records, decoding is
/// what would take the time.
public struct DocumentIndexRow: Sendable, Hashable {
    /// The id's 128 bits (`RecordID.uuidBits`): travel documents have UUID ids, and both the
    /// stores and the index keep them as numbers, so they are handed over as numbers rather
    /// than written out as text for the index to parse back, a hundred million times at start.
    public var uuidBits: (high: UInt64, low: UInt64) { (idHigh, idLow) }
    private var idHigh: UInt64
    private var idLow: UInt64
    public var key: DocumentKey
    public var owner: MemberCode
    public var restrictions: Restrictions
    public var reviewDate: Date
    public var isActive: Bool

    public var id: RecordID { RecordID(uuidBits: uuidBits) }

    public init(
        uuidBits: (high: UInt64, low: UInt64), key: DocumentKey, owner: MemberCode, restrictions: Restrictions,
        reviewDate: Date, isActive: Bool
    ) {
        (idHigh, idLow) = uuidBits
        self.key = key
        self.owner = owner
        self.restrictions = restrictions
        self.reviewDate = reviewDate
        self.isActive = isActive
    }
}

/// A stolen, lost or revoked travel document as its issuing member recorded it.
public struct TravelDocument: Sendable, Hashable, Codable {
    public var issuer: IssuerCode
    public var type: DocumentType
    /// As recorded, for display; matching uses `key`.
    public var number: String
    public var status: DocumentStatus
    public var dateOfIssue: CalendarDate?
    public var dateOfExpiry: CalendarDate?
    public var dateOfTheftOrLoss: CalendarDate?
    public var nationalReference: String?

    public var key: DocumentKey {
        get throws(DomainError) { try DocumentKey(issuer: issuer, type: type, number: number) }
    }
}

/// A travel document in its envelope.
public struct TravelDocumentRecord: Sendable, Hashable {
    public var envelope: Envelope
    public var document: TravelDocument
    public var version: Int

    public init(envelope: Envelope, document: TravelDocument, version: Int) {
        self.envelope = envelope
        self.document = document
        self.version = version
    }

    public init(_ stored: StoredRecord) throws {
        envelope = stored.envelope
        document = try ConcordJSON.decoder().decode(TravelDocument.self, from: stored.body)
        version = stored.version
    }

    public func stored() throws -> StoredRecord {
        try stored(encoder: ConcordJSON.encoder())
    }

    /// With an encoder the caller reuses: making one per record is most of the cost of a bulk import.
    public func stored(encoder: JSONEncoder) throws -> StoredRecord {
        StoredRecord(
            envelope: envelope, lookupKey: try document.key.lookupKey,
            body: try DocumentJSONFastPath.encode(document) ?? encoder.encode(document), version: version)
    }
}

extension DocumentKey {
    /// Issuer and type in one word, then the number eight bytes at a time, then a 64-bit
    /// finaliser so that every bit depends on every byte.
    ///
    /// Stable across versions: the document index's snapshots hold bits of it, so changing it
    /// (or a type's code) needs a new snapshot format version.
    static func keyDigest(issuerBits: UInt64, type: DocumentType, number: UnsafeRawBufferPointer) -> UInt64 {
        var hash = (issuerBits << 8 | UInt64(typeCode(type))) &* 0x9e37_79b9_7f4a_7c15
        hash ^= UInt64(number.count) &* 0xc4ce_b9fe_1a85_ec53
        func round(_ word: UInt64) {
            hash = (hash ^ word) &* 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 32
        }
        var offset = 0
        while offset + 8 <= number.count {
            round(UInt64(littleEndian: number.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < number.count {
            var tail: UInt64 = 0
            for (shift, byte) in number[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(shift)) }
            round(tail)
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// The issuer code's bytes in one word, the first byte highest.
    static func issuerBits(_ code: some Sequence<UInt8>) -> UInt64 {
        code.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Fixed codes, not positions in `allCases`, so reordering the cases keeps digests.
    private static func typeCode(_ type: DocumentType) -> UInt8 {
        switch type {
        case .passport: 1
        case .idCard: 2
        case .visa: 3
        case .residencePermit: 4
        case .other: 5
        }
    }
}
