import ConcordCore
import Foundation
import Testing

@testable import ConcordMatching

/// The table inside one segment, driven directly so that clusters, the overflow area and
/// removals at high load are exercised on purpose rather than by luck.
@Suite struct DocumentIndexTableTests {
    /// Every invariant the lookups rely on; nil when all hold.
    static func violation(_ segment: Segment) -> String? {
        guard segment.capacity > 0 else {
            return segment.count == 0 && segment.fingerprints[0] == 0 ? nil : "empty segment with entries"
        }
        if segment.fingerprints[segment.capacity - 1] != 0 { return "last slot in use" }
        var live = 0
        var previous: UInt32 = 0
        for slot in 0..<segment.capacity {
            let fingerprint = segment.fingerprints[slot]
            guard fingerprint != 0 else { continue }
            live += 1
            if fingerprint < previous { return "slot \(slot) out of order" }
            previous = fingerprint
            let home = segment.home(fingerprint)
            if home > slot { return "slot \(slot) before its home \(home)" }
            // Displaced entries follow a live slot; with the order, no empty slot can then lie
            // between an entry and its home.
            if home < slot && segment.fingerprints[slot - 1] == 0 {
                return "slot \(slot) is past an empty slot after its home \(home)"
            }
        }
        return live == segment.count ? nil : "count \(segment.count), live \(live)"
    }

    static func payload(_ n: Int) -> Payload {
        Payload(id: (UInt32(n), 0, UInt32(n >> 16), 7), reviewDay: UInt16(n & 0x7fff), policy: 0)
    }

    /// Inserts `count` entries with random fingerprints, numbered from 0, and returns them.
    static func insertRandom(_ count: Int, into segment: Segment, seed: UInt64) -> [Pair] {
        var generator = SplitMix64(state: seed)
        return (0..<count).map { n in
            let fingerprint = UInt32.random(in: 1...UInt32.max, using: &generator)
            segment.insert(fingerprint, payload(n))
            return Pair(fingerprint: fingerprint, id: UInt32(n))
        }
    }

    /// Entries of a segment as (fingerprint, id) pairs.
    static func contents(_ segment: Segment) -> [Pair] {
        (0..<segment.capacity).compactMap { slot in
            segment.fingerprints[slot] == 0
                ? nil : Pair(fingerprint: segment.fingerprints[slot], id: segment.payloads[slot].id0)
        }
    }

    struct Pair: Hashable, Comparable {
        let fingerprint: UInt32
        let id: UInt32
        static func < (a: Pair, b: Pair) -> Bool { (a.fingerprint, a.id) < (b.fingerprint, b.id) }
    }

    /// Keeps a segment between 85% and its growth threshold for thousands of steps, with
    /// fingerprints drawn from a narrow range (long clusters, many equal fingerprints) and from
    /// the top of the range (clusters running into the overflow area), checking every lookup
    /// and every invariant against a model after each step.
    @Test(arguments: [
        ("spread", UInt64(1), UInt32(0)), ("crowded", UInt64(2), UInt32(0xffff_fc00)),
        ("top", UInt64(3), UInt32(0xffff_0000)),
    ])
    func removalAtHighLoadKeepsEveryEntryFindable(shape: String, seed: UInt64, floor: UInt32) throws {
        var generator = SplitMix64(state: seed)
        let segment = Segment(size: 500)
        var model: [Pair: Int] = [:]
        var next = 0
        func fingerprint() -> UInt32 {
            floor == 0
                ? UInt32.random(in: 1...UInt32.max, using: &generator)
                : UInt32.random(in: floor...UInt32.max, using: &generator)
        }
        func insert() {
            let pair = Pair(fingerprint: fingerprint(), id: UInt32(next))
            segment.insert(pair.fingerprint, Self.payload(next))
            model[pair] = next
            next += 1
        }
        while Double(segment.count) < Double(segment.size) * 0.9 { insert() }
        var highest = 0.0
        var ruledOut = 0
        for step in 0..<2_500 {
            let load = Double(segment.count) / Double(segment.size)
            highest = max(highest, load)
            if load > 0.86 || Bool.random(using: &generator) {
                let victim = model.keys.randomElement(using: &generator)!
                let slot = try #require(segment.slot(of: victim.fingerprint, id: Self.payload(model[victim]!)))
                segment.remove(at: slot)
                model[victim] = nil
            } else {
                insert()
            }
            if let violation = Self.violation(segment) {
                Issue.record("\(shape), step \(step): \(violation)")
                return
            }
            guard step % 25 == 0 else { continue }
            guard Self.contents(segment).sorted() == model.keys.sorted() else {
                Issue.record("\(shape), step \(step): contents differ from the model")
                return
            }
            for (pair, n) in model where segment.slot(of: pair.fingerprint, id: Self.payload(n)) == nil {
                Issue.record("\(shape), step \(step): \(pair) not found")
                return
            }
            // The window check before a scan never rules out a held fingerprint.
            let view = segment.view
            for pair in model.keys where !view.mayHold(pair.fingerprint, from: view.home(pair.fingerprint)) {
                Issue.record("\(shape), step \(step): \(pair) ruled out by the window")
                return
            }
            let held = Set(model.keys.map(\.fingerprint))
            for _ in 0..<100 {
                let absent = fingerprint()
                guard !held.contains(absent) else { continue }
                if !view.mayHold(absent, from: view.home(absent)) { ruledOut += 1 }
            }
        }
        #expect(highest > 0.85)
        // And it settles absent ones without a scan, even in crowded tables.
        #expect(ruledOut > 0)
    }

