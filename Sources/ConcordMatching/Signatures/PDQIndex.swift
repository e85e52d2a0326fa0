import CMemoryHints

/// Exact Hamming-radius search over PDQ hashes by multi-index hashing.
///
/// The 256 bits are cut into 11 chunks of 23 or 24 bits. Two hashes within distance `r`
/// differ in at most `r` bits. Write `r` as `11 s + a` with `a < 11`: if each of the first
/// `a + 1` chunks differed in more than `s` bits and each of the others in more than `s - 1`,
/// the hashes would differ in at least `11 s + a + 1` bits. So the first `a + 1` tables are
/// searched for chunks within `s` bits of the query's and the others within `s - 1` (none when
/// that is negative): at the default radius of 31, ten tables within 2 bits and one within 1.
/// Every entry found has its full distance checked: nothing within the radius can be missed.
///
/// A table groups its entries by the top 16 bits of their chunk (a counting sort, no
/// per-bucket allocation) and keeps the chunk's remaining 7 or 8 bits beside each entry, the
/// bucket's entries in the order of these tails. A probe visits each bucket whose key is within
/// the flip budget. In most of them the key alone spends the budget, and a binary search finds
/// the entries with the query's tail; the others' tails are read in order. Only entries whose
/// whole chunk is within the budget cost a random read of their hash. Compared with 16 tables
/// of 16-bit chunks, which verify about 40,000 random entries per query at 10 million, this
/// verifies about 3,000 on uniform hashes. It holds 4 bytes per entry and table (a 3-byte entry
/// number up to 16.7 million entries, and the tail) instead of 4 × 16: 76 bytes per hash in
/// all, 32 of them the hash itself.
///
/// The bits are read in an order drawn from the collection when it is first loaded in bulk
/// (`ChunkPermutation`), which spreads bits that move together over different chunks. On the
/// skewed, correlated 10 million of `scripts/compare-hamming.sh` a query then verifies 10,100
/// entries instead of 17,400.
///
/// Entries added later wait in a pending list that queries scan in full until the next
/// rebuild, which the owner asks for when `wantsRebuild` says so; removed entries are marked,
/// skipped, and left out of the next rebuild, and keep their number.
public struct PDQIndex: Sendable {
    /// The largest radius the index searches: each chunk is then probed within 4 bits.
    public static let maximumRadius = 47
    static let chunkCount = 11
    static let keyBits = 16
    static let bucketCount = 1 << keyBits
    /// Tails compared at once.
    static let tailLanes = 8
    /// Where each chunk starts in the hash, counting bits from word 0's least significant;
    /// three chunks of 24 bits, then eight of 23.
    static let chunkStarts: [Int] = [0, 24, 48, 72, 95, 118, 141, 164, 187, 210, 233, 256]

    /// A bulk load into an empty index of at least this many hashes draws the bit order from
    /// a sample of up to four times as many of them; smaller collections keep the hashes' own
    /// order, which is as exact, only slower on skewed bits.
    static let bitOrderMinimum = 16_384
    private var permutation: ChunkPermutation?
    /// Entry `e`'s hash, in the index's bit order, is words `4e..<4e+4`.
    private var words: [UInt64] = []
    /// Bit `e % 64` of word `e / 64` is set once entry `e` is removed.
    private var removedBits: [UInt64] = []
    private var tables = Tables()
    /// The most entries whose numbers slots hold in three bytes; tests lower it to try four.
    var threeByteEntryLimit = 1 << 24
    /// Entries added since the last rebuild, scanned by every query.
    private var pending: [UInt32] = []
    public private(set) var count = 0

    public init() {}

    /// The tables of a rebuild. They are worked out apart from the index (`rebuiltTables()`),
    /// which a shared index may go on answering queries from meanwhile, and then installed.
    public struct Tables: Sendable {
        /// Per table, `bucketCount + 1` offsets into that table's slots.
        fileprivate var bucketStarts: [UInt32] = []
        /// Table `t`'s slots are `t * size ..< (t + 1) * size`: the entry, and the bits of its
        /// chunk below the key. Slot `s`'s entry number is the little-endian bytes
        /// `slotEntries[s * entryWidth ..< (s + 1) * entryWidth]`: three of them while there are
        /// no more than 2^24 (16.7 million) entries, which saves a byte per table and entry.
        fileprivate var slotEntries: [UInt8] = []
        fileprivate var entryWidth = 4
        fileprivate var slotTails: [UInt8] = []
        fileprivate var size = 0
        /// The entries there were when the tables were worked out; those added since are pending.
        fileprivate var entryCount = 0
    }

