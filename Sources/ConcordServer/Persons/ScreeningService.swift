import ConcordCore
import ConcordMatching
import ConcordStore
import Foundation
import Metrics

/// One candidate as shown to the caller. Everyone allowed to screen gets what is needed to act:
/// the score, the verdict and its explanation, where the person comes from (kind, reference,
/// owner) and what is asked of whoever finds them. NCBs also get the record: its id, to read
/// it, and the person's particulars as the source records them.
public struct ScreeningCandidate: Sendable, Encodable {
    public var score: Double
    public var match: Bool
    public var threshold: Double
    /// One line an officer can read.
    public var summary: String
    public var explanation: MatchExplanation
    public var source: Source
    public var person: NoticeSubject?

    public struct Source: Sendable, Encodable {
        public var kind: RecordKind
        /// The notice type, diffusion kind or nominal category.
        public var type: String
        /// What to quote when calling the owner: a notice's `YYYY/NNNNN`, else the record's reference.
        public var reference: String
        public var owner: MemberCode
        public var actionRequested: String
        /// The record, for `GET /v1/notices/{id}`, `/v1/diffusions/{id}` or `/v1/persons/{id}`.
        public var id: RecordID?
        public var purpose: Purpose?
        public var reviewDate: Date?
    }

    init?(_ source: ScreeningSource, _ match: PersonMatch, disclosure: Disclosure) {
        guard disclosure >= .actionable else { return nil }
        score = match.score
        self.match = match.match
        threshold = match.threshold
        summary = match.summary
        explanation = match.explanation
        self.source = Source(
            kind: source.envelope.kind, type: source.type, reference: source.reference, owner: source.envelope.owner,
            actionRequested: source.actionRequested)
        if disclosure == .full {
            self.source.id = source.envelope.id
            self.source.purpose = source.envelope.purpose
            self.source.reviewDate = source.envelope.reviewDate
            person = source.person
        }
    }
}

public struct ScreeningResult: Sendable, Encodable {
    /// The query's own label, when it gave one.
    public var reference: String?
    /// Best first.
    public var candidates: [ScreeningCandidate]
    /// Candidates at or above the threshold, among those shown.
    public var matches: Int
}

public struct ScreeningBatchResult: Sendable, Encodable {
    /// In the order of the queries.
    public var results: [ScreeningResult]
}

/// Person screening: names in any script with what else is known, against the subjects of
/// published notices, served diffusions and nominal person records. The policy decides every
/// candidate before it is scored, so a person hidden from the caller never appears, not even
/// below the threshold or in a count; every screening is journaled.
public struct ScreeningService: Sendable {
    let store: any Store
    let index: ScreeningIndexFollower
    let journal: QueryJournal
    let alerts: AlertSignal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    /// Candidates scoring below this are left out of answers: at the matcher's lowest
    /// permitted threshold, single shared names start to pass, and below it is noise.
    static let floor = PersonMatcher.thresholdLimits.lowerBound

    private static let screenings = Counter(label: "concord_person_screenings_total")

    public init(
        store: any Store, index: ScreeningIndexFollower, journal: QueryJournal, alerts: AlertSignal,
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.index = index
        self.journal = journal
        self.alerts = alerts
        self.now = now
    }

    public func screen(_ request: ScreeningRequest, by principal: Principal) async throws -> ScreeningResult {
        try await run([request.query], request.options, prefix: { _ in "" }, by: principal, action: "person.screen")[0]
    }

    public func screen(
        batch request: ScreeningBatchRequest, by principal: Principal
    ) async throws
        -> ScreeningBatchResult
    {
        ScreeningBatchResult(
            results: try await run(
                request.queries, request.options, prefix: { "queries[\($0)]." }, by: principal,
                action: "person.screen-batch"))
    }

