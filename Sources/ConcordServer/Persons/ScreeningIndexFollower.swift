import ConcordCore
import ConcordMatching
import ConcordStore
import Logging
import ServiceLifecycle
import Synchronization

/// Where a screenable person comes from: a subject of a published notice or of a served
/// diffusion, or a nominal person record, with what the policy and the answer need of it.
public struct ScreeningSource: Sendable {
    public var envelope: Envelope
    /// The notice's `YYYY/NNNNN`; the record id for diffusions and nominal records.
    public var reference: String
    /// The notice type, diffusion kind or nominal category.
    public var type: String
    public var actionRequested: String
    /// The person's particulars as the source records them.
    public var person: NoticeSubject
    /// The position of the subject among the source's subjects.
    public var subject: Int
}

/// Keeps the persons index in step with the store by following the journal's write entries
/// about notices, diffusions and nominal persons, like the document index follower. Only data
/// that may be served is indexed: published notices, diffusions neither cancelled nor found
/// non-compliant, active nominal records. A record that leaves that state leaves the index at
/// the next catch-up; one that passes its review date is refused by the policy at query time.
///
/// Screening catches up before it answers, so a person on a notice published a moment ago, on
/// this node or another, is screenable at once; the polling loop keeps the index warm between.
public final class ScreeningIndexFollower: Service, Sendable {
    struct State: Sendable {
        var index = PersonIndex()
        /// By index entry (one per subject: `<record id>#<subject>`).
        var sources: [RecordID: ScreeningSource] = [:]
        /// The entries each record put in the index, to take them out when it changes.
        var entries: [RecordID: [RecordID]] = [:]
    }

    private let store: any Store
    private let state = SharedIndex(State())
    /// Search working memory, one per concurrent search, reused so a search does not allocate
    /// arrays as large as the population.
    private let scratches = Mutex([PersonIndex.Scratch]())
    private let position = Mutex<Int64>(0)
    private let queue = SerialQueue()
    private let pollInterval: Duration
    private let logger: Logger
    private static let pageSize = 1000
    static let kinds: [RecordKind] = [.notice, .diffusion, .nominalPerson]

