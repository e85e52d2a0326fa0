import ConcordCore
import ConcordStore
import Foundation
import Metrics

/// Recording, reading, withdrawing and checking travel documents. Every path asks the policy
/// and leaves an entry in the journal, whatever its outcome.
public struct DocumentService: Sendable {
    let store: any Store
    let index: DocumentIndexFollower
    let journal: QueryJournal
    let alerts: AlertSignal
    let now: @Sendable () -> Date
    /// Published notices, so that a check can say a document is on a red notice; nil: never says.
    let notices: NoticeBook?
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    private static let checks = Counter(label: "concord_document_checks_total")
    private static let hits = Counter(label: "concord_document_hits_total")

    public init(
        store: any Store, index: DocumentIndexFollower, journal: QueryJournal, alerts: AlertSignal,
        now: @escaping @Sendable () -> Date, notices: NoticeBook? = nil
    ) {
        self.store = store
        self.index = index
        self.journal = journal
        self.alerts = alerts
        self.now = now
        self.notices = notices
    }

    public func record(_ request: NewTravelDocument, by principal: Principal) async throws -> DocumentView {
        let time = now().truncatedToMilliseconds
        let owner = try TravelDocuments.owner(of: request.issuer)
        let facts = RecordFacts(
            kind: .travelDocument, owner: owner, restrictions: request.restrictions ?? .none, status: .active)
        try await gate.authorize(
            principal, .create, .newRecord(facts), action: "document.record", targets: [], at: time,
            subject: "documents issued by \(request.issuer.rawValue)")
        let record = try TravelDocuments.record(request, owner: owner, id: .random(), now: time)
        let draft = JournalDraft(
            category: .write, time: time, principal: principal, action: "document.record",
            targets: [record.envelope.id.rawValue], purpose: record.envelope.purpose, outcome: "recorded")
        do {
            try await store.apply([.insert(try record.stored())], journal: draft)
        } catch StoreError.duplicate {
            throw DomainError.conflict(
                "an active record of \(request.type.rawValue) \(try record.document.key.number) issued by "
                    + "\(request.issuer.rawValue) already exists")
        }
        try await index.catchUp()
        return DocumentView(record, disclosure: .full, viewer: principal.member)!
    }

    public func document(_ id: RecordID, for principal: Principal) async throws -> DocumentView {
        let time = now()
        let (record, disclosure) = try await authorizedRecord(id, principal, .read, action: "document.read", at: time)
        let draft = JournalDraft(
            category: .query, time: time, principal: principal, action: "document.read", targets: [id.rawValue],
            purpose: nil, outcome: "disclosed")
        try await ReadJournal(store: store, journal: journal, alerts: alerts).record(
            draft, of: record.envelope, by: principal, at: time)
        return DocumentView(record, disclosure: disclosure, viewer: principal.member)!
    }

    public func withdraw(_ id: RecordID, by principal: Principal) async throws -> DocumentView {
        let time = now().truncatedToMilliseconds
        let (record, _) = try await authorizedRecord(id, principal, .withdraw, action: "document.withdraw", at: time)
        let withdrawn = try TravelDocuments.withdraw(record, now: time)
        return try await commit(withdrawn, by: principal, action: "document.withdraw", outcome: "withdrawn", at: time)
    }

    /// Checks a batch against the index. A record the caller may not see answers exactly like
    /// no record at all; its owner is still told of the hit.
    public func check(_ request: DocumentCheckRequest, by principal: Principal) async throws -> DocumentCheckResponse {
        let time = now()
        try await gate.authorize(
            principal, .check, .collection(.travelDocument), action: "document.check", at: time,
            subject: "travel documents")
        let matches = try await match(
            request, by: principal, checker: HitChecker(principal, request), channel: .find,
            action: "document.check", at: time)
        let results = matches.map { match in
            guard let match, let disclosure = match.disclosure else { return DocumentCheckResult.noHit }
            return DocumentCheckResult(
                hit: true, document: DocumentView(match.record, disclosure: disclosure, viewer: principal.member),
                reference: match.hit.id)
        }
        return DocumentCheckResponse(
            results: try await mentionRedNotices(in: results, request, by: principal, at: time))
    }

