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
    let now: @Sendable () -> Date

    private static let checks = Counter(label: "concord_document_checks_total")
    private static let hits = Counter(label: "concord_document_hits_total")

    public init(
        store: any Store, index: DocumentIndexFollower, journal: QueryJournal,
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.index = index
        self.journal = journal
        self.now = now
    }

    public func record(_ request: NewTravelDocument, by principal: Principal) async throws -> DocumentView {
        let time = now().truncatedToMilliseconds
        let owner = try TravelDocuments.owner(of: request.issuer)
        let facts = RecordFacts(
            kind: .travelDocument, owner: owner, restrictions: request.restrictions ?? .none, status: .active)
        try await authorize(
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
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "document.read",
                targets: [id.rawValue], purpose: nil, outcome: "disclosed"))
        return DocumentView(record, disclosure: disclosure, viewer: principal.member)!
    }

    public func withdraw(_ id: RecordID, by principal: Principal) async throws -> DocumentView {
        let time = now().truncatedToMilliseconds
        let (record, _) = try await authorizedRecord(id, principal, .withdraw, action: "document.withdraw", at: time)
        let withdrawn = try TravelDocuments.withdraw(record, now: time)
        return try await commit(withdrawn, by: principal, action: "document.withdraw", outcome: "withdrawn", at: time)
    }

    /// Checks a batch against the index. A record the caller may not see answers exactly like
    /// no record at all.
    public func check(_ request: DocumentCheckRequest, by principal: Principal) async throws -> DocumentCheckResponse {
        let time = now()
        try await authorize(
            principal, .check, .collection(.travelDocument), action: "document.check", targets: [], at: time,
            subject: "travel documents")
        var keys: [DocumentKey] = []
        keys.reserveCapacity(request.documents.count)
        for (position, query) in request.documents.enumerated() {
            do {
                keys.append(try query.key())
            } catch .invalid(let field, let reason) {
                throw DomainError.invalid(field: "documents/\(position)/\(field)", reason)
            }
        }
        var results: [DocumentCheckResult] = []
        results.reserveCapacity(keys.count)
        var matched: [String] = []
        let candidates = index.candidates(forEach: keys)
        for (position, key) in keys.enumerated() {
            var result = DocumentCheckResult.noHit
            for candidate in candidates[position] {
                // The index narrows; the stored record decides, so a stale entry can never
                // disclose more than the record itself allows.
                guard Policy.decide(principal, .check, .record(candidate.facts(at: time))).isAllowed,
                    let record = try await load(candidate.id), try record.document.key == key,
                    case .allow(let disclosure) = Policy.decide(
                        principal, .check, .record(record.envelope.facts(at: time)))
                else { continue }
                matched.append(candidate.id.rawValue)
                result = DocumentCheckResult(
                    hit: true, document: DocumentView(record, disclosure: disclosure, viewer: principal.member))
            }
            results.append(result)
        }
        Self.checks.increment(by: keys.count)
        Self.hits.increment(by: matched.count)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "document.check", targets: matched,
                purpose: .borderManagement, outcome: "checked \(keys.count), hits \(matched.count)"))
        return DocumentCheckResponse(results: results)
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
        try await authorize(
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
        try await authorize(
            principal, action, .collection(.travelDocument), action: name, targets: [id.rawValue], at: time,
            subject: subject)
        guard let record = try await load(id) else {
            try await refuse(.notFound("no \(subject)"), principal, action: name, targets: [id.rawValue], at: time)
        }
        let disclosure = try await authorize(
            principal, action, .record(record.envelope.facts(at: time)), action: name, targets: [id.rawValue],
            at: time, subject: subject)
        return (record, disclosure)
    }

    /// Asks the policy; a refusal is journaled before it is reported.
    @discardableResult
    private func authorize(
        _ principal: Principal, _ action: Action, _ target: Target, action name: String, targets: [String],
        at time: Date, subject: String
    ) async throws -> Disclosure {
        do {
            return try Policy.decide(principal, action, target).disclosure(for: principal, subject)
        } catch {
            try await refuse(error, principal, action: name, targets: targets, at: time)
        }
    }

    private func refuse(
        _ error: DomainError, _ principal: Principal, action name: String, targets: [String], at time: Date
    ) async throws -> Never {
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: name, targets: targets, purpose: nil,
                outcome: "refused"))
        throw error
    }
}
