/// Exact Hamming-radius search over PDQ hashes by multi-index hashing.
///
/// Each hash is cut into 16 chunks of 16 bits, and each chunk position has a table from chunk
/// value to the entries that have it. Two hashes within distance `r` differ in at most `r`
/// bits, so by the pigeonhole principle at least one of their 16 chunks differs in at most
/// `r / 16` bits (integer division). A query therefore looks up, in every table, its own
/// chunk and each chunk within `r / 16` bits of it, and checks the full distance of every
/// entry found: nothing within the radius can be missed. At the default radius of 31 that is
/// 17 lookups per table.
///
/// Tables are built in bulk as one array per table grouped by chunk value (a counting sort),
/// so they hold 4 bytes per entry and no per-bucket allocation. Entries added later wait in a
/// small list that queries scan in full until the next rebuild; removed entries are marked and
/// skipped, and keep their number.
public struct PDQIndex: Sendable {
    /// The largest radius the index searches exactly: chunks are then probed within 2 bits.
    public static let maximumRadius = 47
    static let chunkCount = 16
    static let pendingLimit = 4096

    /// Entry `e`'s hash is words `4e..<4e+4`.
    private var words: [UInt64] = []
    private var removed: [Bool] = []
    /// Per table, where each chunk value's entries start in `entries`; 65,537 offsets.
    private var offsets: [[UInt32]] = []
    private var entries: [[UInt32]] = []
    /// Entries added since the last rebuild, scanned by every query.
    private var pending: [UInt32] = []
    public private(set) var count = 0

    public init() {}

    /// Adds a hash and returns its entry number, which never changes.
    @discardableResult
    public mutating func insert(_ hash: PDQHash) -> Int {
        let entry = append(hash)
        pending.append(UInt32(entry))
        if pending.count >= Self.pendingLimit { rebuild() }
        return entry
    }

    /// Adds many hashes with one rebuild, as when loading from the store; returns the entry
    /// number of the first.
    @discardableResult
    public mutating func insert(contentsOf hashes: [PDQHash]) -> Int {
        let first = removed.count
        words.reserveCapacity(words.count + 4 * hashes.count)
        for hash in hashes { append(hash) }
        rebuild()
        return first
    }

    @discardableResult
    private mutating func append(_ hash: PDQHash) -> Int {
        let entry = removed.count
        words += [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
        removed.append(false)
        count += 1
        return entry
    }

    public mutating func remove(entry: Int) {
        guard entry < removed.count, !removed[entry] else { return }
        removed[entry] = true
        count -= 1
    }

    /// Rebuilds the tables over every entry, so that none is left in the pending list.
    public mutating func rebuild() {
        let total = removed.count
        offsets = []
        entries = []
        for table in 0..<Self.chunkCount {
            var starts = [UInt32](repeating: 0, count: 65_537)
            for entry in 0..<total { starts[Int(chunk(of: entry, table)) + 1] += 1 }
            for value in 0..<65_536 { starts[value + 1] += starts[value] }
            var next = starts
            var grouped = [UInt32](repeating: 0, count: total)
            for entry in 0..<total {
                let value = Int(chunk(of: entry, table))
                grouped[Int(next[value])] = UInt32(entry)
                next[value] += 1
            }
            offsets.append(starts)
            entries.append(grouped)
        }
        pending = []
    }

    @inline(__always)
    private func chunk(of entry: Int, _ table: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: words[4 * entry + (table >> 2)] >> UInt64((table & 3) * 16))
    }

    @inline(__always)
    private func distance(_ entry: Int, _ query: PDQHash) -> Int {
        (words[4 * entry] ^ query.words.0).nonzeroBitCount + (words[4 * entry + 1] ^ query.words.1).nonzeroBitCount
            + (words[4 * entry + 2] ^ query.words.2).nonzeroBitCount
            + (words[4 * entry + 3] ^ query.words.3).nonzeroBitCount
    }

    /// Every live entry within `radius` of `query`, with its distance, nearest first.
    public func matches(of query: PDQHash, within radius: Int) -> [(entry: Int, distance: Int)] {
        precondition((0...Self.maximumRadius).contains(radius), "radius must be within 0...\(Self.maximumRadius)")
        var found: [Int: Int] = [:]
        // Most candidates are far away: their distance rules them out before any bookkeeping.
        func consider(_ entry: Int) {
            let distance = distance(entry, query)
            if distance <= radius, !removed[entry] { found[entry] = distance }
        }
        if !offsets.isEmpty {
            let flips = radius / Self.chunkCount
            let queryWords = [query.words.0, query.words.1, query.words.2, query.words.3]
            for table in 0..<Self.chunkCount {
                let own = UInt16(truncatingIfNeeded: queryWords[table >> 2] >> UInt64((table & 3) * 16))
                let starts = offsets[table]
                let grouped = entries[table]
                Self.forEachValue(within: flips, of: own) { value in
                    for slot in Int(starts[Int(value)])..<Int(starts[Int(value) + 1]) { consider(Int(grouped[slot])) }
                }
            }
        }
        for entry in pending { consider(Int(entry)) }
        return found.map { (entry: $0.key, distance: $0.value) }.sorted {
            ($0.distance, $0.entry) < ($1.distance, $1.entry)
        }
    }

    /// Calls `body` with `value` and every 16-bit value that differs from it in at most `flips` bits.
    private static func forEachValue(within flips: Int, of value: UInt16, _ body: (UInt16) -> Void) {
        body(value)
        guard flips >= 1 else { return }
        for first in 0..<16 {
            let once = value ^ (1 << first)
            body(once)
            guard flips >= 2 else { continue }
            for second in (first + 1)..<16 {
                body(once ^ (1 << second))
            }
        }
    }
}