    /// Adds to each result the published red notice whose subject holds the document, as far
    /// as the policy lets the checker know of it; journals the notices mentioned.
    private func mentionRedNotices(
        in results: [DocumentCheckResult], _ request: DocumentCheckRequest, by principal: Principal, at time: Date
    ) async throws -> [DocumentCheckResult] {
        guard let notices else { return results }
        var mentioned: [DocumentCheckResult] = []
        var ids: [String] = []
        let onNotices = await notices.publishedNotices(holding: try Self.keys(request))
        for (result, candidates) in zip(results, onNotices) {
            var result = result
            for notice in candidates where notice.type == .red {
                guard
                    case .allow(let disclosure) = Policy.decide(
                        principal, .check, .record(notice.envelope.facts(at: time))),
                    let mention = NoticeMention(notice, disclosure: disclosure)
                else { continue }
                result.notice = mention
                ids.append(notice.id.rawValue)
                break
            }
            mentioned.append(result)
        }
        if !ids.isEmpty {
            try await journal.record(
                JournalDraft(
                    category: .query, time: time, principal: principal, action: "notice.document-check", targets: ids,
                    purpose: .wantedPerson, outcome: "mentioned \(ids.count)"))
        }
        return mentioned
    }

    /// I-Checkit: a partner under an agreement that names the service learns only whether each
    /// document is recorded, and a reference to quote to the local police.
    public func partnerCheck(
        _ request: DocumentCheckRequest, by principal: Principal
    ) async throws
        -> PartnerCheckResponse
    {
        let time = now()
        var agreement: Agreement?
        if let id = principal.agreement { agreement = try await store.agreement(id: id) }
        try await gate.authorize(
            principal, .check, .partnerService(.icheckit, agreement?.facts(at: time)), action: "icheckit.check",
            at: time, subject: "I-Checkit")
        var checker = HitChecker(principal, request)
        checker.partner = agreement?.partner
        let matches = try await match(
            request, by: principal, checker: checker, channel: .icheckit, action: "icheckit.check", at: time)
        return PartnerCheckResponse(
            results: matches.map { match in
                guard let match, match.disclosure != nil else { return PartnerCheckResult(hit: false, reference: nil) }
                return PartnerCheckResult(hit: true, reference: match.hit.id)
            })
    }

    /// A served record that matched a query, the checker's view of it (nil: hidden from the
    /// checker), and the hit it raised.
    private struct Match {
        var record: TravelDocumentRecord
        var disclosure: Disclosure?
        var hit: Hit
    }

