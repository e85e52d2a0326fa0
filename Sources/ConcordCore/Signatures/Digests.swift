import Crypto
import Foundation

/// The cryptographic digests a signature bank keeps of a file: exact matches only, for any
/// kind of file, beside the perceptual hash of images.
public enum FileDigest: String, Sendable, CaseIterable, Codable {
    case md5
    case sha1
    case sha256

    /// Lowercase hexadecimal, as hash lists write it.
    public func hex(of bytes: [UInt8]) -> String {
        let digest: [UInt8] =
            switch self {
            case .md5: Array(Insecure.MD5.hash(data: bytes))
            case .sha1: Array(Insecure.SHA1.hash(data: bytes))
            case .sha256: Array(SHA256.hash(data: bytes))
            }
        return digest.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
