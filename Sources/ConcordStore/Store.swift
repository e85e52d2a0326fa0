import ConcordCore
import Foundation

/// One change in a batch that the store applies atomically together with its journal entry.
public enum Change: Sendable, Hashable {
    case insert(StoredRecord)
    /// Replaces a record; its `version` must be exactly one more than the stored version.
    case update(StoredRecord)
    case insertKey(APIKeyRecord)
    case revokeKey(id: String, at: Date)
    /// Inserts (version 1) or replaces (the stored version plus one) an agreement.
    case putAgreement(Agreement)
    /// Inserts (version 1) or replaces (the stored version plus one) a hit.
    case putHit(Hit)
    /// Appends an alert to its recipient's outbox; the store numbers it.
    case insertAlert(AlertDraft)
    /// Registers a webhook, owed only the alerts that come after it.
    case insertWebhook(Webhook)
    case removeWebhook(id: String)
    /// Moves a named counter from `value - 1` (0 when it has never moved) to `value`; refused
    /// with `counterMoved` when another writer moved it first. Numbers so taken are unique and
    /// leave no gaps, since they commit or roll back with the record that carries them.
    case advanceCounter(name: String, to: Int64)
    case insertAttachment(RecordAttachment)
    /// Adds versions of STIX objects to Gateway collections, each given a `dateAdded` later
    /// than any before it; a version a collection already holds is left as it is.
    case insertGatewayObjects([GatewayObject])
    /// Removes an object's versions from a collection: those listed, or all when nil.
    case deleteGatewayObject(collection: String, id: String, versions: [STIXTimestamp]?)
    case insertGatewayStatus(GatewayStatusRecord)
    /// Inserts (version 1) or replaces (the stored version plus one) a Gateway trust group.
    case putGatewayRoot(GatewayRoot)
}

public enum StoreError: Error, Sendable, Equatable {
    /// Another active record of the same kind already has this lookup key.
    case duplicate(lookupKey: String)
    /// The record changed since it was read.
    case staleVersion(RecordID)
    case notFound(String)
    /// Stored data that cannot be read back; never expected, always reported.
    case corrupt(String)
    case configuration(String)
    /// A page cursor that no page ever returned.
    case invalidCursor(String)
    /// A counter is no longer at the value the writer read.
    case counterMoved(String)
    /// The store is open elsewhere in a way that excludes this use of it.
    case inUse(String)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .duplicate(let lookupKey): "an active record already has the lookup key \(lookupKey)"
        case .staleVersion(let id): "record \(id) changed since it was read"
        case .notFound(let what): "not found: \(what)"
        case .corrupt(let what): "corrupt store: \(what)"
        case .configuration(let what), .invalidCursor(let what), .counterMoved(let what), .inUse(let what): what
        }
    }
}

/// A page of records in insertion order; `next` continues after the last one.
public struct RecordPage: Sendable {
    public var records: [StoredRecord]
    public var next: Int64?

    public init(records: [StoredRecord], next: Int64?) {
        self.records = records
        self.next = next
    }
}

/// Index rows of active travel documents in insertion order; `next` continues after the last one.
public struct DocumentIndexPage: Sendable {
    public var rows: [DocumentIndexRow]
    public var next: Int64?

    public init(rows: [DocumentIndexRow], next: Int64?) {
        self.rows = rows
        self.next = next
    }
}

/// Records due for review, soonest first; `next` continues after the last one.
public struct DuePage: Sendable {
    public var records: [StoredRecord]
    public var next: String?

    public init(records: [StoredRecord], next: String?) {
        self.records = records
        self.next = next
    }
}

/// New records for `Store.insert(batches:atomically:inserted:)`, and how to journal those that
/// were inserted.
public struct InsertBatch: Sendable {
    public var records: [StoredRecord]
    /// The batch's journal entry, given the ids of the records actually inserted.
    public var journal: @Sendable (_ inserted: [String]) -> JournalDraft

