import Foundation

/// The hash a signature holds: the PDQ perceptual hash of an image, or a cryptographic digest of
/// a file. Values are lowercase hexadecimal of a fixed length.
public enum SignatureType: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case pdq
    case md5
    case sha1
    case sha256

    /// Hexadecimal digits in a value of this type.
    public var hexLength: Int {
        switch self {
        case .pdq, .sha256: 64
        case .md5: 32
        case .sha1: 40
        }
    }

    /// The value in its stored form: trimmed, lowercase, exactly `hexLength` hex digits; nil
    /// for anything else.
    public func normalize(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard trimmed.utf8.count == hexLength,
            trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return trimmed
    }

    /// The value normalised, or the reason it is refused, naming `field`.
    public func validate(_ value: String, field: String) throws(DomainError) -> String {
        guard let normalized = normalize(value) else {
            throw DomainError.invalid(field: field, "a \(rawValue) value is \(hexLength) hexadecimal digits")
        }
        return normalized
    }

    public static func < (lhs: SignatureType, rhs: SignatureType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The one spelling of a signature as a key (`pdq:HEX`): the bank's lookup key, and the key
    /// of hash lists and of the index.
    public func key(_ value: String) -> String { "\(rawValue):\(value)" }
}

/// A signature as the bank keeps it. The source (the case, series or contributor the material
/// came from) is police data: partners never see it.
public struct ImageSignature: Sendable, Hashable, Codable {
    public var type: SignatureType
    public var value: String
    public var category: String
    public var source: String

    public init(type: SignatureType, value: String, category: String, source: String) {
        self.type = type
        self.value = value
        self.category = category
        self.source = source
    }

    /// Unique among the bank's active signatures: one value is shared once.
    public var lookupKey: String { type.key(value) }
}

public struct SignatureRecord: Sendable, Hashable {
    public var envelope: Envelope
    public var signature: ImageSignature
    public var version: Int

    public init(envelope: Envelope, signature: ImageSignature, version: Int) {
        self.envelope = envelope
        self.signature = signature
        self.version = version
    }

    public init(_ stored: StoredRecord) throws {
        guard stored.envelope.kind == .imageSignature else {
            throw DomainError.invalid(field: "kind", "record \(stored.envelope.id) is not an image signature")
        }
        envelope = stored.envelope
        signature = try ConcordJSON.decoder().decode(ImageSignature.self, from: stored.body)
        version = stored.version
    }

    public func stored() throws -> StoredRecord {
        StoredRecord(
            envelope: envelope, lookupKey: signature.lookupKey, body: try ConcordJSON.encoder().encode(signature),
            version: version)
    }
}

/// `POST /v1/signatures`, and each line of `POST /v1/signatures/bulk`.
public struct NewSignature: Sendable, Hashable, Decodable {
    public var type: SignatureType
    public var value: String
    /// Defaults to `baseline`.
    public var category: String?
    public var source: String
    /// The member that shared the material. An NCB records its own (it may omit this); the
    /// General Secretariat names the contributing member.
    public var owner: MemberCode?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, value, category, source, owner
    }

    public init(
        type: SignatureType, value: String, category: String? = nil, source: String, owner: MemberCode? = nil
    ) {
        self.type = type
        self.value = value
        self.category = category
        self.source = source
        self.owner = owner
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(SignatureType.self, forKey: .type)
        value = try container.decode(String.self, forKey: .value)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        source = try container.decode(String.self, forKey: .source)
        owner = try container.decodeIfPresent(MemberCode.self, forKey: .owner)
    }
}

/// What police see of a signature: all of it.
public struct SignatureView: Sendable, Hashable, Codable {
    public var id: RecordID
    public var type: SignatureType
    public var value: String
    public var category: String
    public var source: String
    public var owner: MemberCode
    public var addedAt: Date
    public var reviewDate: Date
    public var status: RecordStatus

    public init(_ record: SignatureRecord) {
        id = record.envelope.id
        type = record.signature.type
        value = record.signature.value
        category = record.signature.category
        source = record.signature.source
        owner = record.envelope.owner
        addedAt = record.envelope.createdAt
        reviewDate = record.envelope.reviewDate
        status = record.envelope.status
    }
}

public enum Signatures {
    public static let defaultCategory = "baseline"
    public static let maximumCategoryLength = 40
    public static let maximumSourceLength = 200
    /// Signatures are not nominal data; they are kept, like travel documents, for ten years
    /// unless withdrawn.
    public static let retentionYears = 10

    /// The signature a request describes, owned by `owner`, or the first field at fault.
    public static func make(
        _ request: NewSignature, owner: MemberCode, id: RecordID, now: Date
    ) throws(DomainError) -> SignatureRecord {
        let value = try request.type.validate(request.value, field: "value")
        let category = try validateCategory(request.category ?? defaultCategory)
        let source = request.source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumSourceLength).contains(source.count) else {
            throw DomainError.invalid(field: "source", "between 1 and \(maximumSourceLength) characters")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let review = calendar.date(byAdding: .year, value: retentionYears, to: now) ?? now
        let envelope = Envelope(
            id: id, kind: .imageSignature, owner: owner, purpose: .identification, restrictions: .none,
            confidentiality: .restricted, createdAt: now, updatedAt: now, reviewDate: review, status: .active)
        return SignatureRecord(
            envelope: envelope,
            signature: ImageSignature(type: request.type, value: value, category: category, source: source),
            version: 1)
    }

