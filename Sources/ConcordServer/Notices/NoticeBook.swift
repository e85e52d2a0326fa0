import ConcordCore
import ConcordStore

/// Every notice and diffusion, in memory. They number in the tens of thousands, and every list,
/// count, queue and public search filters all of them through the policy, so they are read
/// from memory rather than from the store each time. The book follows the journal's write
/// entries about notices and diffusions, and is brought up to date before every answer about
/// notices, so writes made by other nodes or a moment ago are always seen. Document checks,
/// which must not wait for the store, read it as it stands: local writes reach it at once, and
/// `NoticeUpkeep` brings in those of other nodes.
public actor NoticeBook {
    private let store: any Store
    private var notices: [RecordID: NoticeRecord] = [:]
    private var diffusions: [RecordID: Diffusion] = [:]
    /// Published notices by the identity documents of their subjects.
    private var documents: [DocumentKey: Set<RecordID>] = [:]
    /// The last journal entry the book reflects.
    private var position: Int64 = 0
    private static let pageSize = 1000

    public init(store: any Store) {
        self.store = store
    }

    /// Reads every notice and diffusion. The head is read first: what is written meanwhile is
    /// read again by the next catch-up, which is harmless.
    public func load() async throws {
        position = try await store.journalHead()?.position ?? 0
        for kind in [RecordKind.notice, .diffusion] {
            var cursor: Int64 = 0
            while true {
                let page = try await store.records(kind: kind, after: cursor, limit: Self.pageSize)
                for record in page.records { try keep(record) }
                guard let next = page.next else { break }
                cursor = next
            }
        }
    }

    /// Applies the notice and diffusion writes journaled since the last call.
    public func catchUp() async throws {
        while true {
            let entries = try await store.journal(after: position, limit: Self.pageSize, category: .write)
            let ids = entries.filter { Self.concernsBook($0.draft.action) }.flatMap(\.draft.targets)
            for record in try await store.records(ids: ids.map { RecordID(rawValue: $0) }) { try keep(record) }
            guard let last = entries.last else { return }
            position = last.position
            if entries.count < Self.pageSize { return }
        }
    }

    /// The journal actions of the writes that change notices and diffusions.
    static func concernsBook(_ action: String) -> Bool {
        action.hasPrefix("notice.") || action.hasPrefix("diffusion.")
    }

    public var allNotices: [NoticeRecord] { Array(notices.values) }
    public var allDiffusions: [Diffusion] { Array(diffusions.values) }
    public func notice(_ id: RecordID) -> NoticeRecord? { notices[id] }
    public func diffusion(_ id: RecordID) -> Diffusion? { diffusions[id] }

    /// For each document, the published notices naming it among their subjects' identity
    /// documents; one call for a whole batch of checks.
    public func publishedNotices(holding keys: [DocumentKey]) -> [[Notice]] {
        keys.map { key in
            (documents[key] ?? []).compactMap { notices[$0]?.notice }.filter { $0.state == .published }
        }
    }

    private func keep(_ record: StoredRecord) throws {
        switch record.envelope.kind {
        case .notice:
            let kept = try NoticeRecord(record)
            let id = kept.notice.id
            // Catch-ups may overlap; an older read never replaces a newer one.
            if let known = notices[id], known.notice.version > kept.notice.version { return }
            for key in Self.documentKeys(of: notices[id]?.notice) { documents[key]?.remove(id) }
            notices[id] = kept
            if kept.notice.state == .published {
                for key in Self.documentKeys(of: kept.notice) { documents[key, default: []].insert(id) }
            }
        case .diffusion:
            let kept = try Diffusion(record)
            if let known = diffusions[kept.id], known.version > kept.version { return }
            diffusions[kept.id] = kept
        case .travelDocument, .imageSignature, .icseAuthorisation, .nominalPerson:
            break
        }
    }

    private static func documentKeys(of notice: Notice?) -> [DocumentKey] {
        (notice?.content.subjects ?? []).flatMap(\.identityDocuments).compactMap { try? $0.key }
    }
}
