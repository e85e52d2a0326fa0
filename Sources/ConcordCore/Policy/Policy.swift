/// What the policy needs to know about a record, whatever its kind.
public struct RecordFacts: Sendable, Hashable {
    public var kind: RecordKind
    public var owner: MemberCode
    public var restrictions: Restrictions
    public var status: RecordStatus
    /// The owner let the review date pass without renewing: the record is kept but no longer
    /// served to anyone but its owner, and matches nobody's checks.
    public var pastReview: Bool

    public init(
        kind: RecordKind, owner: MemberCode, restrictions: Restrictions, status: RecordStatus,
        pastReview: Bool = false
    ) {
        self.kind = kind
        self.owner = owner
        self.restrictions = restrictions
        self.status = status
        self.pastReview = pastReview
    }

    /// Served to other members, or matched by checks, at all.
    public var isServed: Bool { status == .active && !pastReview }
}

public enum Action: String, Sendable, Hashable, CaseIterable {
    case create
    /// Recording many new records at once (a bulk import), judged per record like `create`.
    case importRecords = "import"
    case read
    case update
    case withdraw
    case check
    /// Screening persons against notices, diffusions and nominal records: like `check`, it
    /// matches only served data, and the role decides how much of each candidate is shown.
    case screen
    case issueKey = "issue-key"
    case listKeys = "list-keys"
    case revokeKey = "revoke-key"
    case readJournal = "read-journal"
}

extension Action {
    /// Asked of a `.newRecord`, never of a record that exists.
    public var createsRecords: Bool { self == .create || self == .importRecords }

    /// Matches data against a query: withdrawn or stale data never answers, the owner's included.
    public var matchesServedOnly: Bool { self == .check || self == .screen }
}

public enum Target: Sendable, Hashable {
    /// An existing record.
    case record(RecordFacts)
    /// A record about to be created, with the owner it would have.
    case newRecord(RecordFacts)
    /// All records of a kind: may the principal do this to such records at all? Asked before
    /// looking a record up, so that a role's refusal never depends on whether the record exists.
    case collection(RecordKind)
    /// API keys of a member (nil: keys of the General Secretariat, the CCF or the Assembly), and
    /// the role of the key when one is being issued.
    case keys(member: MemberCode?, role: Role?)
    case journal
    /// A partner service, under the agreement the principal's key was issued for (nil: none).
    case partnerService(PartnerService, AgreementFacts?)
    /// Partner agreements, and the keys issued under them.
    case agreements
    case hit(HitFacts)
    /// A party's hits and alerts: its inbox, event stream and webhooks' deliveries.
    case inbox(Party)
    case webhooks(Party)
    /// The General Secretariat's compliance review of notices or diffusions: the queue (`read`),
    /// the decisions (`update`), and the withdrawal of a published notice (`withdraw`), which the
    /// CCF may also order.
    case complianceReview(RecordKind)
    /// The extracts of published notices that the public notices API serves to anyone.
    case publicExtracts
    /// The image signature bank (ICSE / Baseline): adding, reading and withdrawing signatures.
    /// Signatures are reached only through this target, never through `record`, `newRecord`
    /// or `collection`, because sharing them needs the General Secretariat's authorisation.
    case signatureBank(SignatureBankFacts)
    /// Which members' NCBs are authorised to share ICSE data.
    case icseAuthorisations
    /// Gateway trust groups (TAXII API roots) and their collections, which the General
    /// Secretariat sets up.
    case gatewayRoots
    /// A Gateway collection: reading it (`read`), adding to it (`create`).
    case gatewayCollection(GatewayCollectionFacts)
    /// One version of a STIX object in a collection: reading it, deleting it (`withdraw`).
    case gatewayObject(GatewayObjectFacts)

    /// The record kind a generic record target is about.
    var recordKind: RecordKind? {
        switch self {
        case .record(let facts), .newRecord(let facts): facts.kind
        case .collection(let kind): kind
        default: nil
        }
    }
}

/// How much of a record the principal may see once access is allowed.
public enum Disclosure: Int, Sendable, Hashable, Comparable {
    /// Only that something matched (private partners).
    case hitOnly
    /// Enough for an officer at the border to act: status, owner, reference.
    case actionable
    /// The record.
    case full