    /// Categories are short lowercase names: letters, digits and hyphens.
    public static func validateCategory(_ text: String) throws(DomainError) -> String {
        let category = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard (1...maximumCategoryLength).contains(category.utf8.count),
            category.utf8.allSatisfy({
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-")
            })
        else {
            throw DomainError.invalid(
                field: "category", "1 to \(maximumCategoryLength) lowercase letters, digits and hyphens")
        }
        return category
    }

    public static func withdraw(_ record: SignatureRecord, now: Date) throws(DomainError) -> SignatureRecord {
        guard record.envelope.status == .active else {
            throw DomainError.conflict("the signature is already withdrawn")
        }
        var withdrawn = record
        withdrawn.envelope.status = .withdrawn
        withdrawn.envelope.updatedAt = now
        withdrawn.version += 1
        return withdrawn
    }
}

/// What the policy needs to know about the signature bank.
public struct SignatureBankFacts: Sendable, Hashable {
    /// The signature acted on, or the one about to be created; nil for the bank as a whole,
    /// asked before a lookup so that a role's refusal never depends on a record.
    public var signature: RecordFacts?
    /// Whether the General Secretariat currently authorises the principal's member to share
    /// ICSE data.
    public var contributorAuthorised: Bool

    public init(signature: RecordFacts?, contributorAuthorised: Bool) {
        self.signature = signature
        self.contributorAuthorised = contributorAuthorised
    }
}

/// The General Secretariat's authorisation of one member's NCB to share ICSE data. One record
/// per member, with a fixed id: revoked by withdrawing it, granted again by reactivating it.
public struct ICSEAuthorisation: Sendable, Hashable, Codable {
    public var member: MemberCode
    public var note: String?
    public var active: Bool
    public var updatedAt: Date

    public init(member: MemberCode, note: String?, active: Bool, updatedAt: Date) {
        self.member = member
        self.note = note
        self.active = active
        self.updatedAt = updatedAt
    }

    public static let maximumNoteLength = 500

    public static func recordID(_ member: MemberCode) -> RecordID { RecordID(rawValue: "icse-\(member.rawValue)") }

    struct Body: Codable {
        var note: String?
    }

    public init(_ stored: StoredRecord) throws {
        member = stored.envelope.owner
        note = try ConcordJSON.decoder().decode(Body.self, from: stored.body).note
        active = stored.envelope.status == .active
        updatedAt = stored.envelope.updatedAt
    }

    /// The record granting (or granting again) the authorisation; `existing` is the member's
    /// record if there is one.
    public static func grant(
        _ member: MemberCode, note: String?, existing: StoredRecord?, now: Date
    ) throws(DomainError) -> StoredRecord {
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.isEmpty || note.count > maximumNoteLength {
            throw DomainError.invalid(field: "note", "between 1 and \(maximumNoteLength) characters")
        }
        let body: Data
        do {
            body = try ConcordJSON.encoder().encode(Body(note: note))
        } catch {
            throw DomainError.invalid(field: "note", "cannot be encoded")
        }
        if var stored = existing {
            guard stored.envelope.status != .active else {
                throw DomainError.conflict("\(member) is already authorised for ICSE data")
            }
            stored.envelope.status = .active
            stored.envelope.updatedAt = now
            stored.body = body
            stored.version += 1
            return stored
        }
        let envelope = Envelope(
            id: recordID(member), kind: .icseAuthorisation, owner: member, purpose: .identification,
            restrictions: .none, confidentiality: .officialUse, createdAt: now, updatedAt: now,
            reviewDate: .distantFuture, status: .active)
        return StoredRecord(envelope: envelope, lookupKey: member.rawValue, body: body, version: 1)
    }

    public static func revoke(_ stored: StoredRecord, now: Date) throws(DomainError) -> StoredRecord {
        guard stored.envelope.status == .active else {
            throw DomainError.conflict("\(stored.envelope.owner) is not authorised for ICSE data")
        }
        var revoked = stored
        revoked.envelope.status = .withdrawn
        revoked.envelope.updatedAt = now
        revoked.version += 1
        return revoked
    }
}

/// `PUT /v1/signatures/contributors/{member}`.
public struct ICSEGrant: Sendable, Hashable, Decodable {
    public var note: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case note
    }

    public init(note: String? = nil) {
        self.note = note
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        note = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .note)
    }
}

public struct ICSEAuthorisationList: Sendable, Hashable, Encodable {
    public var contributors: [ICSEAuthorisation]

    public init(contributors: [ICSEAuthorisation]) {
        self.contributors = contributors
    }
}
