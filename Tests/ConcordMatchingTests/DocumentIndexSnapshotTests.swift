import ConcordCore
import Foundation
import Testing

@testable import ConcordMatching

@Suite struct DocumentIndexSnapshotTests {
    typealias Seen = DocumentIndexTests.Seen
    static let position = DocumentIndex.SnapshotPosition(journalPosition: 4_217, journalHash: "ab12cd34")

    /// An index with shared keys, several policies and review dates, and a key list that also
    /// holds keys never recorded.
    static func sample(records: Int, seed: UInt64) -> (DocumentIndex, [DocumentKey]) {
        var generator = SplitMix64(state: seed)
        let owners = ["FRA", "DEU", "USA", "BRA", "NGA", "JPN"].map { MemberCode($0)! }
        let restrictions = [
            Restrictions.none, DocumentIndexTests.onlyGermany, Restrictions(notifyOwner: true),
            Restrictions(visibility: .allExcept([owners[0], owners[2]])),
        ]
        let keys = (0..<(records * 3 / 2)).map { n in
            DocumentIndexTests.key(["FRA", "D", "USA", "UNO"][n % 4], DocumentType.allCases[n % 5], "S\(n)")
        }
        var index = DocumentIndex(expectedCount: 16)
        for n in 0..<records {
            // Every tenth record shares its key with another.
            let key = keys[n % 10 == 9 ? n - 1 : n]
            index.upsert(
                id: DocumentIndexTests.id(&generator), key: key, owner: owners[n % owners.count],
                restrictions: restrictions[n % restrictions.count],
                reviewDate: Date(timeIntervalSince1970: 1_900_000_000 + Double(n) * 3_600))
        }
        return (index, keys)
    }

