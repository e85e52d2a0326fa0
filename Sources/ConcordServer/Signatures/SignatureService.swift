import ConcordCore
import ConcordMatching
import ConcordStore
import Foundation
import Synchronization

/// The image signature bank (ICSE / Baseline): police share signatures, Baseline partners match
/// against them, report confirmed matches and fetch signed hash lists. Every path asks the
/// policy and leaves an entry in the journal, whatever its outcome.
public struct SignatureService: Sendable {
    let store: any Store
    let index: SignatureIndexFollower
    let journal: QueryJournal
    let alerts: AlertSignal
    let signingKey: MindSigningKey?
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    /// Records per transaction in a bulk load.
    public static let batchSize = 5_000
    /// Refused lines listed in a bulk report; the rest are only counted.
    public static let maximumErrors = 1_000

    public init(
        store: any Store, index: SignatureIndexFollower, journal: QueryJournal, alerts: AlertSignal,
        signingKey: MindSigningKey?, now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.index = index
        self.journal = journal
        self.alerts = alerts
        self.signingKey = signingKey
        self.now = now
    }

    // MARK: - The bank

    public func add(_ request: NewSignature, by principal: Principal) async throws -> SignatureView {
        let time = now().truncatedToMilliseconds
        let authorised = try await isAuthorisedContributor(principal)
        let owner = try await owner(of: request, principal, authorised: authorised, action: "signature.add", at: time)
        let record = try Signatures.make(request, owner: owner, id: .random(), now: time)
        let draft = JournalDraft(
            category: .write, time: time, principal: principal, action: "signature.add",
            targets: [record.envelope.id.rawValue], purpose: record.envelope.purpose, outcome: "added")
        do {
            try await store.apply([.insert(try record.stored())], journal: draft)
        } catch StoreError.duplicate {
            throw DomainError.conflict(
                "the bank already holds the \(record.signature.type.rawValue) signature \(record.signature.value)")
        }
        try await index.catchUp()
        return SignatureView(record)
    }

    /// The owner a new signature gets, once the policy allows the principal to add it: an NCB's
    /// own member, or the member the General Secretariat names.
    private func owner(
        of request: NewSignature, _ principal: Principal, authorised: Bool, action name: String, at time: Date,
        line: Int? = nil
    ) async throws -> MemberCode {
        let field = line.map { "line \($0): owner" } ?? "owner"
        guard let owner = request.owner ?? (principal.role?.isNCB == true ? principal.member : nil) else {
            throw DomainError.invalid(field: field, "name the member that shared the material")
        }
        let facts = RecordFacts(kind: .imageSignature, owner: owner, restrictions: .none, status: .active)
        try await gate.authorize(
            principal, .create, .signatureBank(SignatureBankFacts(signature: facts, contributorAuthorised: authorised)),
            action: name, at: time, subject: "signatures of \(owner)")
        return owner
    }

