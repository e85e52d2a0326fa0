import Foundation

/// An organisation taking part in Gateway exchange: an NCB, the General Secretariat, or a
/// private partner, known by the agreement it signed.
public enum GatewayParticipant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    case party(Party)
    case partner(agreement: String)

    /// The wire form: a member's alpha-3 code, `GS`, or an agreement id (`agr_…`).
    public var rawValue: String {
        switch self {
        case .party(let party): party.rawValue
        case .partner(let agreement): agreement
        }
    }

    public init?(rawValue: String) {
        if rawValue.hasPrefix("agr_"), rawValue.count > 4 {
            self = .partner(agreement: rawValue)
        } else if let party = Party(rawValue: rawValue) {
            self = .party(party)
        } else {
            return nil
        }
    }

    /// The organisation a principal acts for in the Gateway: a partner under its agreement, an
    /// NCB, or the General Secretariat. Other roles take no part.
    public static func of(_ principal: Principal) -> GatewayParticipant? {
        switch principal.role {
        case .partner: principal.agreement.map { .partner(agreement: $0) }
        case .ncbOfficer, .ncbAdmin, .secretariatAdmin, .secretariatReviewer: Party.of(principal).map(Self.party)
        default: nil
        }
    }

    /// Police sources may be protected from partners; partners' own never are.
    public var isPolice: Bool {
        if case .party = self { return true }
        return false
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let participant = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a member code, GS or an agreement id")
        }
        self = participant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A TAXII collection inside a trust group, with who may read it and who may add to it.
public struct GatewayCollection: Sendable, Hashable, Codable {
    /// A UUID, as TAXII 2.1 identifies collections.
    public var id: String
    public var title: String
    public var description: String?
    public var readers: [GatewayParticipant]
    public var writers: [GatewayParticipant]

    public init(
        id: String, title: String, description: String?, readers: [GatewayParticipant], writers: [GatewayParticipant]
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.readers = readers
        self.writers = writers
    }

    public func access(agreement: AgreementFacts?) -> GatewayCollectionFacts {
        GatewayCollectionFacts(readers: Set(readers), writers: Set(writers), agreement: agreement)
    }
}

/// A trust group: the participants who exchange under one set of rules, served as one TAXII
/// API root (`/taxii2/{name}/`). TLP:AMBER reaches the trust group and no further.
public struct GatewayRoot: Sendable, Hashable, Codable {
    public var name: String
    public var title: String
    public var description: String?
    public var participants: [GatewayParticipant]
    public var collections: [GatewayCollection]
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public func collection(id: String) -> GatewayCollection? {
        collections.first { $0.id == id.lowercased() }
    }

    public func includes(_ participant: GatewayParticipant) -> Bool { participants.contains(participant) }
}

/// `PUT /v1/gateway/roots/{name}`: a trust group, created or replaced whole.
public struct NewGatewayRoot: Sendable, Hashable, Decodable {
    public var title: String
    public var description: String?
    public var participants: [GatewayParticipant]
    public var collections: [NewGatewayCollection]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, description, participants, collections
    }

    public init(
        title: String, description: String? = nil, participants: [GatewayParticipant],
        collections: [NewGatewayCollection]
    ) {
        self.title = title
        self.description = description
        self.participants = participants
        self.collections = collections
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        participants = try container.decode([GatewayParticipant].self, forKey: .participants)
        collections = try container.decode([NewGatewayCollection].self, forKey: .collections)
    }
}

public struct NewGatewayCollection: Sendable, Hashable, Decodable {
    /// Kept when given, so that partners' tools keep their configured collection; new otherwise.
    public var id: String?
    public var title: String
    public var description: String?
    /// Participants of the group, or `participants` for all of them.
    public var readers: [String]
    public var writers: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, title, description, readers, writers
    }

    public init(id: String? = nil, title: String, description: String? = nil, readers: [String], writers: [String]) {
        self.id = id
        self.title = title
        self.description = description
        self.readers = readers
        self.writers = writers
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        readers = try container.decode([String].self, forKey: .readers)
        writers = try container.decode([String].self, forKey: .writers)
    }
}

public struct GatewayRootList: Sendable, Hashable, Encodable {
    public var roots: [GatewayRoot]

    public init(roots: [GatewayRoot]) {
        self.roots = roots
    }
}

