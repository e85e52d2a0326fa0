import ConcordCore
import ConcordMatching
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import Logging
import Testing

/// Restarting from the document index snapshot: the snapshot is used when it is intact and
/// belongs to the store, the writes made after it are caught up, and anything else falls back
/// to the store.
@Suite struct IndexSnapshotTests {
    static let officer = Principal.key("key_snapshot", role: .ncbOfficer, member: MemberCode("FRA"))
    static let logger = Logger(label: "test")

    static func document(_ number: String, restrictions: Restrictions? = nil) -> NewTravelDocument {
        var document = NewTravelDocument(issuer: IssuerCode("FRA")!, type: .passport, number: number, status: .stolen)
        document.restrictions = restrictions
        return document
    }

    static func key(_ number: String) throws -> DocumentKey {
        try DocumentKey(issuer: IssuerCode("FRA")!, type: .passport, number: number)
    }

    /// Record ids a follower has under each number, for comparing two followers.
    static func contents(_ follower: DocumentIndexFollower, _ numbers: [String]) throws -> [String: Set<RecordID>] {
        var contents: [String: Set<RecordID>] = [:]
        for number in numbers {
            contents[number] = Set(follower.candidates(for: try key(number)).map(\.id))
        }
        return contents
    }

    static func withNode(_ body: (TestStore, Concord, String) async throws -> Void) async throws {
        try await withTestStore(.sqlite) { test in
            let path = URL(fileURLWithPath: test.location).appendingPathComponent("document-index.snapshot").path
            let concord = try await Concord.start(
                store: test.store, configuration: ServerConfiguration(indexSnapshotPath: path), logger: logger)
            try await body(test, concord, path)
        }
    }

    @Test func aFollowerStartsFromTheSnapshotAndCatchesUp() async throws {
        try await Self.withNode { test, concord, path in
            #expect(!FileManager.default.fileExists(atPath: path))
            var numbers: [String] = []
            var ids: [String: RecordID] = [:]
            for n in 0..<6 {
                let restrictions = n == 2 ? Restrictions(visibility: .onlyListed([MemberCode("DEU")!])) : nil
                let view = try await concord.documents.record(
                    Self.document("SNAP\(n)", restrictions: restrictions), by: Self.officer)
                numbers.append("SNAP\(n)")
                ids["SNAP\(n)"] = view.id
            }
            _ = try await concord.documents.withdraw(ids["SNAP1"]!, by: Self.officer)
            #expect(try await concord.index.writeSnapshot())
            #expect(FileManager.default.fileExists(atPath: path))

            // Written after the snapshot: the restarted node has to catch up with these.
            for n in 6..<9 {
                _ = try await concord.documents.record(Self.document("SNAP\(n)"), by: Self.officer)
                numbers.append("SNAP\(n)")
            }
            _ = try await concord.documents.withdraw(ids["SNAP3"]!, by: Self.officer)

            let restarted = DocumentIndexFollower(store: test.store, snapshotPath: path, logger: Self.logger)
            #expect(try await restarted.load() == .snapshot)
            #expect(restarted.count == concord.index.count)
            #expect(restarted.count == 7)
            #expect(try Self.contents(restarted, numbers) == Self.contents(concord.index, numbers))
            #expect(restarted.candidates(for: try Self.key("SNAP1")).isEmpty)
            #expect(restarted.candidates(for: try Self.key("SNAP3")).isEmpty)
            let restricted = try #require(restarted.candidates(for: try Self.key("SNAP2")).first)
            #expect(restricted.restrictions == Restrictions(visibility: .onlyListed([MemberCode("DEU")!])))
            #expect(restricted.owner == MemberCode("FRA"))

            // And it keeps following: a write after its start is found.
            _ = try await concord.documents.record(Self.document("SNAP9"), by: Self.officer)
            try await restarted.catchUp()
            #expect(restarted.candidates(for: try Self.key("SNAP9")).count == 1)
        }
    }

