import ConcordCore
import ConcordStore

/// Journals queries with group commit: whoever arrives while a commit is running waits for the
/// next one, which carries everyone who queued meanwhile in a single transaction. Each query
/// still returns only once its entry is durable, so no answer ever goes unrecorded, and the
/// cost of a commit is shared by all the queries in it.
public actor QueryJournal {
    private let store: any Store
    private var waiting: [(JournalDraft, CheckedContinuation<Void, any Error>)] = []
    var waitingCount: Int { waiting.count }
    private var committing = false

    public init(store: any Store) {
        self.store = store
    }

    public func record(_ draft: JournalDraft) async throws {
        if committing {
            try await withCheckedThrowingContinuation { waiting.append((draft, $0)) }
            return
        }
        committing = true
        defer { committing = false }
        // This caller leads: it commits its own entry, then every batch that queued behind it,
        // even if its own commit failed, so that nobody is left waiting for a leader.
        var failure: (any Error)?
        do {
            try await store.appendQueries([draft])
        } catch {
            failure = error
        }
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            do {
                try await store.appendQueries(batch.map(\.0))
                batch.forEach { $0.1.resume() }
            } catch {
                batch.forEach { $0.1.resume(throwing: error) }
            }
        }
        if let failure { throw failure }
    }
}
