import CImageDecoding
import Foundation

/// Pixels as 8-bit RGB, row by row.
public struct DecodedImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var rgb: [UInt8]

    public init(width: Int, height: Int, rgb: [UInt8]) {
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}

public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png

    /// The format the file says it is, by its first bytes rather than its name.
    public init?(magic data: some Collection<UInt8>) {
        let head = Array(data.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            self = .png
        } else {
            return nil
        }
    }
}

public enum ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsupportedFormat
    case corrupt(String)
    case tooLarge(maximumPixels: Int)

    public var description: String {
        switch self {
        case .unsupportedFormat: "not a JPEG or PNG image"
        case .corrupt(let reason): reason
        case .tooLarge(let maximum): "the image has more than \(maximum) pixels"
        }
    }
}

/// Decodes JPEG and PNG through the system's libjpeg(-turbo) and libpng.
public enum ImageDecoder {
    /// 100 megapixels: larger than any photograph worth hashing, small enough to decode safely.
    public static let defaultMaximumPixels = 100_000_000

    public static func decode(
        _ data: [UInt8], maximumPixels: Int = defaultMaximumPixels
    ) throws(ImageDecodingError) -> DecodedImage {
        guard let format = ImageFormat(magic: data) else { throw .unsupportedFormat }
        var pixels = data.withUnsafeBufferPointer { bytes in
            switch format {
            case .jpeg: concord_decode_jpeg(bytes.baseAddress, bytes.count, maximumPixels)
            case .png: concord_decode_png(bytes.baseAddress, bytes.count, maximumPixels)
            }
        }
        defer { concord_free_pixels(&pixels) }
        guard let rgb = pixels.rgb else {
            let reason = withUnsafeBytes(of: pixels.error) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if reason == "the image has too many pixels" { throw .tooLarge(maximumPixels: maximumPixels) }
            throw .corrupt(reason)
        }
        let count = Int(pixels.width) * Int(pixels.height) * 3
        return DecodedImage(
            width: Int(pixels.width), height: Int(pixels.height),
            rgb: Array(UnsafeBufferPointer(start: rgb, count: count)))
    }
}