    public static func < (lhs: Disclosure, rhs: Disclosure) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum Denial: Sendable, Hashable {
    /// The role may never do this; safe to say so, since it reveals nothing about any record.
    case roleNotPermitted
    /// The principal can see the record but only its owner may change it.
    case notOwner
    /// The record is not visible to the principal. Callers must behave exactly as if it did not
    /// exist: no hit, 404, not counted.
    case hidden
}

public enum Decision: Sendable, Hashable {
    case allow(Disclosure)
    case deny(Denial)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }
}

/// The single data-protection policy. Every read and write path asks it; nothing else decides.
public enum Policy {
    public static func decide(_ principal: Principal, _ action: Action, _ target: Target) -> Decision {
        switch principal.kind {
        case .anonymous:
            // The public sees the public notice extracts, and nothing else.
            return action == .read && target == .publicExtracts ? .allow(.full) : .deny(.roleNotPermitted)
        case .localOperator where target.recordKind?.isSignatureBank == true:
            return .deny(.roleNotPermitted)
        case .localOperator:
            // The operator holds the data folder itself; the CLI needs it to bootstrap keys and
            // to verify the journal, and grants it nothing over police data. The one exception is
            // loading a member's own records in bulk (`concord import --member`): the operator then
            // acts for that member, exactly as far as its NCB could, and the journal names the member.
            switch (action, target) {
            case (.issueKey, .keys), (.listKeys, .keys), (.revokeKey, .keys), (.readJournal, .journal):
                return .allow(.full)
            case (.importRecords, .collection):
                return principal.member == nil ? .deny(.roleNotPermitted) : .allow(.full)
            case (.importRecords, .newRecord(let facts)):
                guard let member = principal.member else { return .deny(.roleNotPermitted) }
                return member == facts.owner ? .allow(.full) : .deny(.notOwner)
            default:
                return .deny(.roleNotPermitted)
            }
        case .key(_, let role):
            switch target {
            case .record, .newRecord, .collection:
                if target.recordKind?.isSignatureBank == true { return .deny(.roleNotPermitted) }
                return decideRecord(role: role, member: principal.member, action, target)
            case .keys(let member, let keyRole):
                return decideKeys(role: role, member: principal.member, action, member, keyRole)
            case .journal:
                return role == .ccf && action == .readJournal ? .allow(.full) : .deny(.roleNotPermitted)
            case .partnerService(let service, let agreement):
                return decidePartnerService(role: role, member: principal.member, action, service, agreement)
            case .agreements:
                return role == .secretariatAdmin ? .allow(.full) : .deny(.roleNotPermitted)
            case .hit(let facts):
                return decideHit(role: role, party: Party.of(principal), action, facts)
            case .inbox(let party):
                guard action == .read else { return .deny(.roleNotPermitted) }
                return Party.of(principal) == party || role == .ccf ? .allow(.full) : .deny(.roleNotPermitted)
            case .webhooks(let party):
                guard action == .create || action == .read || action == .withdraw else {
                    return .deny(.roleNotPermitted)
                }
                let ownBureau = role == .ncbAdmin && Party.of(principal) == party
                return ownBureau || role == .secretariatAdmin ? .allow(.full) : .deny(.roleNotPermitted)
            case .complianceReview:
                switch (role, action) {
                case (.secretariatReviewer, .read), (.secretariatReviewer, .update), (.secretariatReviewer, .withdraw),
                    (.ccf, .withdraw):
                    return .allow(.full)
                default:
                    return .deny(.roleNotPermitted)
                }
            case .publicExtracts:
                return action == .read ? .allow(.full) : .deny(.roleNotPermitted)
            case .signatureBank(let facts):
                return decideSignatures(role: role, member: principal.member, action, facts)
            case .icseAuthorisations:
                let manages: Set<Action> = [.create, .read, .withdraw]
                return role == .secretariatAdmin && manages.contains(action) ? .allow(.full) : .deny(.roleNotPermitted)
            case .gatewayRoots:
                let manages: Set<Action> = [.create, .read, .update]
                return role == .secretariatAdmin && manages.contains(action) ? .allow(.full) : .deny(.roleNotPermitted)
            case .gatewayCollection(let facts):
                return decideGatewayCollection(principal, action, facts)
            case .gatewayObject(let facts):
                return decideGatewayObject(principal, role: role, action, facts)
            }
        }
    }

