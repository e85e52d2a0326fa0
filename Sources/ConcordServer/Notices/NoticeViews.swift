import ConcordCore
import Foundation

/// A notice as the API shows it. The owner, the General Secretariat and the CCF also see the
/// compliance findings, what is still missing and the history; other members see the request.
public struct NoticeView: Encodable, Sendable {
    public let id: String
    public let type: NoticeType
    public let owner: MemberCode
    public let state: NoticeState
    public let reference: NoticeReference?
    public let version: Int
    public let request: NoticeRequest
    public let createdAt: Date
    public let updatedAt: Date
    public let reviewDate: Date
    public let submittedAt: Date?
    public let publishedAt: Date?
    public let penaltyException: PenaltyException?
    /// Fields still missing or invalid, while the owner may edit the request.
    public let missing: [Missing]?
    public let findings: [ComplianceFinding]?
    public let riskScore: Int?
    public let history: [NoticeTransition]?
    public let images: [String]?

    public struct Missing: Encodable, Sendable {
        let field: String
        let reason: String
    }

    init(_ record: NoticeRecord, for principal: Principal, images: [String]? = nil) {
        let notice = record.notice
        id = notice.id.rawValue
        type = notice.type
        owner = notice.owner
        state = notice.state
        reference = notice.reference
        version = notice.version
        request = notice.content
        createdAt = notice.envelope.createdAt
        updatedAt = notice.envelope.updatedAt
        reviewDate = notice.envelope.reviewDate
        submittedAt = notice.submittedAt
        publishedAt = notice.publishedAt
        penaltyException = notice.penaltyException
        let insider =
            principal.member == notice.owner || principal.role == .secretariatReviewer || principal.role == .ccf
        let editable = notice.state == .draft || notice.state == .returned
        missing =
            insider && editable
            ? Notices.issues(in: notice.content).map { Missing(field: $0.pointer, reason: $0.reason) } : nil
        // A likely duplicate names another notice, perhaps another member's draft or one its
        // owner hid from this member: only the General Secretariat and the CCF may learn of it.
        let overseer = principal.role == .secretariatReviewer || principal.role == .ccf
        let shown = overseer ? record.findings : record.findings.filter { $0.kind != .likelyDuplicate }
        findings = insider ? shown : nil
        riskScore = insider ? Compliance.riskScore(shown) : nil
        history = insider ? notice.history : nil
        self.images = images
    }
}

/// A page of a list, with the number of items that match in all: counted only among what the
/// caller may see, so a hidden item changes no count.
public struct ListPage<Item: Encodable & Sendable>: Encodable, Sendable {
    public let items: [Item]
    public let total: Int
    public let next: String?
}

/// What the review queue shows of a request or a diffusion awaiting review.
public struct ReviewQueueEntry: Encodable, Sendable {
    public enum Kind: String, Encodable, Sendable {
        case notice, diffusion
    }

    public let kind: Kind
    public let id: String
    /// The notice type, or the diffusion kind.
    public let type: String
    public let owner: MemberCode
    public let waitingSince: Date
    public let riskScore: Int
    public let priority: Int
    public let findings: [ComplianceFinding]
}

public struct DiffusionView: Encodable, Sendable {
    public let id: String
    public let kind: DiffusionKind
    public let owner: MemberCode
    public let state: DiffusionState
    public let recipients: DiffusionRecipients
    public let subjects: [NoticeSubject]
    public let summary: MultilingualText
    public let createdAt: Date
    public let updatedAt: Date
    public let version: Int
    /// For the owner, the General Secretariat and the CCF only.
    public let history: [DiffusionTransition]?

    init(_ diffusion: Diffusion, for principal: Principal) {
        id = diffusion.id.rawValue
        kind = diffusion.content.kind
        owner = diffusion.owner
        state = diffusion.state
        recipients = diffusion.content.recipients
        subjects = diffusion.content.subjects
        summary = diffusion.content.summary
        createdAt = diffusion.envelope.createdAt
        updatedAt = diffusion.envelope.updatedAt
        version = diffusion.version
        let overseers: Set<Role> = [.secretariatReviewer, .secretariatAdmin, .ccf]
        // Spelled out with `if let`: the optimiser (Swift 6.3.1, release) crashes on
        // `principal.role.map(overseers.contains)` here.
        var insider = principal.member == diffusion.owner
        if let role = principal.role, overseers.contains(role) { insider = true }
        history = insider ? diffusion.history : nil
    }
}

/// Pages of lists ordered by creation, then id: the cursor names the last item shown, so a page
/// never repeats or skips an item, whatever was created meanwhile.
enum CreationCursor {
    static func text(_ createdAt: Date, _ id: RecordID) -> String {
        "\(createdAt.millisecondsSince1970)~\(id.rawValue)"
    }

    static func parse(_ text: String?) throws(DomainError) -> (Int64, String)? {
        guard let text else { return nil }
        let parts = text.split(separator: "~", maxSplits: 1)
        guard parts.count == 2, let milliseconds = Int64(parts[0]) else {
            throw DomainError.invalid(field: "cursor", "'\(text)' is not a cursor this list returned")
        }
        return (milliseconds, String(parts[1]))
    }

    /// Newest first, `limit` items after the cursor.
    static func page<Item>(
        _ items: [Item], after cursor: String?, limit: Int, key: (Item) -> (Date, RecordID)
    ) throws(DomainError) -> (items: [Item], next: String?) {
        let after = try parse(cursor)
        let sorted = items.map { (key($0), $0) }.sorted { lhs, rhs in
            let (left, right) = (lhs.0.0.millisecondsSince1970, rhs.0.0.millisecondsSince1970)
            return left != right ? left > right : lhs.0.1.rawValue > rhs.0.1.rawValue
        }
        let remaining = sorted.drop { entry in
            guard let after else { return false }
            let time = entry.0.0.millisecondsSince1970
            return time > after.0 || (time == after.0 && entry.0.1.rawValue >= after.1)
        }
        let page = Array(remaining.prefix(limit))
        let next = remaining.count > limit ? page.last.map { text($0.0.0, $0.0.1) } : nil
        return (page.map(\.1), next)
    }
}
