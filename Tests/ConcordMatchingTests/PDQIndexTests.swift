import Testing

@testable import ConcordMatching

@Suite("PDQ index")
struct PDQIndexTests {
    static func random(_ generator: inout SplitMix) -> PDQHash {
        PDQHash(words: (generator.next(), generator.next(), generator.next(), generator.next()))
    }

    /// `hash` with `count` distinct bits flipped.
    static func flip(_ hash: PDQHash, bits count: Int, _ generator: inout SplitMix) -> PDQHash {
        var words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
        var flipped = Set<Int>()
        while flipped.count < count { flipped.insert(Int(generator.next() % 256)) }
        for bit in flipped { words[bit >> 6] ^= 1 << UInt64(bit & 63) }
        return PDQHash(words: (words[0], words[1], words[2], words[3]))
    }

    @Test(
        "finds exactly what a full scan finds, at every radius up to the limit, pending or indexed",
        arguments: [0, 1, 10, 11, 21, 22, 31, 32, 33, 43, 44, 47], [false, true])
    func exact(radius: Int, rebuilt: Bool) {
        var generator = SplitMix(seed: UInt64(radius) + 11)
        var all: [PDQHash] = []
        var index = PDQIndex()
        let bulk = (0..<20_000).map { _ in Self.random(&generator) }
        index.insert(contentsOf: bulk)
        all += bulk
        // Near neighbours at every distance around the radius, some bulk-loaded, some pending.
        var queries: [PDQHash] = []
        for _ in 0..<40 {
            let query = Self.random(&generator)
            queries.append(query)
            for distance in [0, radius / 2, max(0, radius - 1), radius, radius + 1, radius + 8] {
                let near = Self.flip(query, bits: distance, &generator)
                index.insert(near)
                all.append(near)
            }
        }
        if rebuilt { index.rebuild() }
        #expect(Self.expectScanned(index, all, queries, radius: radius) >= queries.count * 4)
    }

    /// Checks that the index finds, for each query, exactly the hashes a full scan of `all`
    /// finds within `radius`, with their distances; returns how many it found in all.
    static func expectScanned(_ index: PDQIndex, _ all: [PDQHash], _ queries: [PDQHash], radius: Int) -> Int {
        var hits = 0
        for query in queries {
            let scanned = all.enumerated().compactMap { entry, hash in
                hash.distance(to: query) <= radius ? entry : nil
            }
            let found = index.matches(of: query, within: radius)
            #expect(found.map(\.entry).sorted() == scanned)
            #expect(found.allSatisfy { all[$0.entry].distance(to: query) == $0.distance })
            hits += found.count
        }
        return hits
    }

    @Test(
        "slots hold entry numbers in three bytes up to 16.7 million entries and in four beyond, and find the same",
        arguments: [1 << 24, 0])
    func entryNumberWidths(threeByteEntryLimit: Int) {
        var generator = SplitMix(seed: 71)
        var index = PDQIndex()
        index.threeByteEntryLimit = threeByteEntryLimit
        // Past 65,536 entries, so that numbers use their third byte.
        let bulk = (0..<70_000).map { _ in Self.random(&generator) }
        index.insert(contentsOf: bulk)
        let queries = stride(from: 1_000, to: 70_000, by: 2_500).map { Self.flip(bulk[$0], bits: 25, &generator) }
        #expect(Self.expectScanned(index, bulk, queries, radius: 31) >= queries.count)
    }

    @Test(
        "gives back each hash as it was added, whether or not the bits were put in an order of its own",
        arguments: [1_000, 20_000])
    func storedHashes(bulkCount: Int) {
        var generator = SplitMix(seed: UInt64(bulkCount))
        var index = PDQIndex()
        var added = (0..<bulkCount).map { _ in Self.random(&generator) }
        index.insert(contentsOf: added)
        for _ in 0..<100 {
            let hash = Self.random(&generator)
            index.insert(hash)
            added.append(hash)
        }
        index.remove(entry: 3)
        #expect(added.indices.allSatisfy { index.hash(ofEntry: $0) == added[$0] })
    }

    @Test("stays exact when most hashes share their bits, as clusters of near-duplicates do")
    func skewed() {
        var generator = SplitMix(seed: 77)
        // A few originals, each with thousands of copies a few bits away: the buckets holding
        // the originals' chunks are crowded, and the rest nearly empty.
        let originals = (0..<8).map { _ in Self.random(&generator) }
        var all: [PDQHash] = []
        for _ in 0..<12_000 {
            let original = originals[Int(generator.next() % 8)]
            all.append(Self.flip(original, bits: Int(generator.next() % 40), &generator))
        }
        var index = PDQIndex()
        index.insert(contentsOf: all)
        for query in originals.map({ Self.flip($0, bits: 12, &generator) }) {
            let scanned = all.enumerated().compactMap { entry, hash in hash.distance(to: query) <= 31 ? entry : nil }
            #expect(!scanned.isEmpty)
            #expect(index.matches(of: query, within: 31).map(\.entry).sorted() == scanned)
        }
    }