    /// Adds many signatures from NDJSON lines, each judged as `POST /v1/signatures` would judge it;
    /// a value already in the bank, or repeated in the body, is refused for its line. In
    /// best-effort mode the good lines are recorded and the bad ones reported; in all-or-nothing
    /// mode nothing is recorded unless every line is good.
    public func addBulk(
        _ body: [UInt8], mode: ImportMode, by principal: Principal
    ) async throws -> SignatureImportReport {
        let time = now().truncatedToMilliseconds
        let authorised = try await isAuthorisedContributor(principal)
        try await gate.authorize(
            principal, .importRecords,
            .signatureBank(SignatureBankFacts(signature: nil, contributorAuthorised: authorised)),
            action: "signature.bulk", at: time, subject: "the signature bank")
        var report = SignatureImportReport(mode: mode)
        var records: [(line: Int, record: StoredRecord)] = []
        var seen: Set<String> = []
        let decoder = ConcordJSON.decoder()
        for (offset, slice) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        {
            let line = offset + 1
            let text = slice.last == UInt8(ascii: "\r") ? slice.dropLast() : slice[...]
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            report.read += 1
            do {
                let request: NewSignature
                do {
                    request = try decoder.decode(NewSignature.self, from: Data(text))
                } catch let error as DecodingError {
                    let failure = DecodingFailure(error)
                    throw ImportLineError(line: line, failure.kind.rawValue, field: failure.field, failure.detail)
                } catch {
                    throw ImportLineError(line: line, "malformed-json", "\(error)")
                }
                let owner = try await lineOwner(request, principal, authorised: authorised, line: line, at: time)
                let record = try Signatures.make(request, owner: owner, id: .random(), now: time)
                guard seen.insert(record.signature.lookupKey).inserted else {
                    throw ImportLineError(line: line, "duplicate", "repeats the value of an earlier line")
                }
                records.append((line, try record.stored()))
            } catch let error as ImportLineError {
                report.reject(error)
            } catch let error as DomainError {
                report.reject(ImportLineError(line: line, error))
            }
        }
        if mode == .allOrNothing && report.rejected > 0 {
            try await closeBulk(report, principal, "refused, nothing recorded", at: time)
            return report
        }
        var failure: ImportLineError?
        let batches = stride(from: 0, to: records.count, by: Self.batchSize).map {
            Array(records[$0..<min($0 + Self.batchSize, records.count)])
        }
        let pending = Mutex(batches[...])
        let outcome = Mutex((recorded: 0, rejected: [ImportLineError]()))
        // Batches handed to the store and not yet reported, oldest first: the store may ask for
        // the next batch before it reports the one it is writing.
        let taken = Mutex<[[(line: Int, record: StoredRecord)]]>([])
        do {
            try await store.insert(
                batches: {
                    guard let batch = pending.withLock({ $0.popFirst() }) else { return nil }
                    taken.withLock { $0.append(batch) }
                    return InsertBatch(records: batch.map(\.record)) { inserted in
                        JournalDraft(
                            category: .write, time: time, principal: principal, action: "signature.add",
                            targets: inserted, purpose: .identification, outcome: "added \(inserted.count) in bulk")
                    }
                },
                atomically: mode == .allOrNothing,
                inserted: { batch in
                    let lines = taken.withLock { $0.removeFirst() }
                    let duplicates = batch.duplicates.map {
                        ImportLineError(line: lines[$0].line, "duplicate", "the bank already holds this value")
                    }
                    if mode == .allOrNothing, let first = duplicates.first { throw first }
                    outcome.withLock {
                        $0.recorded += lines.count - duplicates.count
                        $0.rejected += duplicates
                    }
                })
        } catch let error as ImportLineError {
            failure = error
        }
        if let failure {
            report.reject(failure)
            report.recorded = 0
            try await closeBulk(report, principal, "refused, nothing recorded", at: time)
            return report
        }
        let (recorded, duplicates) = outcome.withLock { ($0.recorded, $0.rejected) }
        for duplicate in duplicates.sorted(by: { $0.line < $1.line }) { report.reject(duplicate) }
        report.recorded = recorded
        try await closeBulk(report, principal, "completed", at: time)
        if recorded > 0 { try await index.catchUp() }
        return report
    }

    private func lineOwner(
        _ request: NewSignature, _ principal: Principal, authorised: Bool, line: Int, at time: Date
    ) async throws -> MemberCode {
        guard let owner = request.owner ?? (principal.role?.isNCB == true ? principal.member : nil) else {
            throw ImportLineError(
                line: line, "invalid-field", field: "/owner", "name the member that shared the material")
        }
        let facts = RecordFacts(kind: .imageSignature, owner: owner, restrictions: .none, status: .active)
        let decision = Policy.decide(
            principal, .importRecords,
            .signatureBank(SignatureBankFacts(signature: facts, contributorAuthorised: authorised)))
        guard decision.isAllowed else {
            throw ImportLineError(
                line: line, "forbidden", field: "/owner", "only \(owner)'s NCB may share its signatures")
        }
        return owner
    }

