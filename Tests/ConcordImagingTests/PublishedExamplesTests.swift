import ConcordImaging
import ConcordMatching
import Foundation
import Testing

/// The hashes the PDQ reference publishes for its sample photograph and its seven rotations
/// and flips. Another decoder may round a few pixels differently, so the reference counts an
/// implementation correct when, for images of quality 80 or more, its hashes are within 10 bits
/// of the published ones.
@Suite("PDQ published examples")
struct PublishedExamplesTests {
    static let tolerance = 10
    static let published: [PDQDihedral: String] = [
        .original: "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22",
        .rotate90: "b0a10efd71cc3f429413d48d0ffffe12e34e0e17ada952a9d29684210aa9e5af",
        .rotate180: "adad5a64b5a142e55362a09057dacd5ae63b847fc23794b766b319361fc93188",
        .rotate270: "a5f4a457a48995e8c9065c275aaa5498b61ba4bdf8fcf80387c32f8b0bfc4f05",
        .flipX: "f8f80f31e0f417b00e37f5cd028f980fb36ed02a9662c1e233e6cc634e9c64dd",
        .flipY: "8dad2599b1a1bd1853625f6553da32a1e63b7280c2374b4866b366c91bc9ce77",
        .flipPlus1: "f0a1f102f1dcc0bd9c5309720fff018de34ef1e8ada9a956d2967ade0ea91a50",
        .flipMinus1: "a5f05ba8a4896a17c106a3da5aaaab07b61b5b42f8fc07fc83c3d0740bfcb0fa",
    ]

    static func decode(_ name: String) throws -> DecodedImage {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pdq-reference/\(name)")
        return try ImageDecoder.decode(Array(try Data(contentsOf: url)))
    }

    static func published(_ variant: PDQDihedral) throws -> PDQHash {
        let hex = try #require(published[variant])
        return try #require(PDQHash(hex: hex))
    }

    @Test("the sample photograph hashes within the reference's tolerance, in all eight orientations")
    func original() throws {
        let image = try Self.decode("bridge-1-original.jpg")
        let plain = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height)
        #expect(plain.quality >= 80)
        #expect(plain.hash.distance(to: try Self.published(.original)) <= Self.tolerance)
        let dihedral = PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height)
        #expect(dihedral.hashes[.original] == plain.hash)
        for variant in PDQDihedral.allCases {
            let ours = try #require(dihedral.hashes[variant])
            #expect(ours.distance(to: try Self.published(variant)) <= Self.tolerance, "\(variant)")
        }
    }

    @Test(
        "the photograph rotated by a quarter turn hashes like the reference, and matches the original through a dihedral variant"
    )
    func rotated() throws {
        let image = try Self.decode("bridge-2-rotate-90.jpg")
        let rotated = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height).hash
        #expect(rotated.distance(to: try Self.published(.rotate90)) <= Self.tolerance)
        let original = try Self.decode("bridge-1-original.jpg")
        let variants = PDQ.dihedralHashes(rgb: original.rgb, width: original.width, height: original.height).hashes
        let originalHash = try #require(variants[.original])
        // Plainly the two are different pictures; one of the original's variants is the rotation.
        #expect(rotated.distance(to: originalHash) > 31)
        #expect(try #require(variants[.rotate90]).distance(to: rotated) <= Self.tolerance)
    }
}
