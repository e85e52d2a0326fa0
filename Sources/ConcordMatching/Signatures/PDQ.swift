import Foundation

/// A 256-bit PDQ perceptual hash. Bit `k` is bit `k % 64` of word `k / 64`, so the hex form,
/// most significant word first, is the reference implementation's.
public struct PDQHash: Sendable, Hashable, CustomStringConvertible {
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    public static let zero = PDQHash(words: (0, 0, 0, 0))

    /// 64 hexadecimal digits in either case; nil for anything else.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var parsed: [UInt64] = []
        for start in stride(from: 0, to: 64, by: 16) {
            guard let word = UInt64(String(decoding: digits[start..<start + 16], as: UTF8.self), radix: 16),
                digits[start..<start + 16].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
            else { return nil }
            parsed.append(word)
        }
        words = (parsed[3], parsed[2], parsed[1], parsed[0])
    }

    public var hex: String {
        [words.3, words.2, words.1, words.0].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    public var description: String { hex }

    public func bit(_ k: Int) -> Bool {
        let word = [words.0, words.1, words.2, words.3][k >> 6]
        return word >> UInt64(k & 63) & 1 == 1
    }

    public func distance(to other: PDQHash) -> Int {
        (words.0 ^ other.words.0).nonzeroBitCount + (words.1 ^ other.words.1).nonzeroBitCount
            + (words.2 ^ other.words.2).nonzeroBitCount + (words.3 ^ other.words.3).nonzeroBitCount
    }

    public static func == (lhs: PDQHash, rhs: PDQHash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

/// The eight symmetries of a square image, in the reference implementation's order.
public enum PDQDihedral: String, Sendable, CaseIterable, Codable {
    case original
    case rotate90 = "rotate-90"
    case rotate180 = "rotate-180"
    case rotate270 = "rotate-270"
    case flipX = "flip-x"
    case flipY = "flip-y"
    case flipPlus1 = "flip-plus-1"
    case flipMinus1 = "flip-minus-1"
}

/// A hash and the quality (0...100) of the image it came from.
public struct PDQResult: Sendable, Hashable {
    public var hash: PDQHash
    public var quality: Int

    /// Below this quality an image is too flat for its hash to mean anything.
    public static let minimumUsefulQuality = 50

    public var isUsable: Bool { quality >= Self.minimumUsefulQuality }
}

/// PDQ hashing as the reference implementation computes it, operation for operation, so the
/// same pixels give the same bits: every intermediate is a `Float` wherever the reference
/// keeps one, and sums run in the reference's order. No step may be "improved" (fused,
/// reordered or done in `Double`) without breaking that agreement, which the tests check
/// against the reference on many images.
public enum PDQ {
    /// Images smaller than this either way hash to zero with quality zero.
    static let minimumDimension = 5

    /// Hashes interleaved 8-bit RGB pixels, row by row.
    public static func hash(rgb: [UInt8], width: Int, height: Int) -> PDQResult {
        precondition(rgb.count == width * height * 3, "RGB pixels must be width × height × 3 bytes")
        return hash(luma: luma(rgb: rgb, width: width, height: height), width: width, height: height)
    }

    /// Hashes 8-bit grey pixels, row by row.
    public static func hash(grey: [UInt8], width: Int, height: Int) -> PDQResult {
        precondition(grey.count == width * height, "grey pixels must be width × height bytes")
        return hash(luma: grey.map(Float.init), width: width, height: height)
    }

    /// Hashes luminance values, row by row.
    public static func hash(luma: [Float], width: Int, height: Int) -> PDQResult {
        guard width >= minimumDimension, height >= minimumDimension else { return PDQResult(hash: .zero, quality: 0) }
        // Already 64 × 64 (a video frame downsampled elsewhere): the reference skips the filter.
        let small = width == 64 && height == 64 ? luma : downsample(luma, width: width, height: height)
        return PDQResult(hash: bits(dct(small)), quality: quality(small))
    }

    /// The hashes of all eight symmetries of RGB pixels at the cost of one, from the one DCT.
    public static func dihedralHashes(
        rgb: [UInt8], width: Int, height: Int
    ) -> (quality: Int, hashes: [PDQDihedral: PDQHash]) {
        precondition(rgb.count == width * height * 3, "RGB pixels must be width × height × 3 bytes")
        return dihedralHashes(luma: luma(rgb: rgb, width: width, height: height), width: width, height: height)
    }

    public static func dihedralHashes(
        luma: [Float], width: Int, height: Int
    ) -> (quality: Int, hashes: [PDQDihedral: PDQHash]) {
        guard width >= minimumDimension, height >= minimumDimension else {
            return (0, Dictionary(uniqueKeysWithValues: PDQDihedral.allCases.map { ($0, PDQHash.zero) }))
        }
        // Unlike the single hash, the reference filters even a 64 × 64 input here.
        let small = downsample(luma, width: width, height: height)
        let coefficients = dct(small)
        var hashes: [PDQDihedral: PDQHash] = [:]
        for symmetry in PDQDihedral.allCases {
            hashes[symmetry] = bits(transform(coefficients, symmetry))
        }
        return (quality(small), hashes)
    }

    // MARK: - Steps

    public static func luma(rgb: [UInt8], width: Int, height: Int) -> [Float] {
        let red: Float = 0.299
        let green: Float = 0.587
        let blue: Float = 0.114
        var luma = [Float](repeating: 0, count: width * height)
        rgb.withUnsafeBufferPointer { pixels in
            for index in 0..<(width * height) {
                let r = red * Float(pixels[3 * index])
                let g = green * Float(pixels[3 * index + 1])
                let b = blue * Float(pixels[3 * index + 2])
                luma[index] = r + g + b
            }
        }
        return luma
    }

    /// Two passes of box filters along rows then columns (a Jarosz tent filter), then one
    /// sample at the centre of each of 64 × 64 cells.
    static func downsample(_ luma: [Float], width: Int, height: Int) -> [Float] {
        var buffer = luma
        var scratch = [Float](repeating: 0, count: luma.count)
        let windowAlongRows = (width + 2 * 64 - 1) / (2 * 64)
        let windowAlongColumns = (height + 2 * 64 - 1) / (2 * 64)
        buffer.withUnsafeMutableBufferPointer { buffer in
            scratch.withUnsafeMutableBufferPointer { scratch in
                for _ in 0..<2 {
                    for row in 0..<height {
                        box(
                            from: buffer.baseAddress! + row * width, to: scratch.baseAddress! + row * width,
                            length: width, stride: 1, window: windowAlongRows)
                    }
                    for column in 0..<width {
                        box(
                            from: scratch.baseAddress! + column, to: buffer.baseAddress! + column, length: height,
                            stride: width, window: windowAlongColumns)
                    }
                }
            }
        }
        var small = [Float](repeating: 0, count: 64 * 64)
        for i in 0..<64 {
            let row = Int((Double(i) + 0.5) * Double(height) / 64)
            for j in 0..<64 {
                let column = Int((Double(j) + 0.5) * Double(width) / 64)
                small[i * 64 + j] = buffer[row * width + column]
            }
        }
        return small
    }

    /// A running mean over `window` values centred on each one; near the ends the window
    /// holds only the values that exist.
    private static func box(
        from input: UnsafeMutablePointer<Float>, to output: UnsafeMutablePointer<Float>, length: Int, stride: Int,
        window: Int
    ) {
        let half = (window + 2) / 2
        var sum: Float = 0
        var count = 0
        var left = 0
        var right = 0
        var out = 0
        for _ in 0..<(half - 1) {
            sum += input[right]
            count += 1
            right += stride
        }
        for _ in 0..<(window - half + 1) {
            sum += input[right]
            count += 1
            output[out] = sum / Float(count)
            right += stride
            out += stride
        }
        for _ in 0..<max(0, length - window) {
            sum += input[right]
            sum -= input[left]
            output[out] = sum / Float(count)
            left += stride
            right += stride
            out += stride
        }
        for _ in 0..<(half - 1) {
            sum -= input[left]
            count -= 1
            output[out] = sum / Float(count)
            left += stride
            out += stride
        }
    }

    /// The sum of significant gradients between neighbours of the 64 × 64 image, scaled to 0...100.
    static func quality(_ small: [Float]) -> Int {
        var gradients = 0
        func step(_ u: Float, _ v: Float) -> Int {
            let d = Int((u - v) * 100 / 255)
            return abs(d)
        }
        for i in 0..<63 {
            for j in 0..<64 { gradients += step(small[i * 64 + j], small[(i + 1) * 64 + j]) }
        }
        for i in 0..<64 {
            for j in 0..<63 { gradients += step(small[i * 64 + j], small[i * 64 + j + 1]) }
        }
        return min(gradients / 90, 100)
    }

    /// Rows 1...16 of the 64-point DCT-II basis, as the reference rounds them to `Float`.
    static let basis: [Float] = {
        let scale = Float((2.0 / 64.0).squareRoot())
        var basis = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                basis[i * 64 + j] = Float(
                    Double(scale) * cos((Double.pi / 2.0 / 64.0) * Double(i + 1) * Double(2 * j + 1)))
            }
        }
        return basis
    }()

    /// The 16 × 16 low-frequency block of the 2-D DCT: basis × image × basisᵀ.
    static func dct(_ small: [Float]) -> [Float] {
        var half = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                var sum: Float = 0
                for k in 0..<64 { sum += basis[i * 64 + k] * small[k * 64 + j] }
                half[i * 64 + j] = sum
            }
        }
        var block = [Float](repeating: 0, count: 16 * 16)
        for i in 0..<16 {
            for j in 0..<16 {
                var sum: Float = 0
                for k in 0..<64 { sum += half[i * 64 + k] * basis[j * 64 + k] }
                block[i * 16 + j] = sum
            }
        }
        return block
    }

    /// The DCT block of a symmetry of the image, from the original's: a transpose and sign
    /// changes of odd frequencies, no new transform.
    static func transform(_ block: [Float], _ symmetry: PDQDihedral) -> [Float] {
        var result = [Float](repeating: 0, count: 256)
        for i in 0..<16 {
            for j in 0..<16 {
                let value = block[i * 16 + j]
                let (transposed, negated): (Bool, Bool) =
                    switch symmetry {
                    case .original: (false, false)
                    case .rotate90: (true, j & 1 == 0)
                    case .rotate180: (false, (i + j) & 1 == 1)
                    case .rotate270: (true, i & 1 == 0)
                    case .flipX: (false, i & 1 == 0)
                    case .flipY: (false, j & 1 == 0)
                    case .flipPlus1: (true, false)
                    case .flipMinus1: (true, (i + j) & 1 == 1)
                    }
                result[transposed ? j * 16 + i : i * 16 + j] = negated ? -value : value
            }
        }
        return result
    }

    /// One bit per coefficient: whether it exceeds the median (the 128th smallest, as the
    /// reference's selection returns it).
    static func bits(_ block: [Float]) -> PDQHash {
        let median = block.sorted()[127]
        var words: [UInt64] = [0, 0, 0, 0]
        for k in 0..<256 where block[k] > median {
            words[k >> 6] |= 1 << UInt64(k & 63)
        }
        return PDQHash(words: (words[0], words[1], words[2], words[3]))
    }
}
