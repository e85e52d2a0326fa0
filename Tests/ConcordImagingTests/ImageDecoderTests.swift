import ConcordImaging
import ConcordMatching
import ConcordTestSupport
import Foundation
import Testing

/// Decoding through the system's libjpeg and libpng, checked against images whose pixels are
/// known: PNGs written by hand, JPEGs as Pillow decodes them.
@Suite("Image decoding")
struct ImageDecoderTests {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "concord-images-\(UUID().uuidString)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/reference/make_images.py").path
        // A static's initialiser cannot suspend; the script ends on its own within seconds.
        _ = try? ChildProcess(["/usr/bin/env", "python3", script, folder.path]).waitBlocking(seconds: 300)
        return folder
    }()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func expected(_ name: String) throws -> DecodedImage {
        let data = try bytes(name + ".rgb")
        let newline = try #require(data.firstIndex(of: UInt8(ascii: "\n")))
        let size = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        return DecodedImage(width: size[0], height: size[1], rgb: Array(data[(newline + 1)...]))
    }

    @Test(
        "PNG of every colour type and depth, and JPEG in colour and grey, decode to the expected pixels",
        arguments: [
            "rgb8.png", "rgb16.png", "grey8.png", "palette.png", "rgba.png", "flat.png", "photo.jpg", "grey.jpg",
        ])
    func decodesExactly(file: String) throws {
        let decoded = try ImageDecoder.decode(try Self.bytes(file))
        let expected = try Self.expected(String(file.split(separator: ".")[0]))
        #expect(decoded.width == expected.width && decoded.height == expected.height)
        #expect(decoded.rgb == expected.rgb)
    }

    @Test("a CMYK JPEG decodes to RGB close to what was encoded")
    func cmyk() throws {
        let decoded = try ImageDecoder.decode(try Self.bytes("cmyk.jpg"))
        let original = try Self.expected("rgb8")
        #expect(decoded.width == original.width && decoded.height == original.height)
        let pdq = PDQ.hash(rgb: decoded.rgb, width: decoded.width, height: decoded.height).hash
        let reference = PDQ.hash(rgb: original.rgb, width: original.width, height: original.height).hash
        #expect(pdq.distance(to: reference) <= 31)
    }

    @Test(
        "truncated, damaged and foreign files are refused with the reason",
        arguments: [
            ("truncated.jpg", "corrupt JPEG"), ("damaged.png", "corrupt PNG"), ("text.png", "not a JPEG or PNG image"),
            ("empty.jpg", "not a JPEG or PNG image"),
        ])
    func refusesBrokenFiles(file: String, reason: String) throws {
        let data = try Self.bytes(file)
        #expect {
            try ImageDecoder.decode(data)
        } throws: { error in
            "\(error)".hasPrefix(reason)
        }
    }

    @Test("images over the pixel limit are refused before their pixels are allocated")
    func pixelLimit() throws {
        for file in ["rgb8.png", "photo.jpg"] {
            #expect(throws: ImageDecodingError.tooLarge(maximumPixels: 1000)) {
                try ImageDecoder.decode(try Self.bytes(file), maximumPixels: 1000)
            }
        }
    }
}
