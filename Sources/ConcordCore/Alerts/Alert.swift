import Crypto
import Foundation

public enum AlertEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case hitCreated = "hit.created"
    case hitUpdated = "hit.updated"
    /// A record whose owner asked to be told was read by another member.
    case recordQueried = "record.queried"
    /// A step of the owner's notice: submitted, published, refused, returned, withdrawn, ...
    case noticeUpdated = "notice.updated"
    /// A diffusion reached the recipient, or its owner or the General Secretariat changed it.
    case diffusionUpdated = "diffusion.updated"
    /// Data the recipient received may no longer be relied on: it must update its national records.
    case recordsUpdateRequested = "records.update-requested"
}

/// An alert before the store gives it its sequence number.
public struct AlertDraft: Sendable, Hashable {
    public var recipient: Party
    public var event: AlertEvent
    /// The hit the alert is about, if any; a party's inbox lists its hits through their alerts.
    public var hitID: String?
    public var createdAt: Date
    /// The event's JSON object, as every channel delivers it.
    public var payload: Data

    public init(recipient: Party, event: AlertEvent, hitID: String? = nil, createdAt: Date, payload: Data) {
        self.recipient = recipient
        self.event = event
        self.hitID = hitID
        self.createdAt = createdAt
        self.payload = payload
    }

    /// One alert per party, all carrying the same payload.
    public static func hit(_ hit: Hit, event: AlertEvent, now: Date) throws -> [AlertDraft] {
        let payload = try ConcordJSON.encoder().encode(hit)
        return hit.parties.map {
            AlertDraft(recipient: $0, event: event, hitID: hit.id, createdAt: now, payload: payload)
        }
    }
}

/// A stored alert. `sequence` orders a recipient's alerts, resumes a stream (`Last-Event-ID`)
/// and lets receivers drop a redelivered alert.
public struct Alert: Sendable, Hashable {
    public var sequence: Int64
    public var draft: AlertDraft

    public init(sequence: Int64, draft: AlertDraft) {
        self.sequence = sequence
        self.draft = draft
    }

    /// The JSON every channel carries: the inbox, the event stream and webhooks.
    public var message: Data {
        var json = Data(#"{"id":"\#(sequence)","event":"\#(draft.event.rawValue)","#.utf8)
        json += Data(#""recipient":"\#(draft.recipient.rawValue)","#.utf8)
        json += Data(#""createdAt":"\#(ConcordJSON.timestamp(draft.createdAt))","data":"#.utf8)
        json += draft.payload
        json += Data("}".utf8)
        return json
    }
}

/// What a record's owner is told when another member reads a record it asked to hear about.
public struct RecordQueried: Sendable, Hashable, Codable {
    public var record: RecordID
    public var kind: RecordKind
    public var action: String
    public var actor: String
    public var member: MemberCode?
    public var at: Date

    public init(record: RecordID, kind: RecordKind, action: String, actor: String, member: MemberCode?, at: Date) {
        self.record = record
        self.kind = kind
        self.action = action
        self.actor = actor
        self.member = member
        self.at = at
    }
}

/// Where a party wants its alerts pushed. The secret signs every delivery; it must be kept in
/// the clear because signing needs it, and it is shown once, when the webhook is registered.
public struct Webhook: Sendable, Hashable, Codable {
    public var id: String
    public var party: Party
    public var url: String
    public var secret: String
    public var createdAt: Date

    public init(id: String, party: Party, url: String, secret: String, createdAt: Date) {
        self.id = id
        self.party = party
        self.url = url
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// How far a webhook has been served. Alerts after `deliveredThrough` are still owed.
public struct WebhookProgress: Sendable, Hashable {
    public var deliveredThrough: Int64
    public var failures: Int
    public var nextAttemptAt: Date?
    public var lastError: String?

    public init(deliveredThrough: Int64, failures: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil) {
        self.deliveredThrough = deliveredThrough
        self.failures = failures
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

public struct WebhookState: Sendable, Hashable {
    public var webhook: Webhook
    public var progress: WebhookProgress

    public init(webhook: Webhook, progress: WebhookProgress) {
        self.webhook = webhook
        self.progress = progress
    }
}

/// `POST /v1/webhooks`.
public struct NewWebhook: Sendable, Hashable, Decodable {
    public var url: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url
    }

    public init(url: String) {
        self.url = url
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        url = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .url)
    }
}

/// A webhook as its party sees it; `secret` only in the answer that registers it.
public struct WebhookView: Sendable, Hashable, Encodable {
    public var id: String
    public var party: Party
    public var url: String
    public var createdAt: Date
    public var deliveredThrough: Int64?
    public var failures: Int?
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var secret: String?

    public init(_ webhook: Webhook, progress: WebhookProgress?, secret: String? = nil) {
        id = webhook.id
        party = webhook.party
        url = webhook.url
        createdAt = webhook.createdAt
        deliveredThrough = progress?.deliveredThrough
        failures = progress?.failures
        nextAttemptAt = progress?.nextAttemptAt
        lastError = progress?.lastError
        self.secret = secret
    }
}

public struct WebhookList: Sendable, Hashable, Encodable {
    public var webhooks: [WebhookView]

    public init(webhooks: [WebhookView]) {
        self.webhooks = webhooks
    }
}

public enum Webhooks {
    public static let maximumURLLength = 2000

    public static func make(url text: String, party: Party, now: Date) throws(DomainError) -> Webhook {
        guard text.count <= maximumURLLength, let url = URLComponents(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil
        else {
            throw DomainError.invalid(field: "url", "an absolute http or https URL without credentials")
        }
        return Webhook(
            id: "whk_" + hex(randomBytes(8)), party: party, url: text, secret: "whsec_" + hex(randomBytes(32)),
            createdAt: now)
    }

    /// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The time is signed with the body
    /// so a receiver can refuse an old delivery replayed by someone who recorded it.
    public static func signature(secret: String, timestamp: Int64, body: Data) -> String {
        var message = Data("\(timestamp).".utf8)
        message += body
        return "t=\(timestamp),v1=\(hmacSHA256(key: Data(secret.utf8), message: message))"
    }

    public static func hmacSHA256(key: Data, message: Data) -> String {
        hex(Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))))
    }

    /// Seconds to wait after the n-th consecutive failure: 1, 2, 4 … capped at one hour.
    public static func backoff(afterFailures failures: Int) -> TimeInterval {
        min(3600, pow(2, Double(max(0, min(failures - 1, 12)))))
    }
}
