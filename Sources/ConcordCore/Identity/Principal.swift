/// Who is acting. Every request and every CLI command resolves to exactly one principal.
public struct Principal: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Someone holding an API key with a role.
        case key(id: String, role: Role)
        /// The operator of this installation, acting through the CLI on the data folder itself.
        case localOperator
        case anonymous
    }

    public let kind: Kind
    /// The member country the principal acts for; nil for the General Secretariat, the CCF and the public.
    public let member: MemberCode?
    /// The agreement a partner's key was issued under; the partner may use only its services.
    public let agreement: String?

    public init(kind: Kind, member: MemberCode?, agreement: String? = nil) {
        self.kind = kind
        self.member = member
        self.agreement = agreement
    }

    public static let anonymous = Principal(kind: .anonymous, member: nil)
    public static let localOperator = Principal(kind: .localOperator, member: nil)

    /// The operator loading records of one member in bulk, on that member's behalf.
    public static func localOperator(for member: MemberCode) -> Principal {
        Principal(kind: .localOperator, member: member)
    }

    public static func key(_ id: String, role: Role, member: MemberCode?, agreement: String? = nil) -> Principal {
        Principal(kind: .key(id: id, role: role), member: member, agreement: agreement)
    }

    public var role: Role? {
        if case .key(_, let role) = kind { return role }
        return nil
    }

    /// The name the journal records for this principal.
    public var actor: String {
        switch kind {
        case .key(let id, _): id
        case .localOperator: "local-operator"
        case .anonymous: "anonymous"
        }
    }
}