    /// Partners take part while their agreement with Gateway is in force, in its country; NCBs
    /// and the General Secretariat always may. A collection then lets its readers read and its
    /// writers add.
    private static func decideGatewayCollection(
        _ principal: Principal, _ action: Action, _ facts: GatewayCollectionFacts
    ) -> Decision {
        guard let participant = GatewayParticipant.of(principal) else { return .deny(.roleNotPermitted) }
        if principal.role == .partner {
            guard let agreement = facts.agreement, agreement.inForce, agreement.services.contains(.gateway),
                agreement.country == principal.member
            else { return .deny(.roleNotPermitted) }
        }
        switch action {
        case .read: return facts.readers.contains(participant) ? .allow(.full) : .deny(.roleNotPermitted)
        case .create: return facts.writers.contains(participant) ? .allow(.full) : .deny(.roleNotPermitted)
        default: return .deny(.roleNotPermitted)
        }
    }

    /// Markings decide who sees a version among the collection's readers (FIRST TLP 2.0):
    /// CLEAR, GREEN and AMBER go to every reader, since a collection's readers are members of
    /// its trust group and nothing leaves the collection; AMBER+STRICT only to the sender's
    /// organisation and the organisations or people it named; RED only to the sending key and
    /// the keys it named. Anything else behaves as if the version did not exist. Only the
    /// sender's organisation deletes a version (the General Secretariat may delete any it can
    /// see), and only while it may write to the collection. A partner gets a police object
    /// without a protected source: `.actionable` says so.
    private static func decideGatewayObject(
        _ principal: Principal, role: Role, _ action: Action, _ facts: GatewayObjectFacts
    ) -> Decision {
        guard decideGatewayCollection(principal, .read, facts.collection).isAllowed,
            let participant = GatewayParticipant.of(principal)
        else { return .deny(.hidden) }
        let key = principal.actor
        let visible =
            switch facts.tlp {
            case nil, .clear, .green, .amber: true
            case .amberStrict:
                facts.addedBy == participant || facts.recipients.contains(participant.rawValue)
                    || facts.recipients.contains(key)
            case .red: facts.addedByKey == key || facts.recipients.contains(key)
            }
        guard visible else { return .deny(.hidden) }
        switch action {
        case .read:
            let withheld = facts.protectsSource && facts.addedBy.isPolice && !participant.isPolice
            return .allow(withheld ? .actionable : .full)
        case .withdraw:
            guard decideGatewayCollection(principal, .create, facts.collection).isAllowed else {
                return .deny(.roleNotPermitted)
            }
            return facts.addedBy == participant || role == .secretariatAdmin ? .allow(.full) : .deny(.notOwner)
        default:
            return .deny(.roleNotPermitted)
        }
    }

    /// What a role may do to police records at all, and how much it sees when it may.
    private static func roleDisclosure(_ role: Role, _ action: Action) -> Disclosure? {
        switch (role, action) {
        case (.ncbOfficer, .create), (.ncbOfficer, .importRecords), (.ncbOfficer, .read), (.ncbOfficer, .update),
            (.ncbOfficer, .withdraw), (.ncbOfficer, .check), (.ncbAdmin, .create), (.ncbAdmin, .importRecords),
            (.ncbAdmin, .read), (.ncbAdmin, .update), (.ncbAdmin, .withdraw), (.ncbAdmin, .check),
            (.ncbOfficer, .screen), (.ncbAdmin, .screen):
            .full
        case (.frontline, .check), (.frontline, .screen):
            .actionable
        case (.partner, .check):
            .hitOnly
        case (.secretariatReviewer, .read), (.ccf, .read):
            .full
        default:
            nil
        }
    }

    private static func decideRecord(
        role: Role, member: MemberCode?, _ action: Action, _ target: Target
    ) -> Decision {
        guard let disclosure = roleDisclosure(role, action) else { return .deny(.roleNotPermitted) }
        switch target {
        case .collection:
            // Partners reach records only through a service their agreement names, which
            // `partnerService` decides first; never through the police interfaces.
            return role == .partner ? .deny(.roleNotPermitted) : .allow(disclosure)
        case .newRecord(let facts):
            guard action.createsRecords else { return .deny(.roleNotPermitted) }
            return member == facts.owner ? .allow(disclosure) : .deny(.notOwner)
        case .record(let facts):
            if action.createsRecords { return .deny(.roleNotPermitted) }
            // The General Secretariat and the Commission oversee all processing, whatever the
            // owner's restrictions on other members.
            if role == .secretariatReviewer || role == .ccf { return .allow(disclosure) }
            // Data that is withdrawn or past review matches no check, the owner's included.
            if action.matchesServedOnly && !facts.isServed { return .deny(.hidden) }
            if member == facts.owner { return .allow(disclosure) }
            let visible = facts.isServed && member.map(facts.restrictions.allows) == true
            guard visible else { return .deny(.hidden) }
            return action == .update || action == .withdraw ? .deny(.notOwner) : .allow(disclosure)
        default:
            return .deny(.roleNotPermitted)
        }
    }

