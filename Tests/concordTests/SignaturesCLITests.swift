import ConcordImaging
import ConcordMatching
import ConcordTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `concord signatures sync` and `match` against a real `concord serve` over HTTP.
@Suite("concord signatures", .serialized)
struct SignaturesCLITests {
    /// An image with structure at several scales, and the same image turned a quarter turn and
    /// mirrored, written losslessly by Pillow.
    static func images(in folder: URL) async throws {
        let script = """
            import math, random, sys
            from PIL import Image
            random.seed(7)
            size = 256
            image = Image.new("RGB", (size, size))
            pixels = image.load()
            for y in range(size):
                for x in range(size):
                    v = 100 + 50 * math.sin(x / 9) + 40 * math.cos(y / 13) + 30 * math.sin((x + 2 * y) / 17)
                    v = int(v) + random.randint(0, 6) + (50 if x < size // 3 and y > size // 2 else 0)
                    v = max(0, min(255, v))
                    pixels[x, y] = (v, max(0, min(255, v + 20)), max(0, 255 - v))
            folder = sys.argv[1]
            image.save(folder + "/original.png")
            image.transpose(Image.Transpose.ROTATE_90).save(folder + "/rotated.png")
            image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(folder + "/mirrored.png")
            """
        let made = try await runProgram(["python3", "-c", script, folder.path])
        #expect(made.status == 0, "\(made.error)")
    }

    static func pdq(_ path: URL) throws -> PDQResult {
        let image = try ImageDecoder.decode(Array(try Data(contentsOf: path)))
        return PDQ.hash(rgb: image.rgb, width: image.width, height: image.height)
    }

    @Test("sync verifies and applies full and delta lists; match finds a rotated image; tampering is refused")
    func syncAndMatch() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        try await Self.images(in: data)
        let original = try Self.pdq(data.appendingPathComponent("original.png"))
        #expect(original.isUsable)

        let admin = try await createKey(data: data, role: "secretariat.admin", member: nil)
        let server = try await ServerProcess.start(data: data)
        defer { server.kill(SIGKILL) }
        let agreement = try await request(
            "POST", "\(server.baseURL)/v1/agreements", key: admin,
            json: #"{"partner":"Platform","services":["baseline"],"country":"IRL","validUntil":"2099-01-01T00:00:00Z"}"#
        )
        let agreementID = try #require(agreement.body["id"] as? String)
        let issued = try await request(
            "POST", "\(server.baseURL)/v1/agreements/\(agreementID)/keys", key: admin, json: "{}")
        let partner = try #require(issued.body["key"] as? String)
        let md5 = String(repeating: "ab", count: 16)
        var ids: [String] = []
        for json in [
            #"{"type":"pdq","value":"\#(original.hash.hex)","source":"series 1","owner":"FRA"}"#,
            #"{"type":"md5","value":"\#(md5)","source":"series 2","owner":"DEU","category":"series-b"}"#,
        ] {
            let added = try await request("POST", "\(server.baseURL)/v1/signatures", key: admin, json: json)
            #expect(added.status == 201)
            ids.append(try #require(added.body["id"] as? String))
        }

        let publicKey = try await runConcord(["signatures", "public-key", "--data", data.path])
        #expect(publicKey.status == 0, "\(publicKey.error)")
        let keyHex = publicKey.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = data.appendingPathComponent("baseline.list").path

        // Trusting a key other than the node's: the list fails verification and no file is written.
        let otherKey = data.appendingPathComponent("other.key")
        try Data((String(repeating: "5a", count: 32) + "\n").utf8).write(to: otherKey)
        let other = try await runConcord(["signatures", "public-key", "--signing-key", otherKey.path])
        #expect(other.status == 0, "\(other.error)")
        let refused = try await runConcord([
            "signatures", "sync", "--server", server.baseURL, "--key", partner, "--public-key",
            other.output.trimmingCharacters(in: .whitespacesAndNewlines), "--out", list,
        ])
        #expect(refused.status != 0)
        #expect(
            refused.error.contains("refused") && refused.error.contains("signature does not match"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: list))

