import ConcordCore
import ConcordStore
import Foundation
import Synchronization

/// Bulk import of travel documents, shared by `concord import documents` and
/// `POST /v1/documents/bulk`: lines in, batches of records into the store, a report out. Each
/// line is judged by the policy as its own `POST /v1/documents` would be; each committed batch
/// carries one journal entry naming its records; the import as a whole closes with an entry
/// saying what came of it.
public struct DocumentImportService: Sendable {
    /// Records per transaction: large enough that commits cost little, small enough that a batch
    /// and its journal entry stay a few megabytes.
    public static let batchSize = 10_000
    /// Refused lines listed in a report; the rest are only counted.
    public static let maximumErrors = 1_000

    let store: any Store
    /// Caught up at the end, so that a node answers checks on the new records at once. The CLI
    /// has none: running nodes pick its writes up from the journal.
    let index: DocumentIndexFollower?
    let now: @Sendable () -> Date

    public init(
        store: any Store, index: DocumentIndexFollower? = nil, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.index = index
        self.now = now
    }

    public struct Progress: Sendable {
        public var read: Int
        public var recorded: Int
        public var rejected: Int
        /// Bytes of input consumed so far.
        public var bytes: Int
    }

    /// Imports the documents that `read` delivers chunk by chunk (nil at the end) for `member`,
    /// or for the principal's own member when nil.
    public func run(
        format: ImportFormat, member: MemberCode?, mode: ImportMode, by principal: Principal,
        batchSize: Int = batchSize, read: @escaping @Sendable () throws -> [UInt8]?,
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> DocumentImportReport {
        let time = now().truncatedToMilliseconds
        let member = try await authorize(principal, member: member, at: time)
        let run = ImportRun(
            state: ImportRun.State(
                lines: LineReader(read: read),
                parser: DocumentImport(member: member, format: format, principal: principal, now: time),
                report: DocumentImportReport(member: member, mode: mode)),
            principal: principal, batchSize: batchSize, now: now, progress: progress)
        var outcome: String
        do {
            try await store.insert(
                batches: { try run.next() }, atomically: mode == .allOrNothing, inserted: { try run.inserted($0) })
            outcome = "completed"
        } catch is ImportRun.Abandoned {
            outcome = "refused, nothing recorded"
        } catch let error as ImportLineError {
            try await journal(principal, "refused: line \(error.line): \(error.detail)", at: now())
            throw DomainError.invalid(field: error.field ?? "/", "line \(error.line): \(error.detail)")
        } catch {
            // What was committed before the failure stays, each batch with its entry; this says
            // the import did not finish.
            let report = run.report
            try? await journal(principal, "failed after recording \(report.recorded) of \(report.read)", at: now())
            throw error
        }
        var report = run.report
        if outcome != "completed" { report.recorded = 0 }
        try await journal(
            principal,
            "\(outcome): read \(report.read), recorded \(report.recorded), rejected \(report.rejected) (\(mode.rawValue))",
            at: now())
        if report.recorded > 0 { try await index?.catchUp() }
        return report
    }

    /// Input that is already in memory, such as a request body, handed over in one chunk.
    public static func reading(_ bytes: [UInt8]) -> @Sendable () -> [UInt8]? {
        let remaining = OneChunk(bytes)
        return { remaining.take() }
    }

    private final class OneChunk: Sendable {
        private let bytes: Mutex<[UInt8]?>
        init(_ bytes: [UInt8]) { self.bytes = Mutex(bytes) }
        func take() -> [UInt8]? {
            bytes.withLock { bytes in
                let taken = bytes
                bytes = nil
                return taken
            }
        }
    }

    /// Whether the principal may import records of the member at all; each line is asked again
    /// with its own facts.
    private func authorize(_ principal: Principal, member: MemberCode?, at time: Date) async throws -> MemberCode {
        do {
            _ = try Policy.decide(principal, .importRecords, .collection(.travelDocument))
                .disclosure(for: principal, "travel documents")
            guard let member = member ?? principal.member else {
                throw DomainError.invalid(field: "member", "name the member whose documents these are")
            }
            let facts = RecordFacts(kind: .travelDocument, owner: member, restrictions: .none, status: .active)
            _ = try Policy.decide(principal, .importRecords, .newRecord(facts))
                .disclosure(for: principal, "documents of \(member.rawValue)")
            return member
        } catch {
            try await journal(principal, "refused", at: time)
            throw error
        }
    }

    private func journal(_ principal: Principal, _ outcome: String, at time: Date) async throws {
        try await store.appendQueries([
            JournalDraft(
                category: .query, time: time, principal: principal, action: "document.import", targets: [],
                purpose: .borderManagement, outcome: outcome)
        ])
    }
}

/// The state of one import between the store's calls for the next batch and its reports of
/// what became of the last. The store makes those calls one after another; the lock only makes
/// that safe to share.
final class ImportRun: Sendable {
    /// Thrown at the end of an all-or-nothing import with bad lines, to roll everything back.
    struct Abandoned: Error {}

