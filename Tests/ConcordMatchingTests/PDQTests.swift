import ConcordMatching
import ConcordTestSupport
import Foundation
import Testing

/// PDQ must give the reference implementation's bits for the same pixels. The reference here is
/// the `pdqhash` package, run on the very images the tests make.
@Suite("PDQ")
struct PDQTests {
    struct Image {
        var name: String
        var width: Int
        var height: Int
        var rgb: [UInt8]
    }

    /// Deterministic pixels: noise, smooth shapes and mixtures, at awkward sizes too.
    static func images() -> [Image] {
        var random = SplitMix(seed: 2026)
        var images: [Image] = []
        func add(_ name: String, _ width: Int, _ height: Int, _ pixel: (Int, Int) -> (Int, Int, Int)) {
            var rgb: [UInt8] = []
            rgb.reserveCapacity(width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let (r, g, b) = pixel(x, y)
                    rgb += [UInt8(clamping: r), UInt8(clamping: g), UInt8(clamping: b)]
                }
            }
            images.append(Image(name: name, width: width, height: height, rgb: rgb))
        }
        for (width, height) in [(4, 4), (5, 5), (64, 64), (63, 65), (100, 120), (333, 17), (1, 500), (640, 480)] {
            add("noise-\(width)x\(height)", width, height) { _, _ in
                (random.byte(), random.byte(), random.byte())
            }
        }
        for (width, height) in [(64, 64), (257, 190), (1024, 768)] {
            add("gradient-\(width)x\(height)", width, height) { x, y in
                (x * 255 / width, y * 255 / height, (x + y) * 127 / (width + height))
            }
            add("disc-\(width)x\(height)", width, height) { x, y in
                let dx = x - width / 3
                let dy = y - height / 2
                let inside = dx * dx + dy * dy < (height / 4) * (height / 4)
                return inside ? (230, 40, 60) : (20, 90, 200)
            }
            add("scene-\(width)x\(height)", width, height) { x, y in
                let wave = Int(60 * sin(Double(x) / 23) + 50 * cos(Double(y) / 31))
                let check = (x / 40 + y / 40) % 2 == 0 ? 40 : 0
                let grain = Int(random.byte() % 24)
                return (120 + wave + check + grain, 100 + check - wave / 2, 90 + grain + wave / 3)
            }
        }
        add("flat-200x150", 200, 150) { _, _ in (128, 128, 128) }
        add("faint-300x200", 300, 200) { x, _ in (120 + x % 3, 120, 121) }
        return images
    }

    /// How the `pdqhash` binding turns RGB into luminance: in double precision, rounded to
    /// `Float` once. The C++ reference, and `PDQ.hash(rgb:)`, compute it in `Float` instead;
    /// giving both sides the same luminance compares every step after it bit for bit.
    static func bindingLuma(_ image: Image) -> [Float] {
        (0..<(image.width * image.height)).map { index in
            let r = Double(image.rgb[3 * index]) * 0.299
            let g = Double(image.rgb[3 * index + 1]) * 0.587
            let b = Double(image.rgb[3 * index + 2]) * 0.114
            return Float(r + g + b)
        }
    }

    struct Reference: Decodable {
        var file: String
        var single: String
        var quality: Int
        var hashes: [String]
        var dihedralQuality: Int
    }

    static func referenceHashes(_ images: [Image]) async throws -> [String: Reference] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-pdq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for image in images {
            let path = folder.appendingPathComponent("\(image.name).rgb").path
            var data = Data("\(image.width) \(image.height)\n".utf8)
            data.append(contentsOf: image.rgb)
            try data.write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/reference/pdq_hashes.py").path
        let result = try await runProgram(["python3", script] + paths)
        #expect(result.status == 0, "the reference needs python3 with pdqhash and numpy: \(result.error)")
        let data = Data(result.output.utf8)
        var references: [String: Reference] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            let reference = try JSONDecoder().decode(Reference.self, from: Data(line))
            references[URL(fileURLWithPath: reference.file).deletingPathExtension().lastPathComponent] = reference
        }
        return references
    }

    @Test("hashes, dihedral hashes and quality are the reference's, bit for bit")
    func agreesWithTheReference() async throws {
        let images = Self.images()
        let references = try await Self.referenceHashes(images)
        #expect(references.count == images.count)
        var usable = 0
        for image in images {
            let reference = try #require(references[image.name], "\(image.name)")
            let luma = Self.bindingLuma(image)
            let single = PDQ.hash(luma: luma, width: image.width, height: image.height)
            #expect(single.hash.hex == reference.single, "\(image.name)")
            #expect(single.quality == reference.quality, "\(image.name)")
            let dihedral = PDQ.dihedralHashes(luma: luma, width: image.width, height: image.height)
            #expect(dihedral.quality == reference.dihedralQuality, "\(image.name)")
            #expect(PDQDihedral.allCases.map { dihedral.hashes[$0]?.hex } == reference.hashes, "\(image.name)")
            if single.isUsable { usable += 1 }
        }
        // The set must exercise both sides of the quality threshold.
        #expect(usable > 0 && usable < images.count)
    }

    @Test("RGB luminance is computed in Float, as the C++ reference does")
    func floatLuminance() {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 17, 200, 99]
        let expected: [Float] = [
            Float(0.299) * 255, Float(0.587) * 255, Float(0.114) * 255,
            Float(0.299) * 17 + Float(0.587) * 200 + Float(0.114) * 99,
        ]
        #expect(PDQ.luma(rgb: rgb, width: 4, height: 1) == expected)
    }

    @Test("the rotate-90 hash matches hashing the pixels turned a quarter counter-clockwise")
    func dihedralMatchesTurnedPixels() throws {
        let image = try #require(Self.images().first { $0.name == "scene-257x190" })
        let turned = rotate90(image)
        let direct = PDQ.hash(rgb: turned.rgb, width: turned.width, height: turned.height).hash
        let derived = try #require(
            PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height).hashes[.rotate90])
        // Derived from the DCT, not recomputed from pixels: close, not necessarily equal.
        // Not square, so the 64 × 64 grid falls differently: a match, not equality.
        #expect(direct.distance(to: derived) <= 31)
        let original = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height).hash
        #expect(direct.distance(to: original) > 64)
    }

    func rotate90(_ image: Image) -> Image {
        // Counter-clockwise: the new row y is the old column width - 1 - y, read top down.
        var rgb: [UInt8] = []
        for y in 0..<image.width {
            for x in 0..<image.height {
                let source = (x * image.width + (image.width - 1 - y)) * 3
                rgb += image.rgb[source..<source + 3]
            }
        }
        return Image(name: image.name + "-turned", width: image.height, height: image.width, rgb: rgb)
    }

    @Test func hexRoundTripsAndDistancesCountBits() throws {
        let hash = try #require(PDQHash(hex: "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"))
        #expect(hash.hex == "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22")
        #expect(PDQHash(hex: hash.hex.uppercased()) == hash)
        #expect(hash.bit(255) && hash.bit(1) && !hash.bit(0))
        #expect(hash.distance(to: hash) == 0)
        #expect(
            hash.distance(to: .zero)
                == [hash.words.0, hash.words.1, hash.words.2, hash.words.3].map(\.nonzeroBitCount).reduce(0, +))
        for bad in ["", "f8", String(repeating: "g", count: 64), "+" + String(repeating: "0", count: 63)] {
            #expect(PDQHash(hex: bad) == nil)
        }
    }
}

/// A small deterministic generator, so the images are the same on every run and machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func byte() -> Int { Int(next() & 0xFF) }
}
