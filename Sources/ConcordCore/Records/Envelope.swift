import Foundation

public struct RecordID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static func random() -> RecordID { RecordID(rawValue: UUID().uuidString.lowercased()) }
    public var description: String { rawValue }
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