    /// Adds a hash and returns its entry number, which never changes.
    @discardableResult
    public mutating func insert(_ hash: PDQHash) -> Int {
        let entry = append(hash)
        pending.append(UInt32(entry))
        return entry
    }

    /// Adds many hashes with one rebuild, as when loading from the store; returns the entry
    /// number of the first.
    @discardableResult
    public mutating func insert(contentsOf hashes: [PDQHash]) -> Int {
        let first = entryCount
        if first == 0, hashes.count >= Self.bitOrderMinimum {
            let step = max(1, hashes.count / (4 * Self.bitOrderMinimum))
            let sample = Swift.stride(from: 0, to: hashes.count, by: step).map { hashes[$0] }
            permutation = ChunkPermutation(
                sample: sample, chunkSizes: zip(Self.chunkStarts, Self.chunkStarts.dropFirst()).map { $1 - $0 })
        }
        words = LargeTables.array(words, capacity: words.count + 4 * hashes.count)
        for hash in hashes { append(hash) }
        rebuild()
        return first
    }

    @discardableResult
    private mutating func append(_ hash: PDQHash) -> Int {
        let entry = entryCount
        let hash = permutation?.apply(hash) ?? hash
        words.append(hash.words.0)
        words.append(hash.words.1)
        words.append(hash.words.2)
        words.append(hash.words.3)
        if entry % 64 == 0 { removedBits.append(0) }
        count += 1
        return entry
    }

    public mutating func remove(entry: Int) {
        guard entry < entryCount, !Self.isRemoved(entry, removedBits) else { return }
        removedBits[entry / 64] |= 1 << UInt64(entry % 64)
        count -= 1
    }

    /// The hash added as `entry`, removed or not.
    public func hash(ofEntry entry: Int) -> PDQHash {
        let stored = PDQHash(
            words: (words[4 * entry], words[4 * entry + 1], words[4 * entry + 2], words[4 * entry + 3]))
        return permutation?.restore(stored) ?? stored
    }

    /// Entries added, removed ones included.
    private var entryCount: Int { words.count / 4 }

    @inline(__always)
    private static func isRemoved<Bits: RandomAccessCollection<UInt64>>(_ entry: Int, _ bits: Bits) -> Bool
    where Bits.Index == Int {
        bits[entry / 64] & 1 << UInt64(entry % 64) != 0
    }

    /// Whether the pending list, which every query scans, has grown enough to be worth a
    /// rebuild. Large indexes tolerate a longer one: each rebuild costs more, and scanning a few
    /// thousand more hashes costs a query little next to its probes.
    public var wantsRebuild: Bool { pending.count >= max(4096, count / 256) }

    /// Rebuilds the tables over every live entry, so that none is left in the pending list.
    public mutating func rebuild() { install(rebuiltTables()) }

    /// Puts tables worked out by `rebuiltTables()` in use. Entries added since stay pending;
    /// those removed since are still skipped.
    public mutating func install(_ tables: Tables) {
        self.tables = tables
        pending.removeAll { Int($0) < tables.entryCount }
    }