    public init(records: [StoredRecord], journal: @escaping @Sendable (_ inserted: [String]) -> JournalDraft) {
        self.records = records
        self.journal = journal
    }
}

/// What became of a batch.
public struct InsertedBatch: Sendable {
    /// Positions in the batch of the records left out because an active record of their kind
    /// already had their lookup key.
    public var duplicates: [Int]
    public var entry: JournalEntry

    public init(duplicates: [Int], entry: JournalEntry) {
        self.duplicates = duplicates
        self.entry = entry
    }
}

public struct JournalHead: Sendable, Hashable {
    public var position: Int64
    public var hash: String

    public init(position: Int64, hash: String) {
        self.position = position
        self.hash = hash
    }
}

/// The whole storage surface. Small on purpose: both backends implement it and one contract
/// suite proves they behave the same.
public protocol Store: Sendable {
    /// Applies the changes and appends the journal entry in one transaction; returns only once
    /// both are durable.
    @discardableResult
    func apply(_ changes: [Change], journal: JournalDraft) async throws -> JournalEntry

    /// Inserts batches of new records, each with its own journal entry, for bulk loads. Unlike
    /// `apply`, a record whose lookup key an active record already has is left out and reported
    /// rather than failing its batch. With `atomically`, every batch is in one transaction;
    /// otherwise each batch commits on its own, and `next` may be asked for the following batch
    /// while one is being written, so that reading and writing overlap. `inserted` reports each
    /// batch, in order, before the error of a later `next` is rethrown. Throwing from `next` or
    /// `inserted` rolls back whatever is not committed yet, and the error is rethrown.
    func insert(
        batches next: @escaping @Sendable () throws -> InsertBatch?, atomically: Bool,
        inserted: @escaping @Sendable (InsertedBatch) throws -> Void
    ) async throws

    /// Appends query entries in one transaction (group commit). Once it returns, the entries
    /// survive a crash of the process; unlike a write, they reach the disk with the next write
    /// or within the backend's flush interval rather than before returning. Waiting for the
    /// disk on every check would put a disk flush (milliseconds) into every answer at a border,
    /// and a lost query entry can only follow a power cut or a crash of the database server,
    /// never a crash of Concord.
    func appendQueries(_ drafts: [JournalDraft]) async throws

    func record(_ id: RecordID) async throws -> StoredRecord?

    /// The records among `ids` that exist, in no particular order.
    func records(ids: [RecordID]) async throws -> [StoredRecord]

    /// Records of a kind in insertion order, starting after the cursor (0 for the start).
    func records(kind: RecordKind, after cursor: Int64, limit: Int) async throws -> RecordPage

    /// The index rows of active travel documents in insertion order, from after the cursor (0
    /// for the start) up to and including `last`, read from columns without decoding a record.
    func documentIndexRows(after cursor: Int64, through last: Int64, limit: Int) async throws -> DocumentIndexPage

    /// The insertion sequence of the latest record of any kind, 0 when there is none: the end of
    /// the range that `documentIndexRows` pages through. Updates keep a record's sequence.
    func lastRecordSequence() async throws -> Int64

    /// The index rows of the travel documents among `ids`, whatever their status, in no
    /// particular order.
    func documentIndexRows(ids: [RecordID]) async throws -> [DocumentIndexRow]

    /// An owner's active records of a kind whose review date falls before `date`, soonest first,
    /// continuing after `cursor` (a `next` from an earlier page).
    func recordsDue(
        kind: RecordKind, owner: MemberCode, before date: Date, after cursor: String?, limit: Int
    )
        async throws -> DuePage

    /// Journal entries after a position, in order; with a category, only entries of it.
    func journal(
        after position: Int64, limit: Int, category: JournalDraft.Category?
    ) async throws
        -> [JournalEntry]

    func journalHead() async throws -> JournalHead?

    func apiKey(secretHash: String) async throws -> APIKeyRecord?
    func apiKey(id: String) async throws -> APIKeyRecord?
    func apiKeys() async throws -> [APIKeyRecord]