    private func closeBulk(
        _ report: SignatureImportReport, _ principal: Principal, _ outcome: String, at time: Date
    ) async throws {
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "signature.bulk", targets: [],
                purpose: .identification,
                outcome: "\(outcome): read \(report.read), recorded \(report.recorded), rejected \(report.rejected) "
                    + "(\(report.mode.rawValue))"))
    }

    public func signature(_ id: RecordID, for principal: Principal) async throws -> SignatureView {
        let time = now()
        let record = try await authorizedRecord(id, principal, .read, action: "signature.read", at: time)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "signature.read", targets: [id.rawValue],
                purpose: .identification, outcome: "disclosed"))
        return SignatureView(record)
    }

    public func withdraw(_ id: RecordID, by principal: Principal) async throws -> SignatureView {
        let time = now().truncatedToMilliseconds
        let record = try await authorizedRecord(id, principal, .withdraw, action: "signature.withdraw", at: time)
        let withdrawn = try Signatures.withdraw(record, now: time)
        do {
            try await store.apply(
                [.update(try withdrawn.stored())],
                journal: JournalDraft(
                    category: .write, time: time, principal: principal, action: "signature.withdraw",
                    targets: [id.rawValue], purpose: .identification, outcome: "withdrawn"))
        } catch StoreError.staleVersion {
            throw DomainError.conflict("signature \(id) changed meanwhile; read it again")
        }
        try await index.catchUp()
        return SignatureView(withdrawn)
    }

    private func authorizedRecord(
        _ id: RecordID, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> SignatureRecord {
        let subject = "signature \(id)"
        let authorised = try await isAuthorisedContributor(principal)
        try await gate.authorize(
            principal, action, .signatureBank(SignatureBankFacts(signature: nil, contributorAuthorised: authorised)),
            action: name, targets: [id.rawValue], at: time, subject: subject)
        guard let stored = try await store.record(id), stored.envelope.kind == .imageSignature else {
            try await gate.refuse(.notFound("no \(subject)"), principal, action: name, targets: [id.rawValue], at: time)
        }
        let record = try SignatureRecord(stored)
        try await gate.authorize(
            principal, action,
            .signatureBank(
                SignatureBankFacts(signature: record.envelope.facts(at: time), contributorAuthorised: authorised)),
            action: name, targets: [id.rawValue], at: time, subject: subject)
        return record
    }

    // MARK: - ICSE authorisations

    /// Whether the principal's member is authorised now; only NCBs ever are.
    func isAuthorisedContributor(_ principal: Principal) async throws -> Bool {
        guard principal.role?.isNCB == true, let member = principal.member else { return false }
        let stored = try await store.record(ICSEAuthorisation.recordID(member))
        return stored?.envelope.kind == .icseAuthorisation && stored?.envelope.status == .active
    }

    public func contributors(by principal: Principal) async throws -> ICSEAuthorisationList {
        let time = now()
        try await gate.authorize(
            principal, .read, .icseAuthorisations, action: "icse.list", at: time, subject: "ICSE authorisations")
        var found: [ICSEAuthorisation] = []
        var cursor: Int64 = 0
        while true {
            let page = try await store.records(kind: .icseAuthorisation, after: cursor, limit: 1000)
            found += try page.records.map(ICSEAuthorisation.init)
            guard let next = page.next else { break }
            cursor = next
        }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "icse.list",
                targets: found.map { ICSEAuthorisation.recordID($0.member).rawValue }, purpose: nil,
                outcome: "listed \(found.count)"))
        return ICSEAuthorisationList(contributors: found.sorted { $0.member < $1.member })
    }

    public func authorise(
        _ member: MemberCode, _ grant: ICSEGrant, by principal: Principal
    ) async throws -> ICSEAuthorisation {
        let time = now().truncatedToMilliseconds
        let id = ICSEAuthorisation.recordID(member)
        try await gate.authorize(
            principal, .create, .icseAuthorisations, action: "icse.authorise", targets: [id.rawValue], at: time,
            subject: "ICSE authorisations")
        let existing = try await store.record(id)
        let record = try ICSEAuthorisation.grant(member, note: grant.note, existing: existing, now: time)
        try await commit(record, isNew: existing == nil, by: principal, action: "icse.authorise", at: time)
        return try ICSEAuthorisation(record)
    }

    public func revoke(_ member: MemberCode, by principal: Principal) async throws -> ICSEAuthorisation {
        let time = now().truncatedToMilliseconds
        let id = ICSEAuthorisation.recordID(member)
        try await gate.authorize(
            principal, .withdraw, .icseAuthorisations, action: "icse.revoke", targets: [id.rawValue], at: time,
            subject: "ICSE authorisations")
        guard let existing = try await store.record(id) else {
            throw DomainError.notFound("\(member) holds no ICSE authorisation")
        }
        let record = try ICSEAuthorisation.revoke(existing, now: time)
        try await commit(record, isNew: false, by: principal, action: "icse.revoke", at: time)
        return try ICSEAuthorisation(record)
    }

    private func commit(
        _ record: StoredRecord, isNew: Bool, by principal: Principal, action: String, at time: Date
    ) async throws {
        do {
            try await store.apply(
                [isNew ? .insert(record) : .update(record)],
                journal: JournalDraft(
                    category: .write, time: time, principal: principal, action: action,
                    targets: [record.envelope.id.rawValue], purpose: nil,
                    outcome: "\(record.envelope.owner) \(record.envelope.status == .active ? "authorised" : "revoked")")
            )
        } catch StoreError.staleVersion, StoreError.duplicate {
            throw DomainError.conflict("the authorisation of \(record.envelope.owner) changed meanwhile")
        }
    }

    // MARK: - Baseline partners

    /// The partner's agreement, once the policy lets it use Baseline for `action`.
    private func baseline(
        _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> Agreement? {
        var agreement: Agreement?
        if let id = principal.agreement { agreement = try await store.agreement(id: id) }
        try await gate.authorize(
            principal, action, .partnerService(.baseline, agreement?.facts(at: time)), action: name, at: time,
            subject: "Baseline")
        return agreement
    }

    /// Matches up to 1,000 hashes: matches carry the bank value, its category and the distance,
    /// never a source, an owner or a record id.
    public func match(_ request: SignatureMatchRequest, by principal: Principal) async throws -> SignatureMatchResponse
    {
        let time = now()
        _ = try await baseline(principal, .check, action: "signature.match", at: time)
        let radius: Int
        let queries: [SignatureMatching.Query]
        do {
            radius = try SignatureMatching.radius(request.radius)
            queries = try SignatureMatching.queries(request.hashes)
        } catch {
            try await journal.record(
                JournalDraft(
                    category: .query, time: time, principal: principal, action: "signature.match", targets: [],
                    purpose: .identification, outcome: "refused: \(error)"))
            throw error
        }
        let (results, matched) = index.read { index in
            let results = SignatureMatching.results(of: queries, in: index, radius: radius, at: time)
            let ids = results.flatMap(\.matches).compactMap {
                index.entry(type: $0.type, value: $0.value, at: time)?.id?.rawValue
            }
            return (results, ids)
        }
        let unusable = results.filter { !$0.usable }.count
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "signature.match",
                targets: Array(Set(matched)).sorted(), purpose: .identification,
                outcome: "matched \(queries.count) within \(radius): \(matched.count) matches, \(unusable) unusable"))
        return SignatureMatchResponse(radius: radius, results: results)
    }

    /// A partner's confirmed match becomes a hit for the NCB that shared the signature and the
    /// General Secretariat, delivered through their inboxes, event streams and webhooks.
    public func report(_ report: SignatureReport, by principal: Principal) async throws -> SignatureReportReceipt {
        let time = now().truncatedToMilliseconds
        let agreement = try await baseline(principal, .create, action: "signature.report", at: time)
        let value = try report.type.validate(report.value, field: "value")
        var distance: Int?
        var query: String?
        if let text = report.query {
            guard report.type == .pdq else {
                throw DomainError.invalid(field: "query", "a query hash is sent with pdq reports only")
            }
            let hex = try SignatureType.pdq.validate(text, field: "query")
            query = hex
            distance = PDQHash(hex: hex)!.distance(to: PDQHash(hex: value)!)
        }
        for (field, text) in [("contentReference", report.contentReference), ("note", report.note)] {
            if let text, text.isEmpty || text.count > SignatureReport.maximumTextLength {
                throw DomainError.invalid(field: field, "between 1 and \(SignatureReport.maximumTextLength) characters")
            }
        }
        // The index finds the signature; the stored record decides whether it is still served.
        var found: SignatureRecord?
        if let id = index.read({ $0.entry(type: report.type, value: value, at: time)?.id }),
            let stored = try await store.record(id), stored.envelope.kind == .imageSignature
        {
            let record = try SignatureRecord(stored)
            if record.envelope.facts(at: time).isServed { found = record }
        }
        guard let record = found else {
            try await gate.refuse(
                .notFound("no \(report.type.rawValue) signature \(value) in the bank"), principal,
                action: "signature.report", targets: [], at: time)
        }
        let checker = HitChecker(
            actor: principal.actor, role: principal.role, member: principal.member, partner: agreement?.partner,
            agreement: principal.agreement)
        let hit = Hits.make(
            signature: record.envelope,
            HitSignature(
                type: record.signature.type, value: record.signature.value, category: record.signature.category,
                query: query, distance: distance, contentReference: report.contentReference, note: report.note),
            checker: checker, now: time)
        let changes =
            [Change.putHit(hit)] + (try AlertDraft.hit(hit, event: .hitCreated, now: time)).map(Change.insertAlert)
        try await store.apply(
            changes,
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "signature.report",
                targets: [hit.id, record.envelope.id.rawValue], purpose: .investigation, outcome: "reported"))
        alerts.notify()
        return SignatureReportReceipt(reference: hit.id)
    }

    /// Every served signature (`since` 0), or the additions and removals since a journal
    /// position, up to the current head; signed with the node's key.
    public func list(since: Int64, by principal: Principal) async throws -> SignedData {
        let time = now()
        _ = try await baseline(principal, .read, action: "signature.list", at: time)
        guard let signingKey else {
            throw DomainError.unavailable("this node has no signing key for hash lists; see `concord serve --help`")
        }
        let head = try await store.journalHead()?.position ?? 0
        guard (0...head).contains(since) else {
            let error = DomainError.invalid(field: "since", "a journal position between 0 and \(head)")
            try await journal.record(
                JournalDraft(
                    category: .query, time: time, principal: principal, action: "signature.list", targets: [],
                    purpose: .identification, outcome: "refused: \(error)"))
            throw error
        }
        var listed: [ListedSignature] = []
        var removed: [RemovedSignature] = []
        func classify(_ stored: StoredRecord) throws {
            guard stored.envelope.kind == .imageSignature else { return }
            let record = try SignatureRecord(stored)
            if record.envelope.facts(at: time).isServed {
                listed.append(
                    ListedSignature(
                        type: record.signature.type, value: record.signature.value,
                        category: record.signature.category, reviewDate: record.envelope.reviewDate))
            } else if since > 0 {
                removed.append(RemovedSignature(type: record.signature.type, value: record.signature.value))
            }
        }
        if since == 0 {
            var cursor: Int64 = 0
            while true {
                let page = try await store.records(kind: .imageSignature, after: cursor, limit: 10_000)
                for stored in page.records { try classify(stored) }
                guard let next = page.next else { break }
                cursor = next
            }
        } else {
            let ids = try await changedRecords(after: since, through: head)
            for start in stride(from: 0, to: ids.count, by: 1000) {
                for stored in try await store.records(ids: Array(ids[start..<min(start + 1000, ids.count)])) {
                    try classify(stored)
                }
            }
        }
        // A value withdrawn and shared again is both removed and listed; removals apply first.
        listed.sort { $0.key < $1.key }
        removed.sort { $0.key < $1.key }
        let list = SignatureList(
            generatedAt: time, since: since, position: head, signatures: listed, removed: removed)
        let data = try ConcordJSON.encoder().encode(list)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "signature.list", targets: [],
                purpose: .identification,
                outcome: "positions \(since) to \(head): \(listed.count) signatures, \(removed.count) removed"))
        return try SignedData(data, signedWith: signingKey)
    }

    /// The key that verifies hash lists.
    public func listKey() throws -> SignatureListKey {
        guard let signingKey else {
            throw DomainError.unavailable("this node has no signing key for hash lists; see `concord serve --help`")
        }
        return SignatureListKey(publicKey: signingKey.publicKey)
    }

    /// Records named by writes after `since`, up to `head`, each once.
    private func changedRecords(after since: Int64, through head: Int64) async throws -> [RecordID] {
        var seen: Set<String> = []
        var ids: [RecordID] = []
        var position = since
        while position < head {
            let entries = try await store.journal(after: position, limit: 1000, category: .write)
            for entry in entries where entry.position <= head && entry.draft.action.hasPrefix("signature.") {
                for target in entry.draft.targets where seen.insert(target).inserted {
                    ids.append(RecordID(rawValue: target))
                }
            }
            guard let last = entries.last, entries.count == 1000 else { break }
            position = last.position
        }
        return ids
    }
}

/// What a bulk load did, line by line where it refused one.
public struct SignatureImportReport: Sendable, Hashable, Codable {
    public var mode: ImportMode
    /// Lines that held a signature; blank lines are not counted.
    public var read = 0
    public var recorded = 0
    public var rejected = 0
    /// The first refused lines, in line order.
    public var errors: [ImportLineError] = []
    /// Refused lines beyond those listed.
    public var moreErrors = 0

    public init(mode: ImportMode) {
        self.mode = mode
    }

    mutating func reject(_ error: ImportLineError) {
        rejected += 1
        if errors.count < SignatureService.maximumErrors {
            errors.append(error)
        } else {
            moreErrors += 1
        }
    }
}

extension ImportLineError {
    init(line: Int, _ error: DomainError) {
        switch error {
        case .invalid(let field, let detail):
            self.init(line: line, "invalid-field", field: DecodingFailure.pointer(field), detail)
        case .forbidden(let detail), .unauthenticated(let detail):
            self.init(line: line, "forbidden", detail)
        case .notFound(let detail), .unavailable(let detail):
            self.init(line: line, "not-found", detail)
        case .conflict(let detail):
            self.init(line: line, "duplicate", detail)
        }
    }
}