    /// Tables over every live entry, for `install(_:)`.
    public func rebuiltTables() -> Tables {
        let live = (0..<entryCount).filter { !Self.isRemoved($0, removedBits) }.map(UInt32.init)
        let size = live.count
        var starts = [UInt32](repeating: 0, count: Self.chunkCount * (Self.bucketCount + 1))
        let width = entryCount <= threeByteEntryLimit ? 3 : 4
        // A byte more, so that the last slot's entry may be read as a whole 4-byte word.
        var entries = LargeTables.array(repeating: UInt8(0), count: Self.chunkCount * size * width + 1)
        // Padded, so that a probe may read a whole word of tails past any bucket's end.
        var tails = LargeTables.array(repeating: UInt8(0), count: Self.chunkCount * size + Self.tailLanes)
        var next = [UInt32](repeating: 0, count: Self.bucketCount)
        var byTail = [UInt32](repeating: 0, count: size)
        // Each live entry's key and tail in the table being built, read from the hashes once.
        var entryKeys = [UInt16](repeating: 0, count: entryCount)
        var entryTails = [UInt8](repeating: 0, count: entryCount)
        words.withUnsafeBufferPointer { words in
            starts.withUnsafeMutableBufferPointer { starts in
                entries.withUnsafeMutableBufferPointer { entries in
                    tails.withUnsafeMutableBufferPointer { tails in
                        next.withUnsafeMutableBufferPointer { next in
                            for table in 0..<Self.chunkCount {
                                // Two counting sorts, by tail and then (stably) by key, leave
                                // each bucket's slots in the order of their tails.
                                var tailStarts = [Int](repeating: 0, count: 257)
                                let offsets = table * (Self.bucketCount + 1)
                                for entry in live {
                                    let (key, tail) = Self.split(Self.chunk(words, Int(entry), table), table)
                                    entryKeys[Int(entry)] = UInt16(key)
                                    entryTails[Int(entry)] = tail
                                    starts[offsets + Int(key) + 1] += 1
                                    tailStarts[Int(tail) + 1] += 1
                                }
                                for tail in 0..<256 { tailStarts[tail + 1] += tailStarts[tail] }
                                for entry in live {
                                    let tail = Int(entryTails[Int(entry)])
                                    byTail[tailStarts[tail]] = entry
                                    tailStarts[tail] += 1
                                }
                                for key in 0..<Self.bucketCount {
                                    starts[offsets + key + 1] += starts[offsets + key]
                                    next[key] = starts[offsets + key]
                                }
                                let base = table * size
                                for entry in byTail {
                                    let (key, tail) = (entryKeys[Int(entry)], entryTails[Int(entry)])
                                    let slot = base + Int(next[Int(key)])
                                    for byte in 0..<width {
                                        entries[slot * width + byte] = UInt8(truncatingIfNeeded: entry >> (8 * byte))
                                    }
                                    tails[slot] = tail
                                    next[Int(key)] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tables(
            bucketStarts: starts, slotEntries: entries, entryWidth: width, slotTails: tails, size: size,
            entryCount: entryCount)
    }

    /// Bits `chunkStarts[table] ..< chunkStarts[table + 1]` of the hash held in words `4 * entry ..< 4 * entry + 4`.
    @inline(__always)
    private static func chunk(_ words: UnsafeBufferPointer<UInt64>, _ entry: Int, _ table: Int) -> UInt32 {
        let start = chunkStarts[table]
        let length = chunkStarts[table + 1] - start
        let word = 4 * entry + start >> 6
        let shift = start & 63
        var bits = words[word] &>> UInt64(shift)
        if shift + length > 64 { bits |= words[word + 1] &<< UInt64(64 - shift) }
        return UInt32(truncatingIfNeeded: bits) & (1 << UInt32(length) - 1)
    }

    /// A chunk's bucket key (its top 16 bits) and tail (the rest).
    @inline(__always)
    private static func split(_ chunk: UInt32, _ table: Int) -> (key: UInt32, tail: UInt8) {
        let tailBits = UInt32(chunkStarts[table + 1] - chunkStarts[table] - keyBits)
        return (chunk &>> tailBits, UInt8(truncatingIfNeeded: chunk & (1 << tailBits - 1)))
    }

    /// Every live entry within `radius` of `query`, with its distance, nearest first.
    public func matches(of query: PDQHash, within radius: Int) -> [(entry: Int, distance: Int)] {
        precondition((0...Self.maximumRadius).contains(radius), "radius must be within 0...\(Self.maximumRadius)")
        let queryWords = queryWords(query)
        // Four passes, each a loop over reads that are independent of one another, so that the
        // processor has many of the cache misses that dominate at millions of entries in flight
        // at once: the buckets to probe, the slots whose tail is close enough, their entry
        // numbers, then those entries' hashes. Each loop asks for the memory a later iteration
        // will read before it works on the current one (`prefetchingAhead`).
        var probes: [(range: Range<Int>, tail: UInt8, allowed: Int)] = []
        tables.bucketStarts.withUnsafeBufferPointer { starts in
            for table in 0..<Self.chunkCount where tables.size > 0 {
                guard let budget = Self.budget(ofTable: table, radius: radius) else { break }
                let (key, tail) = queryWords.withUnsafeBufferPointer {
                    Self.split(Self.chunk($0, 0, table), table)
                }
                for (mask, flips) in Self.keyFlips[..<Self.keyFlipCounts[budget]] {
                    let range = bucketRange(starts, table: table, bucket: Int(key ^ UInt32(mask)))
                    if !range.isEmpty { probes.append((range, tail, budget - Int(flips))) }
                }
            }
        }
        var slots: [Int] = []
        tables.slotTails.withUnsafeBufferPointer { tails in
            Self.prefetchingAhead(
                probes.count, by: 8,
                prefetch: { probe in
                    // The lines a binary search of a bucket of a few hundred tails reads.
                    let range = probes[probe].range
                    for line in stride(
                        from: range.lowerBound, to: min(range.upperBound, range.lowerBound + 256), by: 64)
                    {
                        concord_prefetch(tails.baseAddress! + line)
                    }
                },
                work: { probe in
                    let (range, tail, allowed) = probes[probe]
                    Self.appendSlots(tails, range, tail, allowed, to: &slots)
                })
        }
        var candidates = [Int](repeating: 0, count: slots.count)
        tables.slotEntries.withUnsafeBytes { entries in
            let (width, mask) = (tables.entryWidth, UInt32.max >> (32 - 8 * UInt32(tables.entryWidth)))
            Self.prefetchingAhead(
                slots.count, by: 16, prefetch: { concord_prefetch(entries.baseAddress! + slots[$0] * width) },
                work: {
                    let word = entries.loadUnaligned(fromByteOffset: slots[$0] * width, as: UInt32.self)
                    candidates[$0] = Int(UInt32(littleEndian: word) & mask)
                })
        }
        candidates += pending.lazy.map(Int.init)
        var found: [(entry: Int, distance: Int)] = []
        words.withUnsafeBufferPointer { words in
            removedBits.withUnsafeBufferPointer { removed in
                queryWords.withUnsafeBufferPointer { queryWords in
                    Self.prefetchingAhead(
                        candidates.count, by: 16,
                        prefetch: { concord_prefetch(words.baseAddress! + 4 * candidates[$0]) },
                        work: { candidate in
                            let entry = candidates[candidate]
                            let distance = Self.distance(words, entry, queryWords)
                            if distance <= radius, !Self.isRemoved(entry, removed) { found.append((entry, distance)) }
                        })
                }
            }
        }
        return Self.nearestFirst(found)
    }

    /// Calls `work` for each of `0..<count` in order, having called `prefetch` for the element
    /// `distance` places ahead (and, at the start, for the first `distance`). A prefetch asks
    /// for a cache line without waiting for it, so the misses of the next `distance` elements
    /// are in flight while `work` runs; a plain load would hold up the processor once a few of
    /// them were outstanding.
    @inline(__always)
    private static func prefetchingAhead(
        _ count: Int, by distance: Int, prefetch: (Int) -> Void, work: (Int) -> Void
    ) {
        for element in 0..<min(distance, count) { prefetch(element) }
        for element in 0..<count {
            if element + distance < count { prefetch(element + distance) }
            work(element)
        }
    }

    /// Matches nearest first, each entry once: an entry close to a query is found through
    /// several tables.
    private static func nearestFirst(_ found: [(entry: Int, distance: Int)]) -> [(entry: Int, distance: Int)] {
        var previous = -1
        return found.sorted { ($0.distance, $0.entry) < ($1.distance, $1.entry) }.filter { match in
            defer { previous = match.entry }
            return match.entry != previous
        }
    }

    /// The query's words in the index's bit order.
    private func queryWords(_ query: PDQHash) -> [UInt64] {
        let query = permutation?.apply(query) ?? query
        return [query.words.0, query.words.1, query.words.2, query.words.3]
    }

    /// How many bits a table's chunk may differ from the query's within `radius` (see the
    /// type's comment); nil for this table and every later one when none is searched.
    private static func budget(ofTable table: Int, radius: Int) -> Int? {
        let budget = radius / chunkCount - (table < radius % chunkCount + 1 ? 0 : 1)
        return budget >= 0 ? budget : nil
    }

    /// The slots of a table's bucket.
    @inline(__always)
    private func bucketRange(_ starts: UnsafeBufferPointer<UInt32>, table: Int, bucket: Int) -> Range<Int> {
        let start = table * (Self.bucketCount + 1) + bucket
        return (table * tables.size + Int(starts[start]))..<(table * tables.size + Int(starts[start + 1]))
    }

    /// Appends the slots of `range`, a bucket, whose tails are within `allowed` bits of `tail`.
    @inline(__always)
    private static func appendSlots(
        _ tails: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ tail: UInt8, _ allowed: Int,
        to slots: inout [Int]
    ) {
        // Most buckets probed are as far as the budget allows: only their entries with the
        // query's very tail can be close.
        if allowed == 0 {
            appendEqual(tails, range, tail, to: &slots)
        } else {
            appendClose(tails, range, tail, allowed, to: &slots)
        }
    }

    /// Appends the slots of `range`, whose tails are in order, that hold `tail` itself.
    @inline(__always)
    private static func appendEqual(
        _ tails: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ tail: UInt8, to slots: inout [Int]
    ) {
        var (first, length) = (range.lowerBound, range.count)
        while length > 0 {
            let half = length / 2
            if tails[first + half] < tail {
                first += half + 1
                length -= half + 1
            } else {
                length = half
            }
        }
        while first < range.upperBound, tails[first] == tail {
            slots.append(first)
            first += 1
        }
    }

    /// Appends the slots of `range` whose tail differs from `tail` in at most `allowed` bits,
    /// in order. Skewed collections make some buckets long, and scanning their tails is then
    /// much of a query: eight tails are compared at once, as the bytes of one word.
    @inline(__always)
    private static func appendClose(
        _ tails: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ tail: UInt8, _ allowed: Int,
        to slots: inout [Int]
    ) {
        let raw = UnsafeRawPointer(tails.baseAddress!)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let query = UInt64(tail) &* ones
        // A byte's count plus this sets the byte's top bit exactly when the count exceeds `allowed`.
        let over = UInt64(0x7F - allowed) &* ones
        var start = range.lowerBound
        while start < range.upperBound {
            let differing = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)) ^ query
            // Bits set in each byte, counted within the byte (no carry crosses into the next).
            var count = differing &- ((differing &>> 1) & 0x5555_5555_5555_5555)
            count = (count & 0x3333_3333_3333_3333) &+ ((count &>> 2) & 0x3333_3333_3333_3333)
            count = (count &+ (count &>> 4)) & 0x0F0F_0F0F_0F0F_0F0F
            var close = ~(count &+ over) & 0x8080_8080_8080_8080
            let remaining = range.upperBound - start
            if remaining < tailLanes { close &= (1 &<< UInt64(8 * remaining)) &- 1 }
            while close != 0 {
                slots.append(start + close.trailingZeroBitCount / 8)
                close &= close &- 1
            }
            start += tailLanes
        }
    }

    @inline(__always)
    private static func distance(
        _ words: UnsafeBufferPointer<UInt64>, _ entry: Int, _ query: UnsafeBufferPointer<UInt64>
    ) -> Int {
        let at = 4 * entry
        return (words[at] ^ query[0]).nonzeroBitCount + (words[at + 1] ^ query[1]).nonzeroBitCount
            + (words[at + 2] ^ query[2]).nonzeroBitCount + (words[at + 3] ^ query[3]).nonzeroBitCount
    }

    /// Every 16-bit mask of at most 4 bits, with its bit count, fewest bits first: the keys
    /// within `b` bits of a key `k` are `k ^ mask` for the first `keyFlipCounts[b]` masks.
    private static let keyFlips: [(mask: UInt16, flips: UInt8)] = (0...UInt16.max)
        .map { (mask: $0, flips: UInt8($0.nonzeroBitCount)) }
        .filter { $0.flips <= 4 }
        .sorted { ($0.flips, $0.mask) < ($1.flips, $1.mask) }
    private static let keyFlipCounts: [Int] = (0...4).map { budget in keyFlips.count { $0.flips <= budget } }
}