    @Test(
        "stays exact when the bit order is drawn from a collection whose bits move together",
        arguments: [22, 31, 40])
    func correlated(radius: Int) {
        var generator = SplitMix(seed: UInt64(radius) * 3 + 1)
        // Each bit copies one of eight hidden coins, flipped one time in eight: bits that share a
        // coin agree, so the bulk load draws an order that separates them.
        func hash() -> PDQHash {
            let coins = generator.next()
            var words: [UInt64] = [0, 0, 0, 0]
            for bit in 0..<256 {
                let noise = generator.next() % 8 == 0
                let coin = (coins >> UInt64(bit % 8)) & 1 == 1
                if coin != noise { words[bit >> 6] |= 1 << UInt64(bit & 63) }
            }
            return PDQHash(words: (words[0], words[1], words[2], words[3]))
        }
        var all = (0..<20_000).map { _ in hash() }
        var index = PDQIndex()
        index.insert(contentsOf: all)
        let queries = (0..<30).map { _ in hash() } + all.prefix(10).map { Self.flip($0, bits: radius, &generator) }
        for query in queries.prefix(10) {
            let near = Self.flip(query, bits: radius - 2, &generator)
            index.insert(near)
            all.append(near)
        }
        #expect(Self.expectScanned(index, all, queries, radius: radius) >= 20)
        index.rebuild()
        #expect(Self.expectScanned(index, all, queries, radius: radius) >= 20)
    }

    @Test("removed entries are never returned, before or after a rebuild")
    func removal() {
        var generator = SplitMix(seed: 5)
        var index = PDQIndex()
        let hash = Self.random(&generator)
        index.insert(contentsOf: (0..<100).map { _ in Self.random(&generator) })
        let entry = index.insert(hash)
        #expect(index.matches(of: hash, within: 0).map(\.entry) == [entry])
        index.remove(entry: entry)
        #expect(index.matches(of: hash, within: 31).isEmpty)
        index.rebuild()
        #expect(index.matches(of: hash, within: 31).isEmpty)
        #expect(index.count == 100)
    }

    @Test("tables worked out apart are installed without losing what was added or removed meanwhile")
    func installedLater() {
        var generator = SplitMix(seed: 91)
        var index = PDQIndex()
        var all = (0..<5_000).map { _ in Self.random(&generator) }
        index.insert(contentsOf: all)
        let queries = (0..<30).map { _ in Self.random(&generator) }
        func addNear() {
            for query in queries {
                for distance in [0, 15, 31, 32] {
                    let near = Self.flip(query, bits: distance, &generator)
                    index.insert(near)
                    all.append(near)
                }
            }
        }
        addNear()
        while !index.wantsRebuild {
            let hash = Self.random(&generator)
            index.insert(hash)
            all.append(hash)
        }
        let tables = index.rebuiltTables()
        addNear()
        // One removed from the first tables, one from the new ones, and one added meanwhile.
        let removed: Set = [3, 5_000, all.count - 4]
        for entry in removed { index.remove(entry: entry) }
        index.install(tables)
        #expect(!index.wantsRebuild)
        var found = 0
        for query in queries {
            let expected = all.indices.filter { !removed.contains($0) && all[$0].distance(to: query) <= 31 }
            let matches = index.matches(of: query, within: 31).map(\.entry).sorted()
            #expect(matches == expected)
            found += matches.count
        }
        #expect(found >= queries.count * 5)
    }

    @Test("a copy changed is a new index: the original keeps its hashes, and both stay exact")
    func copies() {
        var generator = SplitMix(seed: 17)
        var original = PDQIndex()
        let bulk = (0..<20_000).map { _ in Self.random(&generator) }
        original.insert(contentsOf: bulk)
        var copy = original
        let added = (0..<5_000).map { _ in Self.random(&generator) }
        for hash in added { copy.insert(hash) }
        let queries =
            bulk.prefix(10).map { Self.flip($0, bits: 12, &generator) }
            + added.suffix(10).map { Self.flip($0, bits: 12, &generator) }
        #expect(original.count == bulk.count && copy.count == bulk.count + added.count)
        #expect(Self.expectScanned(original, bulk, queries, radius: 31) >= 10)
        #expect(Self.expectScanned(copy, bulk + added, queries, radius: 31) >= 20)
    }
}
