import ConcordCore
import Foundation
import Testing

@testable import ConcordMatching

/// SplitMix64: a tiny seeded generator, so a failing sequence can be replayed exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

@Suite struct DocumentIndexTests {
    static let france = MemberCode("FRA")!
    static let germany = MemberCode("DEU")!
    static let onlyGermany = Restrictions(visibility: .onlyListed([germany]), notifyOwner: true)

    static func key(_ issuer: String, _ type: DocumentType, _ number: String) -> DocumentKey {
        guard let code = IssuerCode(issuer),
            let key = try? DocumentKey(issuer: code, type: type, number: number)
        else { preconditionFailure("bad test key") }
        return key
    }

    static func id(_ generator: inout SplitMix64) -> RecordID {
        let (a, b) = (generator.next(), generator.next())
        func byte(_ word: UInt64, _ n: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (8 * n)) }
        let uuid = UUID(
            uuid: (
                byte(a, 0), byte(a, 1), byte(a, 2), byte(a, 3), byte(a, 4), byte(a, 5), byte(a, 6), byte(a, 7),
                byte(b, 0), byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7)
            ))
        return RecordID(rawValue: uuid.uuidString.lowercased())
    }

    /// What a lookup returned, in a form that compares with the model.
    struct Seen: Hashable {
        let id: RecordID
        let owner: MemberCode
        let restrictions: Restrictions
    }

    static func candidates(_ index: DocumentIndex, _ key: DocumentKey) -> Set<Seen> {
        var seen: Set<Seen> = []
        index.forEachCandidate(of: key) { candidate in
            // The index serves active travel documents only.
            let facts = candidate.facts(at: Date(timeIntervalSince1970: 1_800_000_000))
            #expect(facts.kind == .travelDocument)
            #expect(facts.status == .active)
            #expect(!facts.pastReview)
            seen.insert(Seen(id: candidate.id, owner: facts.owner, restrictions: facts.restrictions))
        }
        return seen
    }

    // MARK: - Basics

    @Test func emptyIndexFindsNothing() {
        let index = DocumentIndex()
        #expect(index.count == 0)
        #expect(!index.contains(Self.key("FRA", .passport, "X1")))
        #expect(index.bytesPerEntry == 0)
    }

    @Test func upsertLookupRemove() {
        var index = DocumentIndex()
        let key = Self.key("FRA", .passport, "12AB34567")
        let id = RecordID.random()
        index.upsert(id: id, key: key, owner: Self.france, restrictions: Self.onlyGermany)
        #expect(index.count == 1)
        #expect(index.contains(key))
        let expected = Seen(id: id, owner: Self.france, restrictions: Self.onlyGermany)
        #expect(Self.candidates(index, key) == [expected])
        // The same number however typed is the same key.
        #expect(index.contains(Self.key("fra", .passport, "12ab-345 67<<")))

        index.remove(id: id, key: key)
        #expect(index.count == 0)
        #expect(!index.contains(key))
        #expect(Self.candidates(index, key).isEmpty)
    }

    @Test func upsertReplacesTheEntryOfTheSameRecord() {
        var index = DocumentIndex()
        let key = Self.key("FRA", .passport, "X1")
        let id = RecordID.random()
        index.upsert(id: id, key: key, owner: Self.france, restrictions: .none)
        index.upsert(id: id, key: key, owner: Self.france, restrictions: Self.onlyGermany)
        #expect(index.count == 1)
        let expected = Seen(id: id, owner: Self.france, restrictions: Self.onlyGermany)
        #expect(Self.candidates(index, key) == [expected])
    }

    @Test func removeNeedsBothTheRecordAndItsKey() {
        var index = DocumentIndex()
        let key = Self.key("FRA", .passport, "X1")
        let id = RecordID.random()
        index.upsert(id: id, key: key, owner: Self.france, restrictions: .none)
        index.remove(id: RecordID.random(), key: key)
        index.remove(id: id, key: Self.key("FRA", .idCard, "X1"))
        #expect(index.count == 1)
        #expect(index.contains(key))
        index.remove(id: id, key: key)
        index.remove(id: id, key: key)
        #expect(index.count == 0)
    }

    @Test func recordsSharingAKeyAreAllCandidates() {
        var index = DocumentIndex()
        let key = Self.key("D", .idCard, "L01X00T47")
        let first = RecordID.random()
        let second = RecordID.random()
        index.upsert(id: first, key: key, owner: Self.germany, restrictions: .none)
        index.upsert(id: second, key: key, owner: Self.france, restrictions: Self.onlyGermany)
        #expect(index.count == 2)
        #expect(
            Self.candidates(index, key) == [
                Seen(id: first, owner: Self.germany, restrictions: .none),
                Seen(id: second, owner: Self.france, restrictions: Self.onlyGermany),
            ])
        index.remove(id: first, key: key)
        let remaining = Seen(id: second, owner: Self.france, restrictions: Self.onlyGermany)
        #expect(Self.candidates(index, key) == [remaining])
    }

    /// Ids are kept as two words; records whose ids differ in one word only are still different.
    @Test(arguments: [
        ("0123abcd-4567-89ef-0000-000000000001", "0123abcd-4567-89ef-0000-000000000002"),
        ("00000000-0000-0001-0123-456789abcdef", "00000000-0000-0002-0123-456789abcdef"),
    ])
    func idsDifferingInOneWordAreDistinct(first: String, second: String) {
        var index = DocumentIndex()
        let key = Self.key("FRA", .passport, "X1")
        let (one, two) = (RecordID(rawValue: first), RecordID(rawValue: second))
        index.upsert(id: one, key: key, owner: Self.france, restrictions: .none)
        index.upsert(id: two, key: key, owner: Self.germany, restrictions: .none)
        #expect(index.count == 2)
        index.remove(id: one, key: key)
        #expect(index.count == 1)
        #expect(Self.candidates(index, key) == [Seen(id: two, owner: Self.germany, restrictions: .none)])
    }

    @Test func sameNumberUnderAnotherTypeOrIssuerDoesNotCollide() {
        var index = DocumentIndex()
        let stored = Self.key("FRA", .passport, "X12")
        index.upsert(id: RecordID.random(), key: stored, owner: Self.france, restrictions: .none)
        #expect(index.contains(stored))
        let others =
            DocumentType.allCases.filter { $0 != .passport }.map { Self.key("FRA", $0, "X12") }
            + ["D", "USA", "UNO", "XXA"].map { Self.key($0, .passport, "X12") }
            + ["X1", "X123", "2X1", "X12X"].map { Self.key("FRA", .passport, $0) }
        for key in others {
            #expect(!index.contains(key), "\(key)")
        }
    }

    @Test func candidateIdsSurviveTheTwoWordEncoding() {
        var index = DocumentIndex()
        let ids = [
            "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "0123abcd-4567-89ef-fedc-ba9876543210",
        ].map(RecordID.init(rawValue:))
        for (n, id) in ids.enumerated() {
            let key = Self.key("FRA", .passport, "N\(n)")
            index.upsert(id: id, key: key, owner: Self.france, restrictions: .none)
            #expect(Self.candidates(index, key).map(\.id) == [id])
        }
    }

    @Test(arguments: Members.all.map(\.code))
    func everyMemberCanOwnAnEntry(owner: MemberCode) {
        var index = DocumentIndex(expectedCount: 1)
        let key = Self.key("FRA", .visa, "V1")
        let id = RecordID.random()
        index.upsert(id: id, key: key, owner: owner, restrictions: .none)
        #expect(Self.candidates(index, key) == [Seen(id: id, owner: owner, restrictions: .none)])
    }

    /// Mass removal must give memory back, not leave dead entries in the table for ever.
    @Test func massRemovalReleasesMemory() {
        var index = DocumentIndex(expectedCount: 16)
        var entries: [(RecordID, DocumentKey)] = []
        for n in 0..<4000 {
            let entry = (RecordID.random(), Self.key("FRA", .passport, "M\(n)"))
            entries.append(entry)
            index.upsert(id: entry.0, key: entry.1, owner: Self.france, restrictions: .none)
        }
        let bytesWhenFull = index.bytesPerEntry * Double(index.count)
        for (id, key) in entries.dropFirst(100) { index.remove(id: id, key: key) }
        #expect(index.count == 100)
        #expect(index.bytesPerEntry * Double(index.count) < bytesWhenFull / 2)
        for (n, (id, key)) in entries.enumerated() {
            #expect(index.contains(key) == (n < 100))
            if n < 100 { #expect(Self.candidates(index, key).map(\.id) == [id]) }
        }
    }

    // MARK: - Model-based

    /// The index against a dictionary, over a long seeded sequence that grows the table, empties
    /// most of it (so dead entries pile up past the rebuild threshold), grows it again and churns.
    @Test(arguments: [UInt64(1), 0xC0FFEE, 20_251_123])
    func behavesLikeADictionary(seed: UInt64) throws {
        var generator = SplitMix64(state: seed)
        let ids = (0..<2500).map { _ in Self.id(&generator) }
        let issuers = ["FRA", "D", "USA", "UNO", "JPN"]
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
        var keySet: Set<DocumentKey> = []
        while keySet.count < 1500 {
            let length = Int.random(in: 1...9, using: &generator)
            let number = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let type = DocumentType.allCases.randomElement(using: &generator)!
            keySet.insert(Self.key(issuers.randomElement(using: &generator)!, type, number))
        }
        let keys = keySet.sorted { $0.lookupKey < $1.lookupKey }
        let owners = ["FRA", "DEU", "USA", "BRA", "NGA"].map { MemberCode($0)! }
        let restrictions = [
            Restrictions.none, Self.onlyGermany, Restrictions(notifyOwner: true),
            Restrictions(visibility: .allExcept([Self.france, owners[2]])),
        ]

        struct Pair: Hashable {
            let id: Int
            let key: Int
        }
        var model: [Pair: Seen] = [:]
        var pairs: [Pair] = []  // model's keys, for picking one at random
        var positions: [Pair: Int] = [:]
        var index = DocumentIndex(expectedCount: 8)
        var largest = 0

        func forget(_ pair: Pair) {
            guard model.removeValue(forKey: pair) != nil, let position = positions.removeValue(forKey: pair)
            else { return }
            let last = pairs.removeLast()
            if last != pair {
                pairs[position] = last
                positions[last] = position
            }
        }
        func randomPair() -> Pair {
            Pair(
                id: Int.random(in: 0..<ids.count, using: &generator),
                key: Int.random(in: 0..<keys.count, using: &generator))
        }

        func compareEveryKey(after step: Int) -> Bool {
            var expected: [Int: Set<Seen>] = [:]
            for (pair, seen) in model { expected[pair.key, default: []].insert(seen) }
            // The batch lookup answers like the single one, key by key.
            var batch: [Int: Set<Seen>] = [:]
            index.forEachCandidate(ofEach: keys) { n, candidate in
                batch[n, default: []].insert(
                    Seen(id: candidate.id, owner: candidate.owner, restrictions: candidate.restrictions))
            }
            if batch != expected {
                Issue.record("step \(step): the batch lookup differs from the model")
                return false
            }
            for (n, key) in keys.enumerated() {
                let found = Self.candidates(index, key)
                if found != expected[n, default: []] || index.contains(key) != (expected[n] != nil) {
                    Issue.record("step \(step): \(key) has \(found), model \(expected[n, default: []])")
                    return false
                }
            }
            return true
        }

        for step in 0..<20_000 {
            // Phases: grow, empty most of it, grow again, churn.
            let upsertShare = step < 6_000 ? 0.8 : step < 11_000 ? 0.1 : step < 15_000 ? 0.8 : 0.5
            if pairs.isEmpty || Double.random(in: 0..<1, using: &generator) < upsertShare {
                // One upsert in five replaces an existing entry.
                let replace = Int.random(in: 0..<5, using: &generator) == 0 && !pairs.isEmpty
                let pair = replace ? pairs.randomElement(using: &generator)! : randomPair()
                let seen = Seen(
                    id: ids[pair.id], owner: owners.randomElement(using: &generator)!,
                    restrictions: restrictions.randomElement(using: &generator)!)
                index.upsert(
                    id: seen.id, key: keys[pair.key], owner: seen.owner, restrictions: seen.restrictions)
                if model.updateValue(seen, forKey: pair) == nil {
                    positions[pair] = pairs.count
                    pairs.append(pair)
                }
            } else if Int.random(in: 0..<10, using: &generator) == 0 {
                // Mostly a pair that is not there, whose removal must change nothing.
                let pair = randomPair()
                index.remove(id: ids[pair.id], key: keys[pair.key])
                forget(pair)
            } else {
                let pair = pairs.randomElement(using: &generator)!
                index.remove(id: ids[pair.id], key: keys[pair.key])
                forget(pair)
            }
            largest = max(largest, model.count)
            guard index.count == model.count else {
                Issue.record("step \(step): count \(index.count), model \(model.count)")
                return
            }
            if step % 400 == 399, !compareEveryKey(after: step) { return }
        }
        #expect(compareEveryKey(after: 20_000))
        // The sequence really did exercise growth past the first table and the dead-entry rebuild,
        // which needs more than 1024 entries of which fewer than half live.
        #expect(largest > 2_000)
    }
}