    func agreement(id: String) async throws -> Agreement?
    func agreements() async throws -> [Agreement]

    func hit(id: String) async throws -> Hit?
    /// A party's hits, newest first, each with the sequence of the alert that told the party of
    /// it; continues before `cursor`, a sequence from an earlier page.
    func hits(for party: Party, before cursor: Int64?, limit: Int) async throws -> [(sequence: Int64, hit: Hit)]

    /// A party's alerts after a sequence number, oldest first.
    func alerts(for party: Party, after sequence: Int64, limit: Int) async throws -> [Alert]

    /// Registered webhooks with their delivery progress; all of them when `party` is nil.
    func webhooks(party: Party?) async throws -> [WebhookState]
    /// Delivery progress is operational state, rewritten on every attempt; not journaled.
    func recordDelivery(webhook id: String, _ progress: WebhookProgress) async throws

    /// The value of a named counter; 0 when it has never moved.
    func counter(_ name: String) async throws -> Int64

    /// A record's attachments, oldest first.
    func attachments(of record: RecordID) async throws -> [RecordAttachment]

    /// A Gateway collection's objects in the order they were added, filtered as TAXII asks.
    func gatewayObjects(_ query: GatewayQuery) async throws -> GatewayPage
    func gatewayStatus(id: String) async throws -> GatewayStatusRecord?
    /// Up to `limit` versions, in any collection, that name one of `values` as an observable of
    /// `kind`, oldest first.
    func gatewayObjects(observedAs kind: ObservableKind, values: [String], limit: Int) async throws -> [GatewayObject]
    func gatewayRoots() async throws -> [GatewayRoot]

    func close() async throws
}

extension Store {
    /// Recomputes the whole chain, page by page, and names the first entry that does not fit.
    public func verifyJournal(progress: (Int64) -> Void = { _ in }) async throws -> JournalChain.Verdict {
        var verifier = JournalChain.Verifier()
        while true {
            let page = try await journal(after: verifier.position, limit: 5000, category: nil)
            for entry in page { verifier.consume(entry) }
            progress(verifier.position)
            if page.count < 5000 || verifier.failure != nil { break }
        }
        return verifier.finish(head: try await journalHead().map { ($0.position, $0.hash) })
    }
}

/// Encodes the parts of a record kept as JSON text in both backends.
enum RecordCoding {
    static func envelopeJSON(_ envelope: Envelope) throws -> String {
        String(decoding: try ConcordJSON.encoder().encode(envelope), as: UTF8.self)
    }

    static func envelope(_ json: String) throws -> Envelope {
        do {
            return try ConcordJSON.decoder().decode(Envelope.self, from: Data(json.utf8))
        } catch {
            throw StoreError.corrupt("unreadable envelope: \(error)")
        }
    }

    /// The envelopes of a bulk batch differ in their ids alone, as a rule, and encoding dates
    /// costs more than the rest of a row; so each distinct envelope is encoded once, with a
    /// placeholder id, and every row gets that text with its own id put in.
    struct EnvelopeTemplates {
        private static let placeholder = "00000000-0000-0000-0000-000000000000"
        private var templates: [Envelope: (prefix: String, suffix: String)] = [:]

        mutating func json(_ envelope: Envelope) throws -> String {
            let id = envelope.id.rawValue
            // Ids that JSON would escape, or that could be confused with the placeholder, go the slow way.
            guard id != Self.placeholder, id.utf8.allSatisfy({ $0 == 0x2D || $0.isASCIIAlphanumeric }) else {
                return try envelopeJSON(envelope)
            }
            var key = envelope
            key.id = RecordID(rawValue: Self.placeholder)
            if let template = templates[key] { return template.prefix + id + template.suffix }
            let text = try envelopeJSON(key)
            guard let range = text.range(of: "\"\(Self.placeholder)\"") else { return try envelopeJSON(envelope) }
            let template = (String(text[..<range.lowerBound]) + "\"", "\"" + String(text[range.upperBound...]))
            if templates.count > 1000 { templates.removeAll() }
            templates[key] = template
            return template.0 + id + template.1
        }
    }

