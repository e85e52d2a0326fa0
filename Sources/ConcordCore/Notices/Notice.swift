import Foundation

/// What an owner NCB asks the General Secretariat to publish: the subjects and the section of
/// its type. Drafts may be incomplete; `Notices.issues(in:)` says what is missing.
public struct NoticeRequest: Sendable, Hashable, Codable {
    public var type: NoticeType
    public var subjects: [NoticeSubject]
    public var judicial: JudicialData?
    public var disappearance: Disappearance?
    public var body: UnidentifiedBody?
    public var inquiry: Inquiry?
    public var criminalActivities: CriminalActivities?
    public var threat: Threat?
    public var modusOperandi: ModusOperandi?
    public var assets: AssetTrace?
    public var sanction: Sanction?
    /// The owner agrees that an extract be published to the public once the notice is.
    public var publicExtractConsent: Bool
    public var restrictions: Restrictions?

    public init(
        type: NoticeType, subjects: [NoticeSubject] = [], judicial: JudicialData? = nil,
        disappearance: Disappearance? = nil, body: UnidentifiedBody? = nil, inquiry: Inquiry? = nil,
        criminalActivities: CriminalActivities? = nil, threat: Threat? = nil, modusOperandi: ModusOperandi? = nil,
        assets: AssetTrace? = nil, sanction: Sanction? = nil, publicExtractConsent: Bool = false,
        restrictions: Restrictions? = nil
    ) {
        self.type = type
        self.subjects = subjects
        self.judicial = judicial
        self.disappearance = disappearance
        self.body = body
        self.inquiry = inquiry
        self.criminalActivities = criminalActivities
        self.threat = threat
        self.modusOperandi = modusOperandi
        self.assets = assets
        self.sanction = sanction
        self.publicExtractConsent = publicExtractConsent
        self.restrictions = restrictions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, subjects, judicial, disappearance, body, inquiry, criminalActivities, threat, modusOperandi
        case assets, sanction, publicExtractConsent, restrictions
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(NoticeType.self, forKey: .type)
        subjects = try container.list(NoticeSubject.self, forKey: .subjects)
        judicial = try container.decodeIfPresent(JudicialData.self, forKey: .judicial)
        disappearance = try container.decodeIfPresent(Disappearance.self, forKey: .disappearance)
        body = try container.decodeIfPresent(UnidentifiedBody.self, forKey: .body)
        inquiry = try container.decodeIfPresent(Inquiry.self, forKey: .inquiry)
        criminalActivities = try container.decodeIfPresent(CriminalActivities.self, forKey: .criminalActivities)
        threat = try container.decodeIfPresent(Threat.self, forKey: .threat)
        modusOperandi = try container.decodeIfPresent(ModusOperandi.self, forKey: .modusOperandi)
        assets = try container.decodeIfPresent(AssetTrace.self, forKey: .assets)
        sanction = try container.decodeIfPresent(Sanction.self, forKey: .sanction)
        publicExtractConsent = try container.decodeIfPresent(Bool.self, forKey: .publicExtractConsent) ?? false
        restrictions = try container.decodeIfPresent(Restrictions.self, forKey: .restrictions)
    }
}

public enum NoticeState: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case submitted
    case published
    case refused
    /// Sent back to the owner for more information; the owner may edit and resubmit.
    case returned
    case cancelled
    case expired
    case withdrawn

    /// No transition leaves these.
    public var isFinal: Bool {
        switch self {
        case .refused, .cancelled, .expired, .withdrawn: true
        case .draft, .submitted, .published, .returned: false
        }
    }
}

/// The number the General Secretariat gives a notice when it publishes it, written `YYYY/NNNNN`
/// as the public notices API's `entity_id`.
public struct NoticeReference: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let sequence: Int

    public init?(year: Int, sequence: Int) {
        guard (1000...9999).contains(year), (1...99_999).contains(sequence) else { return nil }
        self.year = year
        self.sequence = sequence
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 5,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let sequence = Int(parts[1])
        else { return nil }
        self.init(year: year, sequence: sequence)
    }

    public var description: String {
        let digits = String(sequence)
        return "\(year)/" + String(repeating: "0", count: 5 - digits.count) + digits
    }

    public static func < (lhs: NoticeReference, rhs: NoticeReference) -> Bool {
        (lhs.year, lhs.sequence) < (rhs.year, rhs.sequence)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let reference = NoticeReference(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not YYYY/NNNNN")
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The General Secretariat's justified exception to the red notice penalty threshold.
public struct PenaltyException: Sendable, Hashable, Codable {
    public var reason: String
    public var actor: String
    public var at: Date

    public init(reason: String, actor: String, at: Date) {
        self.reason = reason
        self.actor = actor
        self.at = at
    }
}

/// Who took a lifecycle decision, as the journal and the owner's notification name them.
public enum NoticeAuthority: String, Sendable, Hashable, Codable {
    case owner
    case secretariat
    /// The Commission for the Control of Files, whose decisions the General Secretariat executes.
    case ccf
    /// The platform itself, when a review date passes.
    case system
}

/// One step of a notice's lifecycle. The service journals it and notifies the owner of it.
public struct NoticeTransition: Sendable, Hashable, Codable {
    public var notice: RecordID
    public var owner: MemberCode
    public var from: NoticeState
    public var to: NoticeState
    public var authority: NoticeAuthority
    public var actor: String
    public var reasons: [String]
    public var at: Date

    public init(
        notice: RecordID, owner: MemberCode, from: NoticeState, to: NoticeState, authority: NoticeAuthority,
        actor: String, reasons: [String], at: Date
    ) {
        self.notice = notice
        self.owner = owner
        self.from = from
        self.to = to
        self.authority = authority
        self.actor = actor
        self.reasons = reasons
        self.at = at
    }

    /// The journal's action name: `notice.submitted`, `notice.published`, ...
    public var action: String { "notice.\(to.rawValue)" }
}

/// A notice as kept: the envelope every record wears, the owner's request, and where it stands.
public struct Notice: Sendable, Hashable, Codable {
    public var envelope: Envelope
    public var content: NoticeRequest
    public var state: NoticeState
    /// Given on publication.
    public var reference: NoticeReference?
    public var penaltyException: PenaltyException?
    public var submittedAt: Date?
    public var publishedAt: Date?
    public var history: [NoticeTransition]
    public var version: Int

    public init(
        envelope: Envelope, content: NoticeRequest, state: NoticeState, reference: NoticeReference? = nil,
        penaltyException: PenaltyException? = nil, submittedAt: Date? = nil, publishedAt: Date? = nil,
        history: [NoticeTransition] = [], version: Int = 1
    ) {
        self.envelope = envelope
        self.content = content
        self.state = state
        self.reference = reference
        self.penaltyException = penaltyException
        self.submittedAt = submittedAt
        self.publishedAt = publishedAt
        self.history = history
        self.version = version
    }

    public var id: RecordID { envelope.id }
    public var owner: MemberCode { envelope.owner }
    public var type: NoticeType { content.type }
}