    private func run(
        _ queries: [ScreeningQuery], _ options: ScreeningOptions, prefix: (Int) -> String, by principal: Principal,
        action name: String
    ) async throws -> [ScreeningResult] {
        let time = now()
        for kind in ScreeningIndexFollower.kinds {
            try await gate.authorize(
                principal, .screen, .collection(kind), action: name, at: time, subject: "person screening")
        }
        let matcher: PersonMatcher
        do {
            if queries.isEmpty { throw ValidationFailure([FieldIssue("queries", "at least one query")]) }
            if queries.count > Screening.maximumBatch {
                throw ValidationFailure([
                    FieldIssue("queries", "at most \(Screening.maximumBatch) queries in a batch, got \(queries.count)")
                ])
            }
            try Screening.validate(queries, options, thresholdLimits: PersonMatcher.thresholdLimits, prefix: prefix)
            guard let valid = PersonMatcher(threshold: options.threshold ?? PersonMatcher.defaultThreshold) else {
                throw DomainError.invalid(field: "threshold", "outside the matcher's limits")
            }
            matcher = valid
        } catch {
            // A refused screening is still a query, and the journal holds every query.
            try await journal.record(
                JournalDraft(
                    category: .query, time: time, principal: principal, action: name, targets: [],
                    purpose: .identification, outcome: "refused: \(error)"))
            throw error
        }
        try await index.catchUp()
        let prepared = queries.map { PreparedPerson(Self.description(of: $0)) }
        let found = index.search(prepared, matcher: matcher, limit: options.limit ?? Screening.defaultLimit) {
            Policy.decide(principal, .screen, .record($0.envelope.facts(at: time))).isAllowed
        }
        var results: [ScreeningResult] = []
        var shown: [String] = []
        var queried: [RecordID: Envelope] = [:]
        var matches = 0
        for (query, candidates) in zip(queries, found) {
            var kept: [ScreeningCandidate] = []
            for (source, match) in candidates where match.score >= Self.floor {
                // Asked again for the disclosure; the search only let through what is allowed.
                guard
                    case .allow(let disclosure) = Policy.decide(
                        principal, .screen, .record(source.envelope.facts(at: time))),
                    let candidate = ScreeningCandidate(source, match, disclosure: disclosure)
                else { continue }
                kept.append(candidate)
                shown.append(source.envelope.id.rawValue)
                if source.envelope.restrictions.notifyOwner && principal.member != source.envelope.owner {
                    queried[source.envelope.id] = source.envelope
                }
            }
            let matched = kept.filter(\.match).count
            matches += matched
            results.append(ScreeningResult(reference: query.reference, candidates: kept, matches: matched))
        }
        Self.screenings.increment(by: queries.count)
        var seen = Set<String>()
        let draft = JournalDraft(
            category: .query, time: time, principal: principal, action: name,
            targets: shown.filter { seen.insert($0).inserted }, purpose: .identification,
            outcome: "screened \(queries.count), matches \(matches)")
        try await record(
            draft, telling: queried.values.sorted { $0.id.rawValue < $1.id.rawValue }, by: principal, at: time)
        return results
    }

    /// Journals the screening. Owners who asked to hear of queries answered by their data are
    /// told, with alerts stored in the same transaction as the entry, so neither goes without
    /// the other.
    private func record(
        _ draft: JournalDraft, telling owners: [Envelope], by principal: Principal, at time: Date
    ) async throws {
        guard !owners.isEmpty else { return try await journal.record(draft) }
        let encoder = ConcordJSON.encoder()
        let changes = try owners.map { envelope in
            let queried = RecordQueried(
                record: envelope.id, kind: envelope.kind, action: draft.action, actor: principal.actor,
                member: principal.member, at: time)
            return Change.insertAlert(
                AlertDraft(
                    recipient: .member(envelope.owner), event: .recordQueried, createdAt: time,
                    payload: try encoder.encode(queried)))
        }
        try await store.apply(changes, journal: draft)
        alerts.notify()
    }

    /// The query as the matcher takes it.
    static func description(of query: ScreeningQuery) -> PersonDescription {
        PersonDescription(
            names: query.names, dateOfBirth: query.dateOfBirth, nationalities: query.nationality.map { [$0] } ?? [],
            sex: query.sex,
            identifiers: query.documents.map { PersonIdentifier(issuer: $0.issuer, number: $0.number) })
    }
}
