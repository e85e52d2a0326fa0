/// The owner's say over who may see its data.
public struct Restrictions: Sendable, Hashable {
    public enum Visibility: Sendable, Hashable {
        case allMembers
        case onlyListed(Set<MemberCode>)
        case allExcept(Set<MemberCode>)
    }

    public var visibility: Visibility
    /// Whether the owner wants to be told each time its data answers a query.
    public var notifyOwner: Bool

    public init(visibility: Visibility = .allMembers, notifyOwner: Bool = false) {
        self.visibility = visibility
        self.notifyOwner = notifyOwner
    }

    public static let none = Restrictions()

    public func allows(_ member: MemberCode) -> Bool {
        switch visibility {
        case .allMembers: true
        case .onlyListed(let members): members.contains(member)
        case .allExcept(let members): !members.contains(member)
        }
    }
}

extension Restrictions: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case visibility, members, notifyOwner
    }

    enum Mode: String, Codable {
        case all, only, except
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mode = try container.decodeIfPresent(Mode.self, forKey: .visibility) ?? .all
        let members = try container.decodeIfPresent([MemberCode].self, forKey: .members)
        notifyOwner = try container.decodeIfPresent(Bool.self, forKey: .notifyOwner) ?? false
        switch (mode, members) {
        case (.all, nil):
            visibility = .allMembers
        case (.all, .some):
            throw DecodingError.dataCorruptedError(
                forKey: .members, in: container,
                debugDescription: "members are only allowed with visibility \"only\" or \"except\"")
        case (.only, let list?) where !list.isEmpty:
            visibility = .onlyListed(Set(list))
        case (.except, let list?) where !list.isEmpty:
            visibility = .allExcept(Set(list))
        case (.only, _), (.except, _):
            throw DecodingError.dataCorruptedError(
                forKey: .members, in: container,
                debugDescription: "visibility \"\(mode.rawValue)\" needs a non-empty list of members")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch visibility {
        case .allMembers:
            try container.encode(Mode.all, forKey: .visibility)
        case .onlyListed(let members):
            try container.encode(Mode.only, forKey: .visibility)
            try container.encode(members.sorted(), forKey: .members)
        case .allExcept(let members):
            try container.encode(Mode.except, forKey: .visibility)
            try container.encode(members.sorted(), forKey: .members)
        }
        try container.encode(notifyOwner, forKey: .notifyOwner)
    }
}
