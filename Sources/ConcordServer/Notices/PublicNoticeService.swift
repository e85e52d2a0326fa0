import ConcordCore
import ConcordStore
import Foundation

/// The public notices API: extracts of published notices whose owner consented, and nothing
/// that `PublicExtracts.extract` does not give. Anyone may ask, without a key; each question is
/// journaled as a query like any other.
public struct PublicNoticeService: Sendable {
    let store: any Store
    let book: NoticeBook
    let journal: QueryJournal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public static let defaultPageSize = 20
    /// As many as the public notices API gives in one page.
    public static let maximumPageSize = 160

    public init(store: any Store, book: NoticeBook, journal: QueryJournal, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.book = book
        self.journal = journal
        self.now = now
    }

    /// An extract with the ids of its photos.
    public struct Found: Sendable {
        public var extract: PublicNoticeExtract
        public var images: [String]
    }

    public struct Page: Sendable {
        public var notices: [Found]
        public var total: Int
        /// 1-based.
        public var page: Int
        public var resultPerPage: Int
        public var lastPage: Int { max(1, (total + resultPerPage - 1) / resultPerPage) }
    }

    /// One page of the matching extracts of a type, newest reference first.
    public func search(
        _ type: NoticeType, _ query: PublicNoticeQuery, page: Int, resultPerPage: Int, by principal: Principal
    ) async throws -> Page {
        let time = now()
        let action = "public-notice.search"
        try await gate.authorize(principal, .read, .publicExtracts, action: action, at: time, subject: "notices")
        guard page >= 1 else { throw DomainError.invalid(field: "page", "a page number from 1") }
        guard (1...Self.maximumPageSize).contains(resultPerPage) else {
            throw DomainError.invalid(field: "resultPerPage", "between 1 and \(Self.maximumPageSize)")
        }
        let matching = try await extracts(of: type, at: time).filter { query.matches($0.1, at: time) }
            .sorted { $0.1.entityID > $1.1.entityID }
        let shown = matching.dropFirst((page - 1) * resultPerPage).prefix(resultPerPage)
        var found: [Found] = []
        for (id, extract) in shown {
            found.append(Found(extract: extract, images: try await store.attachments(of: id).map(\.id)))
        }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: action,
                targets: shown.map(\.0.rawValue), purpose: nil, outcome: "listed \(found.count) of \(matching.count)"))
        return Page(notices: found, total: matching.count, page: page, resultPerPage: resultPerPage)
    }

    public func notice(_ type: NoticeType, _ entityID: String, by principal: Principal) async throws -> Found {
        let time = now()
        let action = "public-notice.read"
        let (id, extract) = try await lookUp(type, entityID, by: principal, action: action, at: time)
        let images = try await store.attachments(of: id).map(\.id)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: action, targets: [id.rawValue],
                purpose: nil, outcome: "disclosed"))
        return Found(extract: extract, images: images)
    }

    /// A photo of a notice's public extract; photos of anything else are never served here.
    public func image(
        _ type: NoticeType, _ entityID: String, picture: String, by principal: Principal
    ) async throws -> RecordAttachment {
        let time = now()
        let action = "public-notice.image"
        let (id, _) = try await lookUp(type, entityID, by: principal, action: action, at: time)
        guard let image = try await store.attachments(of: id).first(where: { $0.id == picture }) else {
            try await gate.refuse(
                .notFound("no image \(picture)"), principal, action: action, targets: [id.rawValue], at: time)
        }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: action,
                targets: [id.rawValue, picture], purpose: nil, outcome: "disclosed"))
        return image
    }

    private func lookUp(
        _ type: NoticeType, _ entityID: String, by principal: Principal, action: String, at time: Date
    ) async throws -> (RecordID, PublicNoticeExtract) {
        try await gate.authorize(principal, .read, .publicExtracts, action: action, at: time, subject: "notices")
        guard let found = try await extracts(of: type, at: time).first(where: { $0.1.entityID == entityID }) else {
            try await gate.refuse(
                .notFound("no \(type.rawValue) notice \(entityID)"), principal, action: action,
                targets: [], at: time)
        }
        return found
    }

    private func extracts(of type: NoticeType, at time: Date) async throws -> [(RecordID, PublicNoticeExtract)] {
        try await book.catchUp()
        return await book.allNotices.compactMap { record in
            guard record.notice.type == type, let extract = PublicExtracts.extract(of: record.notice, at: time) else {
                return nil
            }
            return (record.notice.id, extract)
        }
    }
}
