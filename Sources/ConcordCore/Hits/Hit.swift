import Foundation

/// Who is told of a hit and may follow it up: an NCB, or the General Secretariat.
public enum Party: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    case member(MemberCode)
    case secretariat

    /// The wire and storage form: the member's alpha-3 code, or `GS`.
    public var rawValue: String {
        switch self {
        case .member(let code): code.rawValue
        case .secretariat: "GS"
        }
    }

    public init?(rawValue: String) {
        if rawValue == "GS" {
            self = .secretariat
        } else if let code = MemberCode(rawValue), code.rawValue == rawValue {
            self = .member(code)
        } else {
            return nil
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: Party, rhs: Party) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The party a principal acts for, if any: its NCB, or the General Secretariat.
    public static func of(_ principal: Principal) -> Party? {
        switch principal.role {
        case .ncbOfficer, .ncbAdmin: principal.member.map(Party.member)
        case .secretariatAdmin, .secretariatReviewer: .secretariat
        default: nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let party = Party(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown party '\(text)'")
        }
        self = party
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Where a check came from.
public enum CheckChannel: String, Sendable, Hashable, Codable {
    /// A police check: an NCB or a frontline terminal.
    case find
    /// A private partner's screening.
    case icheckit = "i-checkit"
    /// A Baseline partner reporting a confirmed match against the signature bank.
    case baseline
}

/// Follow-up of a hit, as the parties work it.
public enum HitState: String, Sendable, Hashable, Codable, CaseIterable {
    case new
    case acknowledged
    case confirmed
    case falsePositive = "false-positive"

    /// new → acknowledged → confirmed or false-positive; nothing goes back.
    public func canMove(to next: HitState) -> Bool {
        switch (self, next) {
        case (.new, .acknowledged), (.acknowledged, .confirmed), (.acknowledged, .falsePositive): true
        default: false
        }
    }
}

/// Who checked, as the journal knows them and as they described themselves.
public struct HitChecker: Sendable, Hashable, Codable {
    public var actor: String
    public var role: Role?
    public var member: MemberCode?
    /// The partner organisation and agreement, for I-Checkit.
    public var partner: String?
    public var agreement: String?
    /// As sent with the check; not verified.
    public var terminal: String?
    public var location: String?

    public init(
        actor: String, role: Role?, member: MemberCode?, partner: String? = nil, agreement: String? = nil,
        terminal: String? = nil, location: String? = nil
    ) {
        self.actor = actor
        self.role = role
        self.member = member
        self.partner = partner
        self.agreement = agreement
        self.terminal = terminal
        self.location = location
    }
}

public struct HitTransition: Sendable, Hashable, Codable {
    public var state: HitState
    public var at: Date
    public var actor: String
    public var party: Party?
    public var note: String?
}

/// The document a hit matched, by its key.
public struct HitDocument: Sendable, Hashable, Codable {
    public var issuer: IssuerCode
    public var type: DocumentType
    public var number: String

    public init(issuer: IssuerCode, type: DocumentType, number: String) {
        self.issuer = issuer
        self.type = type
        self.number = number
    }
}

/// The bank signature a Baseline partner reported a confirmed match against.
public struct HitSignature: Sendable, Hashable, Codable {
    public var type: SignatureType
    public var value: String
    public var category: String
    /// The partner's own hash of its content, and its distance to the signature, when sent.
    public var query: String?
    public var distance: Int?
    /// The partner's reference for the content, to quote when police follow up.
    public var contentReference: String?
    public var note: String?

    public init(
        type: SignatureType, value: String, category: String, query: String? = nil, distance: Int? = nil,
        contentReference: String? = nil, note: String? = nil
    ) {
        self.type = type
        self.value = value
        self.category = category
        self.query = query
        self.distance = distance
        self.contentReference = contentReference
        self.note = note
    }
}

/// A check that matched a served record: when, who checked, which record, whose, and who must
/// follow it up. The checker is a party only when it was allowed to see the record.
public struct Hit: Sendable, Hashable, Codable {
    public var id: String
    public var createdAt: Date
    public var channel: CheckChannel
    public var checker: HitChecker
    public var record: RecordID
    public var owner: MemberCode
    /// The travel document matched (FIND and I-Checkit).
    public var document: HitDocument?
    /// The image signature matched (Baseline reports).
    public var signature: HitSignature?
    public var parties: [Party]
    public var state: HitState
    public var history: [HitTransition]
    public var version: Int

    public var facts: HitFacts { HitFacts(parties: Set(parties)) }
}

/// What the policy needs to know about a hit.
public struct HitFacts: Sendable, Hashable {
    public var parties: Set<Party>

    public init(parties: Set<Party>) {
        self.parties = parties
    }
}

/// `POST /v1/hits/{id}/state`.
public struct HitStateChange: Sendable, Hashable, Decodable {
    public var state: HitState
    public var note: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case state, note
    }

    public init(state: HitState, note: String? = nil) {
        self.state = state
        self.note = note
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decode(HitState.self, forKey: .state)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }
}

/// A page of hits, newest first; pass `next` as `cursor` to continue.
public struct HitPage: Sendable, Hashable, Encodable {
    public var hits: [Hit]
    public var next: String?

    public init(hits: [Hit], next: String?) {
        self.hits = hits
        self.next = next
    }
}

public enum Hits {
    public static let maximumNoteLength = 1000

    /// A new hit on a served record. `disclosed` says whether the checker was allowed to see it:
    /// when not, the checker's side is not a party and learns nothing, but the owner still does.
    /// The General Secretariat follows every partner hit.
    public static func make(
        record: Envelope, document: HitDocument, checker: HitChecker, channel: CheckChannel, disclosed: Bool,
        now: Date
    ) -> Hit {
        var parties: Set<Party> = [.member(record.owner)]
        if disclosed, let member = checker.member { parties.insert(.member(member)) }
        if channel == .icheckit { parties.insert(.secretariat) }
        return Hit(
            id: "hit_" + hex(randomBytes(10)), createdAt: now, channel: channel, checker: checker, record: record.id,
            owner: record.owner, document: document, signature: nil, parties: parties.sorted(), state: .new,
            history: [], version: 1)
    }

    /// A Baseline partner's confirmed match: the NCB that shared the signature and the General
    /// Secretariat follow it up. The partner is not a party; it keeps the hit's id as its reference.
    public static func make(
        signature record: Envelope, _ signature: HitSignature, checker: HitChecker, now: Date
    ) -> Hit {
        Hit(
            id: "hit_" + hex(randomBytes(10)), createdAt: now, channel: .baseline, checker: checker,
            record: record.id, owner: record.owner, document: nil, signature: signature,
            parties: Set<Party>([.member(record.owner), .secretariat]).sorted(), state: .new, history: [], version: 1)
    }

    public static func move(
        _ hit: Hit, _ change: HitStateChange, by principal: Principal, now: Date
    ) throws(DomainError) -> Hit {
        let note = change.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.isEmpty || note.count > maximumNoteLength {
            throw DomainError.invalid(field: "note", "between 1 and \(maximumNoteLength) characters")
        }
        guard hit.state.canMove(to: change.state) else {
            throw DomainError.conflict("a hit that is \(hit.state.rawValue) cannot become \(change.state.rawValue)")
        }
        var moved = hit
        moved.state = change.state
        moved.history.append(
            HitTransition(state: change.state, at: now, actor: principal.actor, party: Party.of(principal), note: note))
        moved.version += 1
        return moved
    }
}
