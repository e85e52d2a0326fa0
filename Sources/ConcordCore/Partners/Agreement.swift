import Foundation

/// The services a private partner may be granted; nothing else is open to partners.
public enum PartnerService: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Travel document screening with a hit / no-hit answer.
    case icheckit = "i-checkit"
    /// Image signature matching.
    case baseline
    /// Cyber threat exchange over TAXII.
    case gateway

    public static func < (lhs: PartnerService, rhs: PartnerService) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An agreement between the General Secretariat and a private partner: which services the
/// partner may use, from which member country, for how long. Partner keys are issued under one.
public struct Agreement: Sendable, Hashable, Codable {
    public var id: String
    /// The partner organisation, as named in the agreement.
    public var partner: String
    public var services: [PartnerService]
    /// The member country the partner operates in; its NCB is told of the partner's hits.
    public var country: MemberCode
    public var validFrom: Date
    public var validUntil: Date
    public var terminatedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public func isInForce(at now: Date) -> Bool {
        terminatedAt == nil && validFrom <= now && now < validUntil
    }

    public func facts(at now: Date) -> AgreementFacts {
        AgreementFacts(services: Set(services), country: country, inForce: isInForce(at: now))
    }
}

/// What the policy needs to know about the agreement a partner acts under.
public struct AgreementFacts: Sendable, Hashable {
    public var services: Set<PartnerService>
    public var country: MemberCode
    public var inForce: Bool

    public init(services: Set<PartnerService>, country: MemberCode, inForce: Bool) {
        self.services = services
        self.country = country
        self.inForce = inForce
    }
}

/// `POST /v1/agreements`.
public struct NewAgreement: Sendable, Hashable, Decodable {
    public var partner: String
    public var services: [PartnerService]
    public var country: MemberCode
    public var validFrom: Date?
    public var validUntil: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case partner, services, country, validFrom, validUntil
    }

    public init(
        partner: String, services: [PartnerService], country: MemberCode, validFrom: Date? = nil, validUntil: Date
    ) {
        self.partner = partner
        self.services = services
        self.country = country
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        partner = try container.decode(String.self, forKey: .partner)
        services = try container.decode([PartnerService].self, forKey: .services)
        country = try container.decode(MemberCode.self, forKey: .country)
        validFrom = try container.decodeIfPresent(Date.self, forKey: .validFrom)
        validUntil = try container.decode(Date.self, forKey: .validUntil)
    }
}

public struct AgreementList: Sendable, Hashable, Encodable {
    public var agreements: [Agreement]

    public init(agreements: [Agreement]) {
        self.agreements = agreements
    }
}

/// `POST /v1/agreements/{id}/keys`: a key for the partner, bound to the agreement.
public struct NewPartnerKey: Sendable, Hashable, Decodable {
    public var label: String?
    public var expiresAt: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case label, expiresAt
    }

    public init(label: String? = nil, expiresAt: Date? = nil) {
        self.label = label
        self.expiresAt = expiresAt
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        expiresAt = try container.decodeIfPresent(Date.self, forKey: .expiresAt)
    }
}

public enum Agreements {
    public static let maximumPartnerLength = 200

    public static func make(_ request: NewAgreement, now: Date) throws(DomainError) -> Agreement {
        let partner = request.partner.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumPartnerLength).contains(partner.count) else {
            throw DomainError.invalid(field: "partner", "between 1 and \(maximumPartnerLength) characters")
        }
        guard !request.services.isEmpty else {
            throw DomainError.invalid(field: "services", "name at least one service")
        }
        let validFrom = (request.validFrom ?? now).truncatedToMilliseconds
        let validUntil = request.validUntil.truncatedToMilliseconds
        guard validUntil > validFrom else {
            throw DomainError.invalid(field: "validUntil", "must be after validFrom")
        }
        guard validUntil > now else {
            throw DomainError.invalid(field: "validUntil", "must be in the future")
        }
        return Agreement(
            id: "agr_" + hex(randomBytes(8)), partner: partner, services: Set(request.services).sorted(),
            country: request.country, validFrom: validFrom, validUntil: validUntil, terminatedAt: nil,
            createdAt: now, updatedAt: now, version: 1)
    }

    /// Ends an agreement at once: every key issued under it stops working for its services.
    public static func terminate(_ agreement: Agreement, now: Date) throws(DomainError) -> Agreement {
        guard agreement.terminatedAt == nil else {
            throw DomainError.conflict("agreement \(agreement.id) is already terminated")
        }
        var ended = agreement
        ended.terminatedAt = now
        ended.updatedAt = now
        ended.version += 1
        return ended
    }
}