    @Test func aDamagedSnapshotFallsBackToTheStore() async throws {
        try await Self.withNode { test, concord, path in
            let numbers = ["D1", "D2", "D3"]
            for number in numbers { _ = try await concord.documents.record(Self.document(number), by: Self.officer) }
            #expect(try await concord.index.writeSnapshot())
            let intact = try Data(contentsOf: URL(fileURLWithPath: path))

            var corrupted = intact
            corrupted[corrupted.count / 2] ^= 0x40
            for damaged in [intact.prefix(intact.count - 100), corrupted, Data("not a snapshot".utf8)] {
                try damaged.write(to: URL(fileURLWithPath: path))
                let restarted = DocumentIndexFollower(store: test.store, snapshotPath: path, logger: Self.logger)
                #expect(try await restarted.load() == .store)
                #expect(try Self.contents(restarted, numbers) == Self.contents(concord.index, numbers))
            }
            #expect(throws: DocumentIndex.SnapshotError.truncated) {
                try Data(intact.prefix(intact.count - 1)).write(to: URL(fileURLWithPath: path))
                _ = try DocumentIndexSnapshotFile.read(from: path)
            }
        }
    }

    /// Small pages make a load from the store take many turns between its ranges of records,
    /// with several pages in each range.
    @Test func aLoadFromTheStoreInManyPagesFindsEveryActiveDocument() async throws {
        try await Self.withNode { test, concord, _ in
            let numbers = (1...40).map { "PAGE\($0)" }
            var ids: [String: RecordID] = [:]
            for number in numbers {
                ids[number] = try await concord.documents.record(Self.document(number), by: Self.officer).id
            }
            for withdrawn in ["PAGE2", "PAGE7", "PAGE33"] {
                _ = try await concord.documents.withdraw(ids[withdrawn]!, by: Self.officer)
            }
            let restarted = DocumentIndexFollower(store: test.store, loadPageSize: 2, logger: Self.logger)
            try await restarted.loadFromStore()
            #expect(restarted.count == 37)
            #expect(try Self.contents(restarted, numbers) == Self.contents(concord.index, numbers))
            #expect(try restarted.candidates(for: Self.key("PAGE7")).isEmpty)
        }
    }

    /// A snapshot copied from another node's data folder does not match this journal.
    @Test func aSnapshotOfAnotherStoreIsNotUsed() async throws {
        try await Self.withNode { _, other, path in
            _ = try await other.documents.record(Self.document("ELSEWHERE"), by: Self.officer)
            #expect(try await other.index.writeSnapshot())
            try await Self.withNode { test, concord, ownPath in
                _ = try await concord.documents.record(Self.document("HERE"), by: Self.officer)
                _ = try await concord.documents.record(Self.document("HERE2"), by: Self.officer)
                try FileManager.default.copyItem(atPath: path, toPath: ownPath)
                let restarted = DocumentIndexFollower(store: test.store, snapshotPath: ownPath, logger: Self.logger)
                #expect(try await restarted.load() == .store)
                #expect(restarted.candidates(for: try Self.key("ELSEWHERE")).isEmpty)
                #expect(restarted.count == 2)
            }
        }
    }

    @Test func stoppingWritesTheSnapshot() async throws {
        try await Self.withNode { test, concord, path in
            _ = try await concord.documents.record(Self.document("STOP1"), by: Self.officer)
            let running = Task { try await concord.index.run() }
            running.cancel()
            try await running.value
            #expect(FileManager.default.fileExists(atPath: path))
            // No temporary file is left next to it.
            let folder = try FileManager.default.contentsOfDirectory(atPath: test.location)
            #expect(!folder.contains { $0.hasSuffix(".partial") })
            let restarted = DocumentIndexFollower(store: test.store, snapshotPath: path, logger: Self.logger)
            #expect(try await restarted.load() == .snapshot)
            #expect(restarted.candidates(for: try Self.key("STOP1")).count == 1)
        }
    }

    @Test func withoutAPathNothingIsWritten() async throws {
        try await withTestStore(.sqlite) { test in
            let follower = DocumentIndexFollower(store: test.store, logger: Self.logger)
            let source = try await follower.load()
            let written = try await follower.writeSnapshot()
            #expect(source == .store)
            #expect(!written)
        }
    }
}