    /// Many records under one key form a cluster longer than the overflow area; the table
    /// must make room rather than lose any.
    @Test func aLongRunOfEqualFingerprintsAtTheEnd() {
        let segment = Segment(size: 64)
        for n in 0..<300 { segment.insert(.max, Self.payload(n)) }
        #expect(Self.violation(segment) == nil)
        for n in 0..<300 { #expect(segment.slot(of: .max, id: Self.payload(n)) != nil) }
        for n in stride(from: 0, to: 300, by: 2) {
            segment.remove(at: segment.slot(of: .max, id: Self.payload(n))!)
            #expect(Self.violation(segment) == nil)
        }
        #expect(segment.count == 150)
        for n in 0..<300 { #expect((segment.slot(of: .max, id: Self.payload(n)) != nil) == (n % 2 == 1)) }
    }

    @Test func growingAndShrinkingKeepsEntries() {
        let segment = Segment(size: 0)
        #expect(segment.slot(of: 1, id: Self.payload(0)) == nil)
        let pairs = Self.insertRandom(5_000, into: segment, seed: 11)
        #expect(Self.violation(segment) == nil)
        // Growth keeps the load high: at most one grown segment's worth of slack.
        #expect(Double(segment.count) / Double(segment.capacity) > 0.75)
        for pair in pairs.dropLast(10) {
            segment.remove(at: segment.slot(of: pair.fingerprint, id: Self.payload(Int(pair.id)))!)
        }
        #expect(Self.violation(segment) == nil)
        #expect(segment.count == 10)
        #expect(segment.capacity < 40)
        for pair in pairs.suffix(10) {
            #expect(segment.slot(of: pair.fingerprint, id: Self.payload(Int(pair.id))) != nil)
        }
        for pair in pairs.suffix(10) {
            segment.remove(at: segment.slot(of: pair.fingerprint, id: Self.payload(Int(pair.id)))!)
        }
        #expect(segment.count == 0 && segment.capacity == 0)
    }

    /// Segments of a 100-million-record index hold more than 2 MB each, and take their slots
    /// from a mapping of their own that starts at a 2 MB boundary; growing, shrinking and
    /// copying such a segment keeps every entry, in memory that is freed again.
    @Test func aSegmentAsLargeAsAtAHundredMillionKeepsItsEntries() {
        let segment = Segment(size: 100_000)
        #expect(segment.capacity * Segment.bytesPerSlot >= LargeTables.huge)
        #expect(Int(bitPattern: segment.fingerprints) % LargeTables.huge == 0)
        #expect(Int(bitPattern: segment.payloads) == Int(bitPattern: segment.fingerprints) + 4 * segment.capacity)
        // Past the growth threshold, so the entries move to a larger mapping.
        let pairs = Self.insertRandom(96_000, into: segment, seed: 13)
        #expect(segment.size > 100_000)
        #expect(Int(bitPattern: segment.fingerprints) % LargeTables.huge == 0)
        let copy = segment.copy()
        for pair in pairs.prefix(90_000) {
            segment.remove(at: segment.slot(of: pair.fingerprint, id: Self.payload(Int(pair.id)))!)
        }
        #expect(Self.violation(segment) == nil)
        #expect(Self.violation(copy) == nil)
        // Shrunk below 2 MB: back in malloc's memory.
        #expect(segment.capacity * Segment.bytesPerSlot < LargeTables.huge)
        #expect(Self.contents(segment).sorted() == pairs.suffix(6_000).sorted())
        #expect(Self.contents(copy).sorted() == pairs.sorted())
    }

    /// A whole index stays within its memory budget while it grows.
    @Test func anIndexGrownOneRecordAtATimeStaysCompact() {
        var index = DocumentIndex()
        var generator = SplitMix64(state: 12)
        var worst = 0.0
        for n in 0..<300_000 {
            index.upsert(
                id: DocumentIndexTests.id(&generator), key: DocumentIndexTests.key("FRA", .passport, "G\(n)"),
                owner: DocumentIndexTests.france, restrictions: .none)
            if n >= 200_000 && n % 5_000 == 0 { worst = max(worst, index.bytesPerEntry) }
        }
        #expect(worst < 32, "worst \(worst) bytes per record")
        for n in stride(from: 0, to: 300_000, by: 997) {
            #expect(index.contains(DocumentIndexTests.key("FRA", .passport, "G\(n)")))
        }
    }

    /// Built in one go, an index answers exactly as one grown by upserts of the same entries in
    /// the same order, duplicates included, whatever count the builder was told to expect.
    @Test(arguments: [0, 6_000, 60_000, 600_000])
    func anIndexBuiltInOneGoAnswersAsUpsertsDo(expectedCount: Int) {
        var builder = DocumentIndex.Builder(expectedCount: expectedCount)
        var grown = DocumentIndex()
        var generator = SplitMix64(state: 31)
        let owners = [DocumentIndexTests.france, DocumentIndexTests.germany]
        let restrictions = [Restrictions.none, DocumentIndexTests.onlyGermany]
        var ids: [RecordID] = []
        var keys: [DocumentKey] = []
        for n in 0..<60_000 {
            // Every tenth entry repeats an earlier record under its key, with a new owner and
            // review date, as a record written during a load comes back.
            let repeated = n % 10 == 9
            let id = repeated ? ids[n / 3] : DocumentIndexTests.id(&generator)
            let key = repeated ? keys[n / 3] : DocumentIndexTests.key(n % 2 == 0 ? "FRA" : "D", .passport, "B\(n)")
            let review = Date(timeIntervalSince1970: 1_900_000_000 + Double(n) * 86_400)
            // Owners and restrictions change in runs of different lengths, as records come.
            let (owner, restricted) = (owners[(n / 7) % 2], restrictions[(n / 3) % 2])
            builder.add(id: id, key: key, owner: owner, restrictions: restricted, reviewDate: review)
            grown.upsert(id: id, key: key, owner: owner, restrictions: restricted, reviewDate: review)
            ids.append(id)
            keys.append(key)
        }
        let built = builder.build()
        #expect(built.count == grown.count)
        #expect(built.count == 60_000 - 6_000)
        for key in keys + [DocumentIndexTests.key("FRA", .passport, "NEVER")] {
            var fromBuilt: [DocumentIndex.Candidate] = []
            var fromGrown: [DocumentIndex.Candidate] = []
            built.forEachCandidate(of: key) { fromBuilt.append($0) }
            grown.forEachCandidate(of: key) { fromGrown.append($0) }
            #expect(Set(fromBuilt) == Set(fromGrown), "\(key)")
        }
    }

    /// More than 65,536 combinations of owner and restrictions over time: numbers of policies no
    /// record uses any more are given out again.
    @Test func policyNumbersAreReused() {
        var index = DocumentIndex()
        let members = Members.all.map(\.code)
        let keep = DocumentIndexTests.key("FRA", .passport, "KEEP")
        let kept = RecordID.random()
        let keptRestrictions = Restrictions(visibility: .onlyListed([members[1], members[2]]))
        index.upsert(id: kept, key: keep, owner: members[0], restrictions: keptRestrictions)
        let key = DocumentIndexTests.key("FRA", .passport, "CHURN")
        let id = RecordID.random()
        var combinations = 1
        outer: for first in members.indices {
            for second in members.indices where second > first {
                let restrictions = Restrictions(visibility: .onlyListed([members[first], members[second]]))
                for owner in members.prefix(4) {
                    // The same record, its restrictions changed again and again.
                    index.upsert(id: id, key: key, owner: owner, restrictions: restrictions)
                    combinations += 1
                    if combinations > 70_000 { break outer }
                }
            }
        }
        #expect(index.count == 2)
        #expect(index.policies.count < 70_000)
        var found: [RecordID: DocumentIndex.Candidate] = [:]
        index.forEachCandidate(of: keep) { found[$0.id] = $0 }
        #expect(found[kept]?.restrictions == keptRestrictions)
        #expect(found[kept]?.owner == members[0])
    }
}
