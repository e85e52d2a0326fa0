/// An order of the 256 bits of a hash that spreads correlated bits over different chunks of
/// the multi-index (`PDQIndex`).
///
/// A real collection's bits are neither independent nor evenly set: perceptual hashes of
/// similar content share patterns. When bits that move together fall in one chunk, its values
/// crowd into a few buckets, and every query near them verifies thousands of entries that are
/// not within the radius. Hamming distance does not depend on the order of the bits, so the
/// index may hold every hash, and read every query, in any fixed order: this one is drawn from
/// the collection itself when it is first loaded, so that each chunk holds bits as little
/// correlated with one another as can be found.
struct ChunkPermutation: Sendable {
    /// For each of the 32 bytes of a hash and each value of it, where its bits go: into the
    /// index's order, and back out of it.
    private let scatter: [UInt64]
    private let gather: [UInt64]

    /// The order for `hashes` (a sample of the collection), filling chunks of `sizes` bits.
    /// Two bits weigh on each other by their squared correlation. Each bit, most entangled
    /// first, joins the chunk it weighs least on; then swaps of bits between chunks that
    /// lighten both are kept. The swaps are drawn from a fixed sequence, so one sample always
    /// gives one order.
    init(sample hashes: [PDQHash], chunkSizes sizes: [Int]) {
        let weights = Self.correlations(hashes).map { $0 * $0 }
        func weight(_ bit: Int, _ chunk: [Int], except skipped: Int = -1) -> Double {
            chunk.reduce(0) { $1 == skipped ? $0 : $0 + weights[bit * 256 + $1] }
        }
        let load = (0..<256).map { bit in weight(bit, Array(0..<256)) }
        var chunks = sizes.map { _ in [Int]() }
        for bit in (0..<256).sorted(by: { (load[$0], $1) > (load[$1], $0) }) {
            var best = (weight: Double.infinity, chunk: 0)
            for (number, chunk) in chunks.enumerated() where chunk.count < sizes[number] {
                let cost = weight(bit, chunk)
                if cost < best.weight { best = (cost, number) }
            }
            chunks[best.chunk].append(bit)
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func draw(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        for _ in 0..<20_000 where chunks.count > 1 {
            let first = draw(chunks.count)
            let second = (first + 1 + draw(chunks.count - 1)) % chunks.count
            let (i, j) = (draw(chunks[first].count), draw(chunks[second].count))
            let (x, y) = (chunks[first][i], chunks[second][j])
            let change =
                weight(y, chunks[first], except: x) + weight(x, chunks[second], except: y)
                - weight(x, chunks[first], except: x) - weight(y, chunks[second], except: y)
            if change < 0 { (chunks[first][i], chunks[second][j]) = (y, x) }
        }
        self.init(order: chunks.flatMap { $0 })
    }

    /// Bit `order[i]` of a hash becomes bit `i`.
    init(order: [Int]) {
        precondition(order.count == 256 && Set(order).count == 256, "an order of the 256 bits")
        var destination = [Int](repeating: 0, count: 256)
        for (position, bit) in order.enumerated() { destination[bit] = position }
        scatter = Self.table(moving: destination)
        gather = Self.table(moving: order)
    }

    /// The hash with its bits in the index's order.
    func apply(_ hash: PDQHash) -> PDQHash { Self.move(hash, by: scatter) }

    /// A hash in the index's order with its bits put back where they came from.
    func restore(_ hash: PDQHash) -> PDQHash { Self.move(hash, by: gather) }

    /// Per byte and value, the words that bit `b` going to `destination[b]` makes of it.
    private static func table(moving destination: [Int]) -> [UInt64] {
        var table = [UInt64](repeating: 0, count: 32 * 256 * 4)
        for byte in 0..<32 {
            for value in 0..<256 {
                for bit in 0..<8 where value & (1 << bit) != 0 {
                    let target = destination[byte * 8 + bit]
                    table[(byte * 256 + value) * 4 + target >> 6] |= 1 << UInt64(target & 63)
                }
            }
        }
        return table
    }

    private static func move(_ hash: PDQHash, by table: [UInt64]) -> PDQHash {
        var result: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        table.withUnsafeBufferPointer { table in
            func moveBytes(of word: UInt64, from first: Int) {
                for byte in 0..<8 {
                    let at = ((first + byte) * 256 + Int(truncatingIfNeeded: word &>> UInt64(8 * byte)) & 0xFF) * 4
                    result.0 |= table[at]
                    result.1 |= table[at + 1]
                    result.2 |= table[at + 2]
                    result.3 |= table[at + 3]
                }
            }
            moveBytes(of: hash.words.0, from: 0)
            moveBytes(of: hash.words.1, from: 8)
            moveBytes(of: hash.words.2, from: 16)
            moveBytes(of: hash.words.3, from: 24)
        }
        return PDQHash(words: result)
    }

    /// Pearson correlations of every pair of bits over `hashes`, row-major, counted with the
    /// sample's bits held column by column so that a pair costs a popcount per 64 hashes.
    private static func correlations(_ hashes: [PDQHash]) -> [Double] {
        let rows = hashes.count
        let stride = (rows + 63) / 64
        var columns = [UInt64](repeating: 0, count: 256 * stride)
        for (row, hash) in hashes.enumerated() {
            let words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
            for bit in 0..<256 where words[bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                columns[bit * stride + row >> 6] |= 1 << UInt64(row & 63)
            }
        }
        var ones = [Double](repeating: 0, count: 256)
        for bit in 0..<256 {
            ones[bit] = Double(columns[(bit * stride)..<((bit + 1) * stride)].reduce(0) { $0 + $1.nonzeroBitCount })
        }
        let count = Double(max(rows, 1))
        var correlations = [Double](repeating: 0, count: 256 * 256)
        columns.withUnsafeBufferPointer { columns in
            for first in 0..<256 {
                for second in (first + 1)..<256 {
                    var both = 0
                    for word in 0..<stride {
                        both += (columns[first * stride + word] & columns[second * stride + word]).nonzeroBitCount
                    }
                    let (p, q) = (ones[first] / count, ones[second] / count)
                    let spread = (p * (1 - p) * q * (1 - q)).squareRoot()
                    let correlation = spread > 0 ? (Double(both) / count - p * q) / spread : 0
                    correlations[first * 256 + second] = correlation
                    correlations[second * 256 + first] = correlation
                }
            }
        }
        return correlations
    }
}