    /// The restrictions column: NULL for none, which most records have, so that reading the
    /// index rows of millions of records decodes only the few that differ.
    static func restrictionsColumn(_ restrictions: Restrictions) throws -> String? {
        restrictions == .none ? nil : try json(restrictions)
    }

    /// Builds index rows from column values, decoding each distinct restrictions text once.
    struct IndexRowReader {
        private var restrictions: [String: Restrictions] = [:]
        /// Rows come in runs of one owner: comparing with the last owner's code costs less than
        /// checking the code against the membership table again.
        private var lastOwner: MemberCode?

        /// The id and key come parsed, as each backend reads them best; their texts are only
        /// for the errors.
        mutating func row(
            uuidBits: (high: UInt64, low: UInt64)?, id: @autoclosure () -> String, key: DocumentKey?,
            lookupKey: @autoclosure () -> String, owner: String, restrictions text: String?, reviewSeconds: Double,
            status: String
        ) throws -> DocumentIndexRow {
            guard let uuidBits else {
                throw StoreError.corrupt("travel document '\(id())' has an id that is not a UUID")
            }
            guard let key else {
                throw StoreError.corrupt("travel document \(id()) has lookup key '\(lookupKey())'")
            }
            guard let member = lastOwner?.rawValue == owner ? lastOwner : MemberCode(owner) else {
                throw StoreError.corrupt("travel document \(id()) has owner '\(owner)'")
            }
            lastOwner = member
            return DocumentIndexRow(
                uuidBits: uuidBits, key: key, owner: member, restrictions: try decoded(text),
                reviewDate: Date(timeIntervalSince1970: reviewSeconds), isActive: status == RecordStatus.active.rawValue
            )
        }

        private mutating func decoded(_ text: String?) throws -> Restrictions {
            guard let text else { return .none }
            if let known = restrictions[text] { return known }
            let decoded = try decode(Restrictions.self, text, "restrictions")
            restrictions[text] = decoded
            return decoded
        }
    }

    /// Targets are almost always record ids, which need no escaping; those are written
    /// directly, anything else goes through the encoder.
    static func targetsJSON(_ targets: [String]) throws -> String {
        let plain = targets.allSatisfy { target in
            target.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        guard plain else { return String(decoding: try JSONEncoder().encode(targets), as: UTF8.self) }
        return "[" + targets.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }

    static func targets(_ json: String) throws -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StoreError.corrupt("unreadable journal targets: \(error)")
        }
    }

    /// Cursors of due pages: the review date and sequence of the last record, opaque to callers.
    static func dueCursor(_ text: String?) throws -> (reviewDate: String, seq: Int64) {
        guard let text else { return ("", 0) }
        let parts = text.split(separator: "~")
        guard parts.count == 2, let seq = Int64(parts[1]) else {
            throw StoreError.invalidCursor(text)
        }
        return (String(parts[0]), seq)
    }

    static func dueCursor(reviewDate: String, seq: Int64) -> String { "\(reviewDate)~\(seq)" }

    static func json<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try ConcordJSON.encoder().encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_: Value.Type, _ json: String, _ what: String) throws -> Value {
        do {
            return try ConcordJSON.decoder().decode(Value.self, from: Data(json.utf8))
        } catch {
            throw StoreError.corrupt("unreadable \(what): \(error)")
        }
    }

    static func party(_ text: String) throws -> Party {
        guard let party = Party(rawValue: text) else { throw StoreError.corrupt("unknown party '\(text)'") }
        return party
    }

    static func event(_ text: String) throws -> AlertEvent {
        guard let event = AlertEvent(rawValue: text) else { throw StoreError.corrupt("unknown alert event '\(text)'") }
        return event
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