    struct State {
        var lines: LineReader
        var parser: DocumentImport
        var report: DocumentImportReport
        /// Batches handed to the store and not yet reported on, oldest first: the store may ask
        /// for the next batch while it writes one.
        var pending: [Pending] = []

        mutating func add(_ errors: [ImportLineError]) {
            report.rejected += errors.count
            let room = max(0, DocumentImportService.maximumErrors - report.errors.count)
            report.errors += errors.sorted { $0.line < $1.line }.prefix(room)
            report.moreErrors += max(0, errors.count - room)
        }
    }

    /// Line and lookup key of each record of a batch, and the lines of its range already refused.
    struct Pending {
        var lines: [Int]
        var keys: [String?]
        var errors: [ImportLineError]
    }

    private let state: Mutex<State>
    private let principal: Principal
    private let batchSize: Int
    private let now: @Sendable () -> Date
    private let progress: @Sendable (DocumentImportService.Progress) -> Void

    init(
        state: sending State, principal: Principal, batchSize: Int, now: @escaping @Sendable () -> Date,
        progress: @escaping @Sendable (DocumentImportService.Progress) -> Void
    ) {
        self.state = Mutex(state)
        self.principal = principal
        self.batchSize = batchSize
        self.now = now
        self.progress = progress
    }

    var report: DocumentImportReport { state.withLock { $0.report } }

    func next() throws -> InsertBatch? {
        try state.withLock { state in
            while true {
                var records: [StoredRecord] = []
                var errors: [ImportLineError] = []
                var lines: [Int] = []
                var first: Int?
                var last = 0
                // Bounded by lines as well as records, so that a long run of bad lines is reported
                // as it goes instead of piling up.
                while records.count < batchSize && records.count + errors.count < 2 * batchSize,
                    let line = try state.lines.next()
                {
                    let outcome: DocumentImport.Outcome
                    if line.tooLong {
                        outcome = .rejected(
                            ImportLineError(line: line.number, "line-too-long", "longer than 65,536 bytes"))
                    } else {
                        outcome = try state.parser.consume(line.bytes, number: line.number)
                    }
                    switch outcome {
                    case .skipped:
                        continue
                    case .record(let record):
                        records.append(record)
                        lines.append(line.number)
                    case .rejected(let error):
                        errors.append(error)
                    }
                    state.report.read += 1
                    first = first ?? line.number
                    last = line.number
                }
                guard !records.isEmpty, let first else {
                    // Lines after a batch still being written wait for its report, to stay in order.
                    if state.pending.isEmpty {
                        state.add(errors)
                    } else {
                        state.pending[state.pending.count - 1].errors += errors
                    }
                    report(state)
                    if errors.isEmpty {
                        if state.report.mode == .allOrNothing && state.report.rejected > 0 { throw Abandoned() }
                        return nil
                    }
                    continue
                }
                state.pending.append(Pending(lines: lines, keys: records.map(\.lookupKey), errors: errors))
                let principal = self.principal
                let time = now()
                let count = records.count + errors.count
                let range = "lines \(first)-\(last)"
                return InsertBatch(records: records) { inserted in
                    JournalDraft(
                        category: .write, time: time, principal: principal, action: "document.import",
                        targets: inserted, purpose: .borderManagement,
                        outcome: "\(range): recorded \(inserted.count) of \(count)")
                }
            }
        }
    }

    func inserted(_ batch: InsertedBatch) throws {
        state.withLock { state in
            let pending = state.pending.removeFirst()
            var errors = pending.errors
            for position in batch.duplicates {
                errors.append(
                    .duplicateOfRecord(line: pending.lines[position], lookupKey: pending.keys[position] ?? ""))
            }
            state.report.recorded += pending.lines.count - batch.duplicates.count
            state.add(errors)
            report(state)
        }
    }

    private func report(_ state: State) {
        progress(
            DocumentImportService.Progress(
                read: state.report.read, recorded: state.report.recorded, rejected: state.report.rejected,
                bytes: state.lines.consumed))
    }
}