    public init(store: any Store, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Reads every notice, diffusion and nominal record. The head is read first: what is
    /// written meanwhile is applied again by the next catch-up, which is harmless.
    public func load() async throws {
        try await queue.run {
            let head = try await self.store.journalHead()?.position ?? 0
            for kind in Self.kinds {
                var cursor: Int64 = 0
                while true {
                    let page = try await self.store.records(kind: kind, after: cursor, limit: Self.pageSize)
                    try self.keep(page.records)
                    guard let next = page.next else { break }
                    cursor = next
                }
            }
            self.position.withLock { $0 = head }
            self.logger.info("person screening index loaded", metadata: ["persons": "\(self.count)"])
        }
    }

    /// Applies the writes about screenable records journaled since the last catch-up, one
    /// catch-up at a time so a record's states are never applied out of order.
    public func catchUp() async throws {
        try await queue.run {
            while true {
                let after = self.position.withLock { $0 }
                let entries = try await self.store.journal(after: after, limit: Self.pageSize, category: .write)
                let ids = entries.filter { Self.concernsIndex($0.draft.action) }.flatMap(\.draft.targets)
                if !ids.isEmpty { try self.keep(try await self.store.records(ids: ids.map(RecordID.init(rawValue:)))) }
                guard let last = entries.last else { return }
                self.position.withLock { $0 = last.position }
                if entries.count < Self.pageSize { return }
            }
        }
    }

    /// The journal actions of writes that may change who is screenable.
    static func concernsIndex(_ action: String) -> Bool {
        action.hasPrefix("notice.") || action.hasPrefix("diffusion.") || action.hasPrefix("person.")
    }

    public var count: Int { state.read { $0.index.count } }

    private func keep(_ records: [StoredRecord]) throws {
        let sources = try records.compactMap { record -> (RecordID, [ScreeningSource])? in
            guard Self.kinds.contains(record.envelope.kind) else { return nil }
            return (record.envelope.id, try Self.sources(of: record))
        }
        guard !sources.isEmpty else { return }
        state.write { state in
            for (id, subjects) in sources {
                for entry in state.entries.removeValue(forKey: id) ?? [] {
                    state.index.remove(id: entry)
                    state.sources[entry] = nil
                }
                var entries: [RecordID] = []
                for source in subjects {
                    let description = PersonDescription(subject: source.person)
                    guard !description.names.isEmpty else { continue }
                    let entry = RecordID(rawValue: "\(id.rawValue)#\(source.subject)")
                    state.index.upsert(id: entry, description)
                    state.sources[entry] = source
                    entries.append(entry)
                }
                if !entries.isEmpty { state.entries[id] = entries }
            }
        }
    }

    /// The screenable persons of a record: none unless it may be served at all.
    static func sources(of record: StoredRecord) throws -> [ScreeningSource] {
        let envelope = record.envelope
        guard envelope.status == .active else { return [] }
        switch envelope.kind {
        case .notice:
            let notice = try NoticeRecord(record).notice
            guard notice.state == .published else { return [] }
            return notice.content.subjects.enumerated().map { position, subject in
                ScreeningSource(
                    envelope: envelope, reference: notice.reference?.description ?? envelope.id.rawValue,
                    type: notice.type.rawValue, actionRequested: Self.action(of: notice.type), person: subject,
                    subject: position)
            }
        case .diffusion:
            let diffusion = try Diffusion(record)
            guard diffusion.state.isServed else { return [] }
            return diffusion.content.subjects.enumerated().map { position, subject in
                ScreeningSource(
                    envelope: envelope, reference: envelope.id.rawValue, type: diffusion.content.kind.rawValue,
                    actionRequested: diffusion.content.summary.text, person: subject, subject: position)
            }
        case .nominalPerson:
            let person = try NominalPerson(record)
            return [
                ScreeningSource(
                    envelope: envelope, reference: person.content.nationalReference ?? envelope.id.rawValue,
                    type: person.content.category.rawValue, actionRequested: person.actionRequested,
                    person: person.content.subject, subject: 0)
            ]
        case .travelDocument, .imageSignature, .icseAuthorisation:
            return []
        }
    }

    /// What a notice of each type asks of the police who find its subject.
    static func action(of type: NoticeType) -> String {
        switch type {
        case .red: "Wanted: locate and provisionally arrest with a view to extradition; contact the owner's NCB"
        case .yellow: "Missing: locate, ensure the person's safety and contact the owner's NCB"
        case .blue: "Collect information on the person's identity, location or activities for the owner's NCB"
        case .black: "Unidentified body: report any information on the identity to the owner's NCB"
        case .green: "Warning: the person is a threat to public safety; inform the owner's NCB"
        case .orange: "Imminent threat: take precautions and inform the owner's NCB at once"
        case .purple: "Modus operandi notice: report to the owner's NCB"
        case .silver: "Asset tracing: report assets linked to the person to the owner's NCB"
        case .unSpecial: "Subject of United Nations Security Council sanctions: apply them and inform your NCB"
        }
    }

    /// Candidates for each query, best first, among the persons `isVisible` lets through; the
    /// index asks it before scoring, so persons hidden from the caller are never scored,
    /// returned or counted. One lock per query, so writes are not held up by a long batch.
    func search(
        _ queries: [PreparedPerson], matcher: PersonMatcher, limit: Int,
        isVisible: (ScreeningSource) -> Bool
    ) -> [[(source: ScreeningSource, match: PersonMatch)]] {
        var scratch = scratches.withLock { $0.popLast() } ?? PersonIndex.Scratch()
        defer { scratches.withLock { [scratch] pool in pool.append(scratch) } }
        return queries.map { query in
            state.read { state in
                let sources = state.sources
                let found = state.index.search(query, matcher: matcher, limit: limit, scratch: &scratch) { entry in
                    sources[entry].map(isVisible) ?? false
                }
                return found.candidates.compactMap { candidate in
                    sources[candidate.id].map { (source: $0, match: candidate.match) }
                }
            }
        }
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: pollInterval, logger: logger, failure: "person screening index could not follow the journal"
        ) { try await self.catchUp() }
    }
}
