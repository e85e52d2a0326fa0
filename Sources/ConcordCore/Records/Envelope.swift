import Foundation

public struct RecordID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static func random() -> RecordID { RecordID(rawValue: UUID().uuidString.lowercased()) }
    public var description: String { rawValue }
}

extension RecordID {
    /// The id's 128 bits when it is a UUID written as `random()` writes them (lowercase
    /// hexadecimal, 8-4-4-4-12); nil for any other id. Indexes and the embedded store keep such
    /// ids as numbers, and `init(uuidBits:)` gives back the very same text.
    public var uuidBits: (high: UInt64, low: UInt64)? {
        var text = rawValue
        return text.withUTF8 { bytes in
            guard bytes.count == 36 else { return nil }
            var (high, low): (UInt64, UInt64) = (0, 0)
            var digits = 0
            for (position, byte) in bytes.enumerated() {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                default: return nil
                }
                if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
                digits += 1
            }
            return (high, low)
        }
    }

    public init(uuidBits: (high: UInt64, low: UInt64)) {
        let text = String(unsafeUninitializedCapacity: 36) { buffer in
            let hex: StaticString = "0123456789abcdef"
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? uuidBits.high : uuidBits.low
                buffer[position] = hex.utf8Start[Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (nibble % 16))) & 0xF]
                position += 1
            }
            return position
        }
        self.init(rawValue: text)
    }
}

public enum RecordKind: String, Sendable, Hashable, Codable, CaseIterable {
    case travelDocument = "travel-document"
    case notice
    case diffusion
    /// A wanted or missing person in a member's national database, shared for screening.
    case nominalPerson = "nominal-person"
    /// A perceptual or cryptographic hash of known child sexual abuse material (ICSE / Baseline).
    case imageSignature = "image-signature"
    /// The General Secretariat's authorisation of a member's NCB to share ICSE data.
    case icseAuthorisation = "icse-authorisation"

    /// Kinds reached only through the signature bank's own policy target, never through the
    /// generic record targets.
    public var isSignatureBank: Bool { self == .imageSignature || self == .icseAuthorisation }
}

/// The purposes of processing recognised by INTERPOL's Rules on the Processing of Data.
public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
    case wantedPerson = "wanted-person"
    case missingPerson = "missing-person"
    case identification
    case investigation
    case alert
    case borderManagement = "border-management"
    case crimeAnalysis = "crime-analysis"
    case assetRecovery = "asset-recovery"
}

public enum Confidentiality: String, Sendable, Hashable, Codable, CaseIterable {
    case officialUse = "official-use"
    case restricted
    case confidential
}

public enum RecordStatus: String, Sendable, Hashable, Codable {
    case active
    /// Withdrawn by its owner: no longer served, kept for the journal's sake.
    case withdrawn
}

/// What every piece of police data carries, whatever its kind.
public struct Envelope: Sendable, Hashable, Codable {
    public var id: RecordID
    public var kind: RecordKind
    public var owner: MemberCode
    public var purpose: Purpose
    public var restrictions: Restrictions
    public var confidentiality: Confidentiality
    public var createdAt: Date
    public var updatedAt: Date
    public var reviewDate: Date
    public var status: RecordStatus

    public init(
        id: RecordID, kind: RecordKind, owner: MemberCode, purpose: Purpose, restrictions: Restrictions,
        confidentiality: Confidentiality, createdAt: Date, updatedAt: Date, reviewDate: Date,
        status: RecordStatus
    ) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.purpose = purpose
        self.restrictions = restrictions
        self.confidentiality = confidentiality
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.reviewDate = reviewDate
        self.status = status
    }

    /// The facts the policy needs about this record at a given time.
    public func facts(at now: Date) -> RecordFacts {
        RecordFacts(
            kind: kind, owner: owner, restrictions: restrictions, status: status, pastReview: reviewDate <= now)
    }
}

/// A record as the store keeps it: the envelope, an optional key that must be unique among the
/// active records of its kind, and the kind-specific body as JSON.
public struct StoredRecord: Sendable, Hashable {
    public var envelope: Envelope
    public var lookupKey: String?
    public var body: Data
    /// Incremented on every change; writers state the version they read to detect lost updates.
    public var version: Int

    public init(envelope: Envelope, lookupKey: String?, body: Data, version: Int) {
        self.envelope = envelope
        self.lookupKey = lookupKey
        self.body = body
        self.version = version
    }
}
