import ConcordImaging
import ConcordMatching
import ConcordTestSupport
import Foundation
import Testing

@Suite("concord hash")
struct HashCLITests {
    /// Test images from the reference script, plus a flat one whose hash is unusable.
    static func images() async throws -> URL {
        let folder = try makeTemporaryDirectory()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/reference/make_images.py").path
        let made = try await runProgram(["python3", script, folder.path])
        try #require(made.status == 0, "make_images.py failed: are the reference packages installed? \(made.error)")
        return folder
    }

    /// What coreutils says the digest of a file is.
    static func coreutils(_ tool: String, _ path: String) async throws -> String {
        let text = try await runProgram([tool, path]).output
        return String(try #require(text.split(separator: " ").first, "\(tool) printed nothing for \(path)"))
    }

    @Test("prints the PDQ hash, quality and digests of each file, and the dihedral hashes when asked")
    func hashes() async throws {
        let folder = try await Self.images()
        defer { removeDirectory(folder) }
        let photo = folder.appendingPathComponent("photo.jpg").path
        let image = try ImageDecoder.decode(Array(try Data(contentsOf: URL(fileURLWithPath: photo))))
        let pdq = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height)

        let plain = try await runConcord(["hash", photo])
        #expect(plain.status == 0, "\(plain.error)")
        let (md5, sha1, sha256) = (
            try await Self.coreutils("md5sum", photo), try await Self.coreutils("sha1sum", photo),
            try await Self.coreutils("sha256sum", photo)
        )
        #expect(
            plain.output.split(separator: "\n").map(String.init) == [
                "pdq \(pdq.hash.hex) \(pdq.quality) \(photo)", "md5 \(md5) \(photo)", "sha1 \(sha1) \(photo)",
                "sha256 \(sha256) \(photo)",
            ])

        let turned = try await runConcord(["hash", "--dihedral", "--json", photo])
        #expect(turned.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(turned.output.utf8)) as? [[String: Any]])
        let dihedral = try #require(json.first?["dihedral"] as? [String: String])
        let expected = PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height).hashes
        #expect(dihedral.count == 7)
        for symmetry in PDQDihedral.allCases.dropFirst() {
            #expect(dihedral[symmetry.rawValue] == expected[symmetry]?.hex)
        }
    }

    @Test("a file that is not an image keeps its digests, and the command names it and exits 1")
    func notAnImage() async throws {
        let folder = try await Self.images()
        defer { removeDirectory(folder) }
        let text = folder.appendingPathComponent("text.png").path
        let photo = folder.appendingPathComponent("photo.jpg").path
        let result = try await runConcord(["hash", text, photo, folder.appendingPathComponent("missing.png").path])
        #expect(result.status == 1)
        let md5 = try await Self.coreutils("md5sum", text)
        #expect(result.output.contains("md5 \(md5) \(text)"))
        #expect(result.output.contains("pdq ") && result.output.contains(photo))
        #expect(result.error.contains("\(text): not a JPEG or PNG image"))
        #expect(result.error.contains("missing.png: cannot read the file"))
    }

    @Test("a flat image's hash is reported unusable, without failing")
    func unusable() async throws {
        let folder = try await Self.images()
        defer { removeDirectory(folder) }
        let flat = folder.appendingPathComponent("flat.png").path
        let result = try await runConcord(["hash", "--json", flat])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        let pdq = try #require(json.first?["pdq"] as? [String: Any])
        #expect(pdq["quality"] as? Int == 0)
        #expect(pdq["usable"] as? Bool == false)
        #expect(result.error.contains("\(flat): quality 0 is below 50; its PDQ hash is unusable"))
    }
}
