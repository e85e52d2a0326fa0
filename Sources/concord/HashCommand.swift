import ArgumentParser
import ConcordCore
import ConcordImaging
import ConcordMatching
import Foundation

struct HashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the PDQ hash and quality of images, and the MD5, SHA-1 and SHA-256 of any file.",
        discussion: """
            Lines read 'pdq HEX QUALITY FILE', then 'md5 HEX FILE', 'sha1 HEX FILE', 'sha256 HEX FILE'. \
            A quality below \(PDQResult.minimumUsefulQuality) makes the PDQ hash unusable for matching, \
            which is reported on standard error. JPEG and PNG images are decoded with the system's \
            libjpeg and libpng. Exits 1 if a file could not be read or, being meant as an image, decoded.
            """)

    @Argument(help: "Files to hash.") var files: [String]
    @Flag(help: "Also print the hashes of the seven rotations and flips of each image.") var dihedral = false
    @Flag(help: "Print the results as JSON.") var json = false

    struct FileHashes: Encodable {
        var file: String
        var pdq: PDQLine?
        var dihedral: [String: String]?
        var md5: String?
        var sha1: String?
        var sha256: String?
        var error: String?
    }

    struct PDQLine: Encodable {
        var hash: String
        var quality: Int
        var usable: Bool
    }

    func run() async throws {
        var results: [FileHashes] = []
        for file in files {
            let result = hash(file)
            results.append(result)
            if !json { show(result) }
            if let error = result.error { complain("\(file): \(error)") }
            if let pdq = result.pdq, !pdq.usable {
                complain(
                    "\(file): quality \(pdq.quality) is below \(PDQResult.minimumUsefulQuality); its PDQ hash is unusable"
                )
            }
        }
        if json { try printJSON(results) }
        if results.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    private func hash(_ file: String) -> FileHashes {
        var result = FileHashes(file: file)
        guard let data = FileManager.default.contents(atPath: file) else {
            result.error = "cannot read the file"
            return result
        }
        let bytes = Array(data)
        result.md5 = FileDigest.md5.hex(of: bytes)
        result.sha1 = FileDigest.sha1.hex(of: bytes)
        result.sha256 = FileDigest.sha256.hex(of: bytes)
        do {
            let image = try ImageDecoder.decode(bytes)
            if dihedral {
                let hashes = PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height)
                let quality = hashes.quality
                result.pdq = PDQLine(
                    hash: hashes.hashes[.original]!.hex, quality: quality,
                    usable: quality >= PDQResult.minimumUsefulQuality)
                result.dihedral = Dictionary(
                    uniqueKeysWithValues: PDQDihedral.allCases.dropFirst().map { ($0.rawValue, hashes.hashes[$0]!.hex) }
                )
            } else {
                let pdq = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height)
                result.pdq = PDQLine(hash: pdq.hash.hex, quality: pdq.quality, usable: pdq.isUsable)
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    private func show(_ result: FileHashes) {
        if let pdq = result.pdq {
            say("pdq \(pdq.hash) \(pdq.quality) \(result.file)")
            for symmetry in PDQDihedral.allCases.dropFirst() {
                if let hash = result.dihedral?[symmetry.rawValue] {
                    say("pdq-\(symmetry.rawValue) \(hash) \(pdq.quality) \(result.file)")
                }
            }
        }
        for (name, value) in [("md5", result.md5), ("sha1", result.sha1), ("sha256", result.sha256)] {
            if let value { say("\(name) \(value) \(result.file)") }
        }
    }
}

func complain(_ text: String) {
    FileHandle.standardError.write(Data("concord: \(text)\n".utf8))
}