    /// Matches each query; stores the hits with their alerts in one transaction, then journals
    /// the check, naming every matched record, withheld ones included.
    private func match(
        _ request: DocumentCheckRequest, by principal: Principal, checker: HitChecker, channel: CheckChannel,
        action name: String, at time: Date
    ) async throws -> [Match?] {
        let keys = try Self.keys(request)
        var matches: [Match?] = []
        matches.reserveCapacity(keys.count)
        var hits: [Hit] = []
        var disclosed = 0
        let candidates = index.candidates(forEach: keys)
        for (position, key) in keys.enumerated() {
            var found: Match?
            for candidate in candidates[position] where candidate.facts(at: time).isServed {
                // The index narrows; the stored record decides, so a stale entry can never
                // disclose more than the record itself allows.
                guard let record = try await load(candidate.id), try record.document.key == key else { continue }
                let facts = record.envelope.facts(at: time)
                guard facts.isServed else { continue }
                var disclosure: Disclosure?
                if case .allow(let granted) = Policy.decide(principal, .check, .record(facts)) { disclosure = granted }
                let hit = Hits.make(
                    record: record.envelope,
                    document: HitDocument(issuer: key.issuer, type: key.type, number: key.number), checker: checker,
                    channel: channel, disclosed: disclosure != nil, now: time)
                hits.append(hit)
                if disclosure != nil { disclosed += 1 }
                if disclosure != nil || found == nil { found = Match(record: record, disclosure: disclosure, hit: hit) }
            }
            matches.append(found)
        }
        Self.checks.increment(by: keys.count)
        Self.hits.increment(by: disclosed)
        if !hits.isEmpty { try await record(hits, by: principal, at: time) }
        let records = hits.map(\.record.rawValue)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: name, targets: records,
                purpose: .borderManagement,
                outcome: "checked \(keys.count), hits \(disclosed), withheld \(hits.count - disclosed)"))
        return matches
    }

    /// The key of each query, or the first invalid one, named by its position.
    private static func keys(_ request: DocumentCheckRequest) throws(DomainError) -> [DocumentKey] {
        var keys: [DocumentKey] = []
        keys.reserveCapacity(request.documents.count)
        for (position, query) in request.documents.enumerated() {
            do {
                keys.append(try query.key())
            } catch .invalid(let field, let reason) {
                throw DomainError.invalid(field: "documents/\(position)/\(field)", reason)
            } catch {
                throw error
            }
        }
        return keys
    }

    /// Stores new hits and the alerts to their parties; durable before the checker is answered,
    /// so no hit is ever reported without its alerts.
    private func record(_ hits: [Hit], by principal: Principal, at time: Date) async throws {
        var changes: [Change] = []
        for hit in hits {
            changes.append(.putHit(hit))
            changes += try AlertDraft.hit(hit, event: .hitCreated, now: time).map(Change.insertAlert)
        }
        try await store.apply(
            changes,
            journal: JournalDraft(
                category: .write, time: time.truncatedToMilliseconds, principal: principal, action: "hit.record",
                targets: hits.map(\.id) + hits.map(\.record.rawValue), purpose: .borderManagement,
                outcome: "recorded \(hits.count)"))
        alerts.notify()
    }

    /// Keeps a record for another retention period; only its owner may, and must say why.
    public func renewReview(
        _ id: RecordID, _ renewal: ReviewRenewal, by principal: Principal
    ) async throws
        -> DocumentView
    {
        let time = now().truncatedToMilliseconds
        let (record, _) = try await authorizedRecord(id, principal, .update, action: "document.review", at: time)
        let renewed = try TravelDocuments.renewReview(record, reason: renewal.reason, now: time)
        let outcome = "renewed until \(ConcordJSON.timestamp(renewed.envelope.reviewDate)): \(renewal.reason)"
        return try await commit(renewed, by: principal, action: "document.review", outcome: outcome, at: time)
    }

    /// Stores a changed record with its journal entry, and answers once the index has it.
    private func commit(
        _ record: TravelDocumentRecord, by principal: Principal, action: String, outcome: String, at time: Date
    ) async throws -> DocumentView {
        let id = record.envelope.id
        let draft = JournalDraft(
            category: .write, time: time, principal: principal, action: action, targets: [id.rawValue],
            purpose: record.envelope.purpose, outcome: outcome)
        do {
            try await store.apply([.update(try record.stored())], journal: draft)
        } catch StoreError.staleVersion {
            throw DomainError.conflict("document \(id) changed meanwhile; read it again")
        }
        try await index.catchUp()
        return DocumentView(record, disclosure: .full, viewer: principal.member)!
    }

    /// The caller's own documents whose review falls within `days`, soonest first.
    public func reviewsDue(
        within days: Int, after cursor: String?, by principal: Principal
    ) async throws
        -> DocumentPage
    {
        let time = now()
        guard (1...3650).contains(days) else {
            throw DomainError.invalid(field: "within", "between 1 and 3650 days")
        }
        try await gate.authorize(
            principal, .update, .collection(.travelDocument), action: "document.reviews-due", targets: [],
            at: time, subject: "documents")
        guard let owner = principal.member else { throw DomainError.forbidden("only an NCB reviews its own data") }
        let page: DuePage
        do {
            page = try await store.recordsDue(
                kind: .travelDocument, owner: owner, before: time + Double(days) * 86_400, after: cursor, limit: 100)
        } catch StoreError.invalidCursor(let text) {
            throw DomainError.invalid(field: "cursor", "'\(text)' is not a cursor this list returned")
        }
        let records = try page.records.map(TravelDocumentRecord.init)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "document.reviews-due",
                targets: records.map(\.envelope.id.rawValue), purpose: nil, outcome: "listed \(records.count)"))
        return DocumentPage(
            documents: records.map { DocumentView($0, disclosure: .full, viewer: principal.member)! },
            next: page.next)
    }

    private func load(_ id: RecordID) async throws -> TravelDocumentRecord? {
        guard let stored = try await store.record(id), stored.envelope.kind == .travelDocument else { return nil }
        return try TravelDocumentRecord(stored)
    }

    /// Loads a record and asks the policy about it: first whether the role may act on documents
    /// at all, so that a missing record is refused exactly like a hidden one.
    private func authorizedRecord(
        _ id: RecordID, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> (TravelDocumentRecord, Disclosure) {
        let subject = "document \(id)"
        try await gate.authorize(
            principal, action, .collection(.travelDocument), action: name, targets: [id.rawValue], at: time,
            subject: subject)
        guard let record = try await load(id) else {
            try await gate.refuse(.notFound("no \(subject)"), principal, action: name, targets: [id.rawValue], at: time)
        }
        let disclosure = try await gate.authorize(
            principal, action, .record(record.envelope.facts(at: time)), action: name, targets: [id.rawValue],
            at: time, subject: subject)
        return (record, disclosure)
    }
}

extension HitChecker {
    init(_ principal: Principal, _ request: DocumentCheckRequest) {
        self.init(
            actor: principal.actor, role: principal.role, member: principal.member, agreement: principal.agreement,
            terminal: request.terminal, location: request.location)
    }
}
