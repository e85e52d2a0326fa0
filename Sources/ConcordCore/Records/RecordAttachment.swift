import Foundation

/// A file kept with a record, such as a photo of a notice's subject. Stored apart from the
/// record's body so that reading a record never carries megabytes of image with it.
public struct RecordAttachment: Sendable, Hashable {
    public var id: String
    public var record: RecordID
    /// `image/jpeg`, `image/png`, ...
    public var mediaType: String
    public var bytes: Data
    public var createdAt: Date

    public init(id: String, record: RecordID, mediaType: String, bytes: Data, createdAt: Date) {
        self.id = id
        self.record = record
        self.mediaType = mediaType
        self.bytes = bytes
        self.createdAt = createdAt
    }
}

/// The image formats photos may come in, told apart by their first bytes, never by what the
/// sender claims. Nothing is decoded: a photo is kept and served exactly as sent.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// Photos larger than this are refused; a portrait needs far less.
    public static let maximumSize = 5 << 20

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The IEND chunk every PNG ends with: length 0, type, CRC.
    private static let pngEnd: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    public var mediaType: String { rawValue }

    /// The format the bytes claim by their signature; nil when they are neither JPEG nor PNG.
    public init?(signatureOf bytes: Data) {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if bytes.starts(with: Self.pngSignature) {
            self = .png
        } else {
            return nil
        }
    }

    /// Whether the bytes are whole: a JPEG ends with its end-of-image marker, a PNG opens with
    /// its header chunk and ends with its end chunk. Catches truncated and mangled uploads.
    public func isComplete(_ bytes: Data) -> Bool {
        switch self {
        case .jpeg:
            return bytes.count > 4 && bytes.suffix(2).elementsEqual([0xFF, 0xD9])
        case .png:
            let header = Array("IHDR".utf8)
            return bytes.count >= 8 + 25 + Self.pngEnd.count
                && bytes.dropFirst(12).prefix(4).elementsEqual(header)
                && bytes.suffix(Self.pngEnd.count).elementsEqual(Self.pngEnd)
        }
    }
}
