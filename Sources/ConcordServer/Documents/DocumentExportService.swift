import ConcordCore
import ConcordStore
import Foundation

/// Signed offline copies (MIND): a member's full or delta bundle of exactly the documents it
/// may check.
public struct DocumentExportService: Sendable {
    let store: any Store
    let journal: QueryJournal
    let signingKey: MindSigningKey?
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public init(
        store: any Store, journal: QueryJournal, signingKey: MindSigningKey?, now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.journal = journal
        self.signingKey = signingKey
        self.now = now
    }

    /// Everything since journal position `since` (0: everything) up to the current head.
    public func export(since: Int64, by principal: Principal) async throws -> SignedData {
        let time = now()
        try await gate.authorize(
            principal, .check, .collection(.travelDocument), action: "document.export", at: time,
            subject: "travel documents")
        guard let member = principal.member else { throw DomainError.forbidden("exports are cut for a member") }
        guard let signingKey else {
            throw DomainError.unavailable("this node has no signing key for exports; see `concord serve --help`")
        }
        let head = try await store.journalHead()?.position ?? 0
        guard (0...head).contains(since) else {
            throw DomainError.invalid(field: "since", "a journal position between 0 and \(head)")
        }
        var documents: [MindDocument] = []
        var removed: [RecordID] = []
        func classify(_ stored: StoredRecord) throws {
            guard stored.envelope.kind == .travelDocument else { return }
            switch MindExport.entry(for: try TravelDocumentRecord(stored), principal: principal, at: time) {
            case .include(let document): documents.append(document)
            case .remove(let id): if since > 0 { removed.append(id) }
            case .omit: break
            }
        }
        if since == 0 {
            var cursor: Int64 = 0
            while true {
                let page = try await store.records(kind: .travelDocument, after: cursor, limit: 10_000)
                for stored in page.records { try classify(stored) }
                guard let next = page.next else { break }
                cursor = next
            }
        } else {
            for id in try await changedRecords(after: since, through: head) {
                if let stored = try await store.record(id) { try classify(stored) }
            }
        }
        let bundle = MindBundle(
            member: member, generatedAt: time, since: since, position: head, documents: documents, removed: removed)
        let data = try ConcordJSON.encoder().encode(bundle)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "document.export", targets: [],
                purpose: .borderManagement,
                outcome: "positions \(since) to \(head): \(documents.count) documents, \(removed.count) removed"))
        return try SignedData(data, signedWith: signingKey)
    }

    /// Records named by writes after `since`, up to `head`, each once.
    private func changedRecords(after since: Int64, through head: Int64) async throws -> [RecordID] {
        var seen: Set<String> = []
        var ids: [RecordID] = []
        var position = since
        while position < head {
            let entries = try await store.journal(after: position, limit: 1000, category: .write)
            for entry in entries where entry.position <= head {
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
