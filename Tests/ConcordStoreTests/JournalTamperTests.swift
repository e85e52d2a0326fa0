import ConcordCore
import ConcordStore
import ConcordTestSupport
import Testing

/// An attacker with database access disables the guards and edits the journal; verification
/// must still name the first entry that no longer fits.
@Suite("Journal tampering")
struct JournalTamperTests {
    /// Five entries, then the append-only guards removed as an attacker would.
    private func tamperable(_ test: TestStore) async throws {
        for number in 1...5 {
            try await test.store.apply([], journal: sampleDraft(targets: ["record-\(number)"]))
        }
        #expect(try await test.store.verifyJournal() == .sound(entries: 5))
        switch test.backend {
        case .sqlite: try await test.execute(["DROP TRIGGER journal_no_update", "DROP TRIGGER journal_no_delete"])
        case .postgres: try await test.execute(["DROP TRIGGER journal_no_change ON journal"])
        }
    }

    private func firstBadEntry(_ store: any Store) async throws -> Int64? {
        if case .broken(let position, _) = try await store.verifyJournal() { return position }
        return nil
    }

    @Test("a modified entry is named", arguments: Backend.allCases)
    func modified(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await tamperable(test)
            try await test.execute(["UPDATE journal SET outcome = 'nothing to see' WHERE position = 3"])
            #expect(try await firstBadEntry(test.store) == 3)
        }
    }

    @Test("a modified entry with a recomputed hash breaks the link after it", arguments: Backend.allCases)
    func rehashed(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await tamperable(test)
            let entries = try await test.store.journal(after: 0, limit: 10, category: nil)
            var draft = entries[1].draft
            draft.actor = "someone-else"
            let forged = JournalChain.hash(position: 2, draft: draft, previousHash: entries[1].previousHash)
            try await test.execute(["UPDATE journal SET actor = 'someone-else', hash = '\(forged)' WHERE position = 2"])
            #expect(try await firstBadEntry(test.store) == 3)
        }
    }

    @Test("a deleted entry is named", arguments: Backend.allCases)
    func deleted(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await tamperable(test)
            try await test.execute(["DELETE FROM journal WHERE position = 2"])
            #expect(try await firstBadEntry(test.store) == 2)
        }
    }

    @Test("reordered entries are named", arguments: Backend.allCases)
    func reordered(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await tamperable(test)
            try await test.execute([
                "UPDATE journal SET position = 100 WHERE position = 2",
                "UPDATE journal SET position = 2 WHERE position = 4",
                "UPDATE journal SET position = 4 WHERE position = 100",
            ])
            #expect(try await firstBadEntry(test.store) == 2)
        }
    }

    @Test("entries cut from the end are noticed", arguments: Backend.allCases)
    func truncated(_ backend: Backend) async throws {
        try await withTestStore(backend) { test in
            try await tamperable(test)
            try await test.execute(["DELETE FROM journal WHERE position >= 4"])
            #expect(try await firstBadEntry(test.store) == 4)
        }
    }
}