        let synced = try await runConcord([
            "signatures", "sync", "--server", server.baseURL, "--key", partner, "--public-key", keyHex, "--out", list,
        ])
        #expect(synced.status == 0, "\(synced.error)")
        #expect(synced.output.contains("2 signatures"))
        let attributes = try FileManager.default.attributesOfItem(atPath: list)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!(try String(contentsOfFile: list, encoding: .utf8)).contains("series 1"))

        let rotated = data.appendingPathComponent("rotated.png").path
        let mirrored = data.appendingPathComponent("mirrored.png").path
        let matched = try await runConcord([
            "signatures", "match", "--list", list, "--json", rotated, mirrored, "md5:\(md5.uppercased())",
            "pdq:\(original.hash.hex):30",
        ])
        #expect(matched.status == 0, "\(matched.error)")
        let results = try #require(
            try JSONSerialization.jsonObject(with: Data(matched.output.utf8)) as? [[String: Any]])
        for image in [rotated, mirrored] {
            let pdq = try #require(results.first { $0["input"] as? String == image && $0["type"] as? String == "pdq" })
            let match = try #require((pdq["matches"] as? [[String: Any]])?.first, "\(image)")
            #expect(match["value"] as? String == original.hash.hex)
            #expect((match["distance"] as? Int).map { $0 <= 31 } == true)
        }
        let digest = try #require(results.first { $0["input"] as? String == "md5:\(md5.uppercased())" })
        #expect((digest["matches"] as? [[String: Any]])?.first?["category"] as? String == "series-b")
        let lowQuality = try #require(results.first { ($0["input"] as? String)?.hasSuffix(":30") == true })
        #expect(lowQuality["usable"] as? Bool == false)

        // An addition and a withdrawal reach the file as a delta.
        let sha1 = String(repeating: "c", count: 40)
        let added = try await request(
            "POST", "\(server.baseURL)/v1/signatures", key: admin,
            json: #"{"type":"sha1","value":"\#(sha1)","source":"series 3","owner":"ITA"}"#)
        #expect(added.status == 201)
        #expect(try await request("DELETE", "\(server.baseURL)/v1/signatures/\(ids[1])", key: admin).status == 200)
        let delta = try await runConcord([
            "signatures", "sync", "--server", server.baseURL, "--key", partner, "--out", list,
        ])
        #expect(delta.status == 0, "\(delta.error)")
        #expect(delta.output.contains("2 signatures") && delta.output.contains("changes since"), "\(delta.output)")
        let human = try await runConcord(["signatures", "match", "--list", list, "sha1:\(sha1)", "md5:\(md5)"])
        #expect(human.status == 0, "\(human.error)")
        #expect(human.output.contains("MATCH     sha1:\(sha1)"), "\(human.output)")
        #expect(human.output.contains("no match  md5:\(md5)"), "\(human.output)")

        // One byte of a kept list changed: the file no longer verifies and nothing is matched.
        let before = try Data(contentsOf: URL(fileURLWithPath: list))
        var file = try #require(try JSONSerialization.jsonObject(with: before) as? [String: Any])
        var parts = try #require(file["lists"] as? [[String: Any]])
        let encoded = try #require(parts[0]["list"] as? String)
        var bytes = try #require(Data(base64Encoded: encoded))
        bytes[bytes.count / 2] ^= 0x01
        parts[0]["list"] = bytes.base64EncodedString()
        file["lists"] = parts
        try JSONSerialization.data(withJSONObject: file).write(to: URL(fileURLWithPath: list))
        let tampered = try await runConcord(["signatures", "match", "--list", list, rotated])
        #expect(tampered.status != 0)
        #expect(tampered.error.contains("signature does not match"), "\(tampered.error)")
        let stuck = try await runConcord([
            "signatures", "sync", "--server", server.baseURL, "--key", partner, "--out", list,
        ])
        #expect(stuck.status != 0)
        #expect(stuck.error.contains("signature does not match"), "\(stuck.error)")
    }
}
