import Foundation

/// A notice as the store keeps it: the notice, and the findings of the automated compliance
/// checks run when it was last submitted, which the reviewer weighs.
public struct NoticeRecord: Sendable, Hashable {
    public var notice: Notice
    public var findings: [ComplianceFinding]

    public init(notice: Notice, findings: [ComplianceFinding] = []) {
        self.notice = notice
        self.findings = findings
    }

    /// What the body column holds; the envelope and version have columns of their own.
    private struct Body: Codable {
        var content: NoticeRequest
        var state: NoticeState
        var reference: NoticeReference?
        var penaltyException: PenaltyException?
        var submittedAt: Date?
        var publishedAt: Date?
        var history: [NoticeTransition]
        var findings: [ComplianceFinding]
    }

    public init(_ stored: StoredRecord) throws {
        guard stored.envelope.kind == .notice else {
            throw DomainError.invalid(field: "kind", "record \(stored.envelope.id) is not a notice")
        }
        let body = try ConcordJSON.decoder().decode(Body.self, from: stored.body)
        notice = Notice(
            envelope: stored.envelope, content: body.content, state: body.state, reference: body.reference,
            penaltyException: body.penaltyException, submittedAt: body.submittedAt, publishedAt: body.publishedAt,
            history: body.history, version: stored.version)
        findings = body.findings
    }

    /// Keyed by its reference once published, so that no two notices in force share one.
    public func stored() throws -> StoredRecord {
        let body = Body(
            content: notice.content, state: notice.state, reference: notice.reference,
            penaltyException: notice.penaltyException, submittedAt: notice.submittedAt,
            publishedAt: notice.publishedAt, history: notice.history, findings: findings)
        return StoredRecord(
            envelope: notice.envelope, lookupKey: notice.reference?.description,
            body: try ConcordJSON.encoder().encode(body), version: notice.version)
    }
}

extension NoticeReference {
    /// The store counter that numbers the notices published in `year`.
    public static func counter(year: Int) -> String { "notice-reference-\(year)" }
}

extension Diffusion {
    private struct Body: Codable {
        var content: DiffusionRequest
        var state: DiffusionState
        var history: [DiffusionTransition]
    }

    public init(_ stored: StoredRecord) throws {
        guard stored.envelope.kind == .diffusion else {
            throw DomainError.invalid(field: "kind", "record \(stored.envelope.id) is not a diffusion")
        }
        let body = try ConcordJSON.decoder().decode(Body.self, from: stored.body)
        self.init(
            envelope: stored.envelope, content: body.content, state: body.state, history: body.history,
            version: stored.version)
    }

    public func stored() throws -> StoredRecord {
        StoredRecord(
            envelope: envelope, lookupKey: nil,
            body: try ConcordJSON.encoder().encode(Body(content: content, state: state, history: history)),
            version: version)
    }
}

/// What a document check tells of a published red notice whose subject holds the document:
/// an NCB learns which notice and whose, a border officer only that the holder is wanted,
/// which is enough to hold the person and call the NCB.
public struct NoticeMention: Sendable, Hashable, Encodable {
    public var type: NoticeType
    public var reference: NoticeReference?
    public var owner: MemberCode?
    public var id: RecordID?

    /// Nil when the disclosure allows nothing beyond a hit.
    public init?(_ notice: Notice, disclosure: Disclosure) {
        switch disclosure {
        case .hitOnly:
            return nil
        case .actionable:
            type = notice.type
        case .full:
            type = notice.type
            reference = notice.reference
            owner = notice.owner
            id = notice.id
        }
    }
}
