import Crypto
import Foundation

/// An API key as stored: never the secret itself, only its SHA-256 digest.
///
/// Keys are 256 random bits, so a fast digest is enough; slow password hashes exist to protect
/// guessable secrets, which these are not.
public struct APIKeyRecord: Sendable, Hashable, Codable {
    public let id: String
    public let secretHash: String
    public let role: Role
    public let member: MemberCode?
    public let label: String?
    public let createdAt: Date
    public let expiresAt: Date?
    public var revokedAt: Date?
    /// For partner keys, the agreement they were issued under.
    public let agreement: String?

    public init(
        id: String, secretHash: String, role: Role, member: MemberCode?, label: String?,
        createdAt: Date, expiresAt: Date?, revokedAt: Date? = nil, agreement: String? = nil
    ) {
        self.id = id
        self.secretHash = secretHash
        self.role = role
        self.member = member
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.agreement = agreement
    }

    public var principal: Principal { .key(id, role: role, member: member, agreement: agreement) }

    public enum Validity: Sendable, Equatable {
        case valid
        case revoked
        case expired
    }

    public func validity(at now: Date) -> Validity {
        if revokedAt != nil { return .revoked }
        if let expiresAt, expiresAt <= now { return .expired }
        return .valid
    }
}

/// A freshly issued key: the only moment the secret exists outside its holder's hands.
public struct IssuedAPIKey: Sendable {
    public let record: APIKeyRecord
    public let secret: String
}

public enum APIKeys {
    static let secretPrefix = "concord_"

    /// Validates the combination and mints a key. Keys carry 256 bits from the system's CSPRNG.
    public static func issue(
        role: Role, member: MemberCode?, label: String?, expiresAt: Date?, now: Date, agreement: String? = nil
    ) throws(DomainError) -> IssuedAPIKey {
        if role == .partner && agreement == nil {
            throw DomainError.invalid(
                field: "role", "partner keys are issued under an agreement: POST /v1/agreements/{id}/keys")
        }
        if role != .partner && agreement != nil {
            throw DomainError.invalid(field: "agreement", "only partner keys belong to an agreement")
        }
        if role.actsForMember && member == nil {
            throw DomainError.invalid(field: "member", "role \(role.rawValue) acts for a member country")
        }
        if !role.actsForMember && member != nil {
            throw DomainError.invalid(field: "member", "role \(role.rawValue) does not act for a member country")
        }
        if let expiresAt, expiresAt <= now {
            throw DomainError.invalid(field: "expires", "expiry must be in the future")
        }
        if let label, label.count > 200 {
            throw DomainError.invalid(field: "label", "at most 200 characters")
        }
        let secret = secretPrefix + hex(randomBytes(32))
        let id = "key_" + hex(randomBytes(8))
        let record = APIKeyRecord(
            id: id, secretHash: hash(secret), role: role, member: member, label: label,
            createdAt: now, expiresAt: expiresAt, agreement: agreement)
        return IssuedAPIKey(record: record, secret: secret)
    }

    public static func hash(_ secret: String) -> String {
        hex(Array(SHA256.hash(data: Array(secret.utf8))))
    }

}

/// Bytes from the system's CSPRNG, for secrets and unguessable identifiers.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// `POST /v1/keys`: what an administrator asks for.
public struct NewAPIKey: Sendable, Hashable, Decodable {
    public var role: Role
    public var member: MemberCode?
    public var label: String?
    public var expiresAt: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case role, member, label, expiresAt
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        member = try container.decodeIfPresent(MemberCode.self, forKey: .member)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
    }
}

/// A key as shown to administrators: everything but its digest. `key` is the secret, present
/// only in the answer that issues it.
public struct APIKeyView: Sendable, Hashable, Encodable {
    public let id: String
    public let role: Role
    public let member: MemberCode?
    public let label: String?
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?
    public let agreement: String?
    public let key: String?

    public init(_ record: APIKeyRecord, secret: String? = nil) {
        id = record.id
        role = record.role
        member = record.member
        label = record.label
        createdAt = record.createdAt
        expiresAt = record.expiresAt
        revokedAt = record.revokedAt
        agreement = record.agreement
        key = secret
    }
}

public struct APIKeyList: Sendable, Hashable, Encodable {
    public let keys: [APIKeyView]

    public init(keys: [APIKeyView]) {
        self.keys = keys
    }
}