public enum GatewayRoots {
    public static let everyParticipant = "participants"

    /// A name that is one URL path segment and cannot be mistaken for another endpoint.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name != "collections" && name != "status"
            && name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
            && name.first != "-"
    }

    /// Builds the group from a request, replacing `previous` when there is one. Every problem
    /// is reported at once; agreements are checked by the caller, which can look them up.
    public static func make(
        name: String, _ request: NewGatewayRoot, previous: GatewayRoot?, now: Date
    ) throws(ValidationFailure) -> GatewayRoot {
        var issues: [FieldIssue] = []
        if !isValidName(name) {
            issues.append(FieldIssue("name", "use 1 to 64 lower-case letters, digits and hyphens"))
        }
        let title = request.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...200).contains(title.count) { issues.append(FieldIssue("title", "between 1 and 200 characters")) }
        let participants = Set(request.participants)
        if participants.isEmpty { issues.append(FieldIssue("participants", "name at least one participant")) }
        var collections: [GatewayCollection] = []
        var ids: Set<String> = []
        for (index, collection) in request.collections.enumerated() {
            let field = "collections[\(index)]"
            let id = collection.id?.lowercased() ?? UUID().uuidString.lowercased()
            if UUID(uuidString: id) == nil {
                issues.append(FieldIssue("\(field).id", "must be a UUID"))
            } else if !ids.insert(id).inserted {
                issues.append(FieldIssue("\(field).id", "is given to two collections"))
            }
            let title = collection.title.trimmingCharacters(in: .whitespacesAndNewlines)
            if !(1...200).contains(title.count) {
                issues.append(FieldIssue("\(field).title", "between 1 and 200 characters"))
            }
            func audience(_ entries: [String], _ name: String) -> [GatewayParticipant] {
                var result: Set<GatewayParticipant> = []
                for (position, entry) in entries.enumerated() {
                    if entry == everyParticipant {
                        result.formUnion(participants)
                    } else if let participant = GatewayParticipant(rawValue: entry), participants.contains(participant)
                    {
                        result.insert(participant)
                    } else {
                        issues.append(
                            FieldIssue(
                                "\(field).\(name)[\(position)]",
                                "'\(entry)' is not a participant of the group, nor '\(everyParticipant)'"))
                    }
                }
                return result.sorted()
            }
            collections.append(
                GatewayCollection(
                    id: id, title: title, description: collection.description,
                    readers: audience(collection.readers, "readers"), writers: audience(collection.writers, "writers")))
        }
        guard issues.isEmpty else { throw ValidationFailure(issues) }
        return GatewayRoot(
            name: name, title: title, description: request.description, participants: participants.sorted(),
            collections: collections, createdAt: previous?.createdAt ?? now, updatedAt: now,
            version: (previous?.version ?? 0) + 1)
    }
}

/// What the policy needs to know about a Gateway collection, and the agreement a partner acts
/// under (nil for police, or a partner without one).
public struct GatewayCollectionFacts: Sendable, Hashable {
    public var readers: Set<GatewayParticipant>
    public var writers: Set<GatewayParticipant>
    public var agreement: AgreementFacts?

    public init(readers: Set<GatewayParticipant>, writers: Set<GatewayParticipant>, agreement: AgreementFacts?) {
        self.readers = readers
        self.writers = writers
        self.agreement = agreement
    }
}

/// What the policy needs to know about one version of a STIX object in a collection.
public struct GatewayObjectFacts: Sendable, Hashable {
    public var collection: GatewayCollectionFacts
    public var tlp: TLPLevel?
    /// The organisation that added the version, and the key it used.
    public var addedBy: GatewayParticipant
    public var addedByKey: String
    /// Organisations (`FRA`, `GS`, `agr_…`) and individual keys (`key_…`) the sender named.
    public var recipients: Set<String>
    /// The police sender asked that partners not learn its `created_by_ref`.
    public var protectsSource: Bool

    public init(
        collection: GatewayCollectionFacts, tlp: TLPLevel?, addedBy: GatewayParticipant, addedByKey: String,
        recipients: Set<String>, protectsSource: Bool
    ) {
        self.collection = collection
        self.tlp = tlp
        self.addedBy = addedBy
        self.addedByKey = addedByKey
        self.recipients = recipients
        self.protectsSource = protectsSource
    }
}