    /// The General Secretariat curates the bank: it adds signatures for the member that
    /// contributed the material, reads and withdraws any. An NCB adds its own only while the
    /// General Secretariat authorises it for ICSE data, and reads or withdraws its own whatever
    /// the authorisation (withdrawing only ever reduces what is shared); other members'
    /// signatures are hidden from it. Reviewers and the CCF read. Partners never reach the bank:
    /// they match through the Baseline service.
    private static func decideSignatures(
        role: Role, member: MemberCode?, _ action: Action, _ facts: SignatureBankFacts
    ) -> Decision {
        switch role {
        case .secretariatAdmin:
            let curates: Set<Action> = [.create, .importRecords, .read, .withdraw]
            return curates.contains(action) ? .allow(.full) : .deny(.roleNotPermitted)
        case .secretariatReviewer, .ccf:
            return action == .read ? .allow(.full) : .deny(.roleNotPermitted)
        case .ncbOfficer, .ncbAdmin:
            let shares: Set<Action> = [.create, .importRecords, .read, .withdraw]
            guard shares.contains(action), let member else { return .deny(.roleNotPermitted) }
            if action.createsRecords {
                guard facts.contributorAuthorised else { return .deny(.roleNotPermitted) }
                guard let signature = facts.signature else { return .allow(.full) }
                return signature.owner == member ? .allow(.full) : .deny(.notOwner)
            }
            guard let signature = facts.signature else { return .allow(.full) }
            return signature.owner == member ? .allow(.full) : .deny(.hidden)
        default:
            return .deny(.roleNotPermitted)
        }
    }

    /// A partner uses a service its agreement in force names, in the agreement's country: it
    /// checks (I-Checkit, Baseline matching); under Baseline it also reads the signed hash list
    /// (`read`) and reports confirmed matches (`create`).
    private static func decidePartnerService(
        role: Role, member: MemberCode?, _ action: Action, _ service: PartnerService, _ agreement: AgreementFacts?
    ) -> Decision {
        let baselineOnly: Set<Action> = [.read, .create]
        let permitted = action == .check || (service == .baseline && baselineOnly.contains(action))
        guard role == .partner, permitted, let agreement, agreement.inForce,
            agreement.services.contains(service), agreement.country == member
        else { return .deny(.roleNotPermitted) }
        return .allow(.hitOnly)
    }

    /// The parties of a hit follow it up; the Commission may read any. Anyone else in a role
    /// that handles hits is told the hit does not exist.
    private static func decideHit(role: Role, party: Party?, _ action: Action, _ facts: HitFacts) -> Decision {
        guard action == .read || action == .update else { return .deny(.roleNotPermitted) }
        switch role {
        case .ncbOfficer, .ncbAdmin, .secretariatAdmin, .secretariatReviewer:
            return party.map(facts.parties.contains) == true ? .allow(.full) : .deny(.hidden)
        case .ccf:
            return action == .read ? .allow(.full) : .deny(.roleNotPermitted)
        default:
            return .deny(.roleNotPermitted)
        }
    }

    private static func decideKeys(
        role: Role, member: MemberCode?, _ action: Action, _ keyMember: MemberCode?, _ keyRole: Role?
    ) -> Decision {
        guard action == .issueKey || action == .listKeys || action == .revokeKey else {
            return .deny(.roleNotPermitted)
        }
        switch role {
        case .secretariatAdmin:
            return .allow(.full)
        case .ncbAdmin:
            // A head of NCB runs the bureau's own keys, never anyone else's, and cannot mint roles
            // that belong to the Secretariat, the Assembly or partners.
            let nationalRoles: Set<Role> = [.ncbOfficer, .ncbAdmin, .frontline]
            guard let member, keyMember == member else { return .deny(.roleNotPermitted) }
            if let keyRole, !nationalRoles.contains(keyRole) { return .deny(.roleNotPermitted) }
            return .allow(.full)
        default:
            return .deny(.roleNotPermitted)
        }
    }
}