    static func bytes(_ index: DocumentIndex, at position: DocumentIndex.SnapshotPosition = position) throws -> [UInt8]
    {
        var bytes: [UInt8] = []
        try index.writeSnapshot(at: position) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads from memory in pieces of varying size, as a file or a socket would hand them out.
    static func read(
        _ bytes: [UInt8], seed: UInt64 = 7
    ) throws -> (
        index: DocumentIndex, position: DocumentIndex.SnapshotPosition
    ) {
        var generator = SplitMix64(state: seed)
        var offset = 0
        return try DocumentIndex.readSnapshot { buffer in
            let piece = min(buffer.count, bytes.count - offset, Int.random(in: 1...70_000, using: &generator))
            bytes.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: piece)
            }
            offset += piece
            return piece
        }
    }

    static func candidates(_ index: DocumentIndex, _ key: DocumentKey) -> Set<DocumentIndex.Candidate> {
        var found: Set<DocumentIndex.Candidate> = []
        index.forEachCandidate(of: key) { found.insert($0) }
        return found
    }

    /// Snapshots hold bits of key digests, not keys: a change to the digest would make every
    /// snapshot answer wrongly, so the values are pinned here and a change needs a new format
    /// version. Keys read back from the store get the same digests.
    @Test func keyDigestsArePartOfTheFormat() throws {
        func hash(_ issuer: String, _ type: DocumentType, _ number: String) throws -> UInt64 {
            let key = try DocumentKey(issuer: IssuerCode(issuer)!, type: type, number: number)
            #expect(DocumentKey(lookupKey: key.lookupKey)?.digest == key.digest)
            return key.digest
        }
        #expect(try hash("FRA", .passport, "L000000000") == 0x1f26_66af_0bfc_2e31)
        #expect(try hash("D", .idCard, "T22000129") == 0xf0c9_f8e4_c646_cd07)
        #expect(try hash("GBR", .visa, "X") == 0x7b5f_7e1f_2e49_49a8)
        #expect(try hash("XXA", .other, "ABCDEFGHJKLMNPRSTUVWXYZ0123456") == 0xb514_6a3c_b07c_68bc)
    }

    // MARK: - Checksum

    @Test func checksumIsXXHash64() {
        func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { XXHash64.hash($0) } }
        #expect(hash([]) == 0xef46_db37_51d8_e999)
        #expect(hash(Array("a".utf8)) == 0xd24e_c4f1_a98c_6e5b)
        #expect(hash(Array("abc".utf8)) == 0x44bc_2cf5_ad77_0999)
        let long = (0..<3).flatMap { _ in (0...255).map { UInt8($0) } } + Array("xyz".utf8)
        #expect(hash(long) == 0xe921_a1b4_5bd7_79f8)
        // Fed in pieces of every size, the checksum is the same.
        for piece in 1...40 {
            var hasher = XXHash64()
            long.withUnsafeBytes { all in
                for start in stride(from: 0, to: all.count, by: piece) {
                    hasher.update(UnsafeRawBufferPointer(rebasing: all[start..<min(start + piece, all.count)]))
                }
            }
            #expect(hasher.finalize() == 0xe921_a1b4_5bd7_79f8, "pieces of \(piece)")
        }
    }

    // MARK: - Round trip

    @Test(arguments: [0, 1, 20, 5_000])
    func roundTripGivesTheSameIndex(records: Int) throws {
        let (index, keys) = Self.sample(records: records, seed: UInt64(records) + 1)
        let bytes = try Self.bytes(index)
        let (loaded, position) = try Self.read(bytes)
        #expect(position == Self.position)
        #expect(loaded.count == index.count)
        for key in keys {
            let expected = Self.candidates(index, key)
            #expect(Self.candidates(loaded, key) == expected, "\(key)")
            #expect(loaded.contains(key) == !expected.isEmpty)
        }
        // The loaded index writes the same bytes.
        #expect(try Self.bytes(loaded) == bytes)
        // A copy that changes leaves the loaded index as it was: segments are copied on write.
        var changed = loaded
        let added = RecordID.random()
        let key = DocumentIndexTests.key("FRA", .passport, "NEW1")
        changed.upsert(id: added, key: key, owner: DocumentIndexTests.france, restrictions: .none)
        #expect(changed.count == loaded.count + 1)
        #expect(!loaded.contains(key))
        #expect(Self.candidates(changed, key).map(\.id) == [added])
    }

    @Test func snapshotRecordsThePosition() throws {
        let (index, _) = Self.sample(records: 3, seed: 3)
        let position = DocumentIndex.SnapshotPosition(
            journalPosition: .max, journalHash: String(repeating: "f", count: 64))
        #expect(try Self.read(try Self.bytes(index, at: position)).position == position)
    }

    // MARK: - Refusals

    @Test func everyTruncationIsRefused() throws {
        let bytes = try Self.bytes(Self.sample(records: 20, seed: 5).0)
        for length in 0..<bytes.count {
            let expected: DocumentIndex.SnapshotError = length < 8 ? .notASnapshot : .truncated
            #expect(throws: expected, "cut at \(length)") { try Self.read(Array(bytes.prefix(length))) }
        }
    }

    /// Every byte of the header and of the entries, and a sample of the segment counts between.
    @Test func corruptedBytesAreRefused() throws {
        let (index, keys) = Self.sample(records: 20, seed: 6)
        let bytes = try Self.bytes(index)
        let header = 0..<200
        let entries = keys.compactMap { key -> Int? in
            guard let id = Self.candidates(index, key).first?.id else { return nil }
            let word = withUnsafeBytes(of: DocumentIndex.words(id).0.littleEndian) { Array($0) }
            return bytes.indices.dropLast(4).first { bytes[$0..<$0 + 4].elementsEqual(word) }
        }
        #expect(entries.count == 18)
        let offsets = Set(header).union(entries.flatMap { ($0 - 4)..<($0 + 20) })
            .union(stride(from: 0, to: bytes.count, by: 31)).union(bytes.count - 8..<bytes.count)
        for offset in offsets.sorted() {
            var corrupted = bytes
            corrupted[offset] ^= 0x10
            #expect(throws: DocumentIndex.SnapshotError.self, "byte \(offset)") { try Self.read(corrupted) }
        }
    }

    @Test func corruptionIsNamedAsSuch() throws {
        let (index, keys) = Self.sample(records: 200, seed: 8)
        let bytes = try Self.bytes(index)
        // A byte of the journal hash, in the header.
        var header = bytes
        header[28] ^= 0x01
        #expect(throws: DocumentIndex.SnapshotError.checksumMismatch) { try Self.read(header) }
        // A byte of a record id, in the entries.
        let id = try #require(Self.candidates(index, keys[0]).first).id
        let word = withUnsafeBytes(of: DocumentIndex.words(id).1.littleEndian) { Array($0) }
        let at = try #require(
            bytes.indices.dropLast(4).first { bytes[$0..<$0 + 4].elementsEqual(word) })
        var entries = bytes
        entries[at] ^= 0xff
        #expect(throws: DocumentIndex.SnapshotError.checksumMismatch) { try Self.read(entries) }
    }

    @Test func anotherFormatVersionIsRefused() throws {
        var bytes = try Self.bytes(Self.sample(records: 5, seed: 9).0)
        bytes[8] = 2
        let error = #expect(throws: DocumentIndex.SnapshotError.unsupportedVersion(2)) { try Self.read(bytes) }
        #expect(error?.description.contains("version 2") == true)
    }

    @Test func otherFilesAreRefused() throws {
        #expect(throws: DocumentIndex.SnapshotError.notASnapshot) { try Self.read(Array("id,issuer\n1,FRA\n".utf8)) }
        var bytes = try Self.bytes(Self.sample(records: 5, seed: 10).0)
        bytes.append(0)
        #expect(throws: DocumentIndex.SnapshotError.malformed("bytes after the end")) { try Self.read(bytes) }
    }

    @Test func readErrorsPassThrough() {
        struct Unreadable: Error {}
        #expect(throws: Unreadable.self) { try DocumentIndex.readSnapshot { _ in throw Unreadable() } }
    }
}
