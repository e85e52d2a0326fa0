import ArgumentParser
import ConcordCore
import ConcordImaging
import ConcordMatching
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct SignaturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "Baseline hash lists: fetch a signed list and match images or hashes against it locally.",
        subcommands: [Sync.self, Match.self, PublicKey.self])

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch the full signed hash list, or the changes since the local file's position.",
            discussion: """
                The first sync needs --public-key, the node's key as `concord signatures public-key` \
                prints it (or GET /v1/signatures/list/key shows it); the file keeps it and trusts nothing \
                else. Every list is verified before it is applied: a list whose signature fails is refused \
                and the file is left as it was.
                """)

        @Option(help: "The Concord server, e.g. https://concord.example.org.") var server: String
        @Option(help: "The partner's API key (or CONCORD_API_KEY).") var key: String?
        @Option(help: "The list public key to trust (hex).") var publicKey: String?
        @Option(help: "The local hash list file.") var out: String
        @Flag(help: "Fetch the full list even when the file holds one.") var full = false

        func run() async throws {
            let file = URL(fileURLWithPath: out)
            var local = try SignatureListFile.read(file)
            let trusted = try SignatureListFile.trust(publicKey, stored: local?.publicKey, file: out)
            if local == nil || full { local = SignatureListFile(publicKey: trusted) }
            var replica = try local!.replica(trusting: trusted, name: out)
            guard let apiKey = key ?? ProcessInfo.processInfo.environment["CONCORD_API_KEY"] else {
                throw ValidationError("give --key or set CONCORD_API_KEY")
            }
            let since = replica.applied == 0 ? 0 : replica.position
            guard var url = URLComponents(string: server.hasSuffix("/") ? String(server.dropLast()) : server) else {
                throw ValidationError("cannot read the server address '\(server)'")
            }
            url.path += "/v1/signatures/list"
            url.queryItems = [URLQueryItem(name: "since", value: String(since))]
            var request = URLRequest(url: url.url!)
            request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization")
            let (body, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw CLIError("no HTTP response from \(server)") }
            guard http.statusCode == 200 else {
                throw CLIError("the server answered \(http.statusCode): \(String(decoding: body, as: UTF8.self))")
            }
            guard let header = http.value(forHTTPHeaderField: "Concord-List-Signature"),
                let signature = Data(base64Encoded: header)
            else { throw CLIError("the answer carries no list signature; nothing was changed") }
            // Verified before anything is written: a bad list never enters the file.
            do {
                try replica.apply(list: body, signature: signature, trusting: trusted, name: "the list from \(server)")
            } catch {
                throw CLIError("refused: \(error); \(out) was not changed")
            }
            var updated = local!
            if since == 0 { updated.lists = [] }
            updated.lists.append(SignatureListFile.Part(list: body, signature: signature))
            try updated.write(file)
            say(
                "\(out): \(replica.signatures.count) signatures, up to journal position \(replica.position)"
                    + (since == 0 ? " (full list)" : " (changes since \(since))"))
        }
    }

    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Match images, files or hashes against a verified local hash list.",
            discussion: """
                Each argument is a file (an image is hashed with PDQ, all eight rotations and flips \
                included, and every file with MD5, SHA-1 and SHA-256) or a hash written TYPE:HEX \
                (md5, sha1, sha256) or pdq:HEX:QUALITY. The rules are the server's: a PDQ hash matches \
                within the radius (default \(SignatureMatching.defaultRadius), at most \
                \(SignatureMatching.maximumRadius)), and only when its quality is at least \
                \(PDQResult.minimumUsefulQuality). Exits 1 if the list cannot be verified.
                """)

        @Option(help: "The local hash list file, as `concord signatures sync` keeps it.") var list: String
        @Option(help: "The public key the file must trust (hex); default: the key the file was synced with.")
        var publicKey: String?
        @Option(help: "The largest PDQ distance that counts as a match.") var radius = SignatureMatching.defaultRadius
        @Flag(help: "Print the results as JSON.") var json = false
        @Argument(help: "Images, files or hashes.") var inputs: [String]

        struct Result: Encodable {
            var input: String
            var type: SignatureType
            var usable: Bool
            var reason: String?
            var matches: [SignatureMatch]
        }

        func run() async throws {
            let radius: Int
            do {
                radius = try SignatureMatching.radius(self.radius)
            } catch {
                throw ValidationError("--radius \(self.radius) is outside 0...\(SignatureMatching.maximumRadius)")
            }
            guard let file = try SignatureListFile.read(URL(fileURLWithPath: list)) else {
                throw CLIError("\(list) holds no hash list; run `concord signatures sync` first")
            }
            let trusted = try SignatureListFile.trust(publicKey, stored: file.publicKey, file: list)
            let replica = try file.replica(trusting: trusted, name: list)
            let now = Date()
            let index = SignatureIndex(
                replica.current(at: now).map {
                    SignatureIndex.Entry(
                        id: nil, type: $0.type, value: $0.value, category: $0.category, reviewDate: $0.reviewDate)
                })
            let queries = try inputs.flatMap { input in
                try Self.queries(input).map { (input: input, type: $0.0, query: $0.1) }
            }
            let found = SignatureMatching.results(of: queries.map(\.query), in: index, radius: radius, at: now)
            let results = zip(queries, found).map { query, result in
                Result(
                    input: query.input, type: query.type, usable: result.usable, reason: result.reason,
                    matches: result.matches)
            }
            if json {
                try printJSON(results)
                return
            }
            FileHandle.standardError.write(
                Data("verified \(index.count) signatures up to journal position \(replica.position)\n".utf8))
            for (input, group) in Dictionary(grouping: results, by: \.input).sorted(by: { $0.key < $1.key }) {
                let matches = group.flatMap(\.matches)
                for result in group where !result.usable {
                    say("unusable  \(input)  \(result.type.rawValue): \(result.reason ?? "")")
                }
                if matches.isEmpty {
                    say("no match  \(input)")
                }
                for match in matches {
                    let variant = match.variant.map { $0 == PDQDihedral.original.rawValue ? "" : " (\($0))" } ?? ""
                    say(
                        "MATCH     \(input)  \(match.type.rawValue) \(match.value) distance \(match.distance)\(variant)"
                            + " category \(match.category)")
                }
            }
        }

        /// The queries an argument stands for: a file's digests and, for an image, its PDQ hashes;
        /// or one written hash.
        static func queries(_ input: String) throws -> [(SignatureType, SignatureMatching.Query)] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), !isDirectory.boolValue {
                guard let data = FileManager.default.contents(atPath: input) else {
                    throw CLIError("\(input): cannot read the file")
                }
                let bytes = Array(data)
                var queries: [(SignatureType, SignatureMatching.Query)] = [
                    (.md5, .exact(.md5, FileDigest.md5.hex(of: bytes))),
                    (.sha1, .exact(.sha1, FileDigest.sha1.hex(of: bytes))),
                    (.sha256, .exact(.sha256, FileDigest.sha256.hex(of: bytes))),
                ]
                if ImageFormat(magic: bytes) != nil {
                    let image: DecodedImage
                    do {
                        image = try ImageDecoder.decode(bytes)
                    } catch {
                        throw CLIError("\(input): \(error)")
                    }
                    let hashes = PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height)
                    let query = SignatureQuery(
                        type: .pdq, value: hashes.hashes[.original]!.hex, quality: hashes.quality,
                        dihedral: Dictionary(
                            uniqueKeysWithValues: PDQDihedral.allCases.dropFirst().map {
                                ($0.rawValue, hashes.hashes[$0]!.hex)
                            }))
                    queries.append((.pdq, try SignatureMatching.query(query, field: input)))
                }
                return queries
            }
            let parts = input.split(separator: ":").map(String.init)
            guard let first = parts.first, let type = SignatureType(rawValue: first.lowercased()) else {
                throw ValidationError("'\(input)' is neither a file nor a hash written TYPE:HEX")
            }
            do {
                switch (type, parts.count) {
                case (.pdq, 3):
                    guard let quality = Int(parts[2]) else {
                        throw ValidationError("'\(input)': the quality after the PDQ hash is a number 0-100")
                    }
                    let query = SignatureQuery(type: .pdq, value: parts[1], quality: quality)
                    return [(.pdq, try SignatureMatching.query(query, field: input))]
                case (.pdq, _):
                    throw ValidationError("'\(input)': write a PDQ hash as pdq:HEX:QUALITY")
                case (_, 2):
                    return [
                        (type, try SignatureMatching.query(SignatureQuery(type: type, value: parts[1]), field: input))
                    ]
                default:
                    throw ValidationError("'\(input)': write the hash as \(type.rawValue):HEX")
                }
            } catch let error as DomainError {
                guard case .invalid(_, let reason) = error else { throw error }
                throw ValidationError("'\(input)': \(reason)")
            }
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key",
            abstract: "Print the node's public key, which verifies its hash lists (and its MIND bundles).")

        @Option(help: "The signing key file (default: mind-signing.key in the data folder).")
        var signingKey: String?
        @Option(help: "Data folder of the embedded SQLite store.") var data: String?

        func run() async throws {
            guard let path = try signingKeyPath(signingKey, data: data, postgres: false) else {
                throw ValidationError("give --signing-key")
            }
            say(try loadSigningKey(path, create: false).publicKey.hex)
        }
    }
}

/// A partner's local hash list: the key it trusts and the chain of lists it applied, each kept
/// byte for byte beside its signature, so that every use verifies them all again.
struct SignatureListFile: Codable {
    static let format = "concord-signature-file-1"

    struct Part: Codable {
        /// The list's bytes exactly as signed, in base64.
        var list: Data
        var signature: Data
    }

    var format = Self.format
    var publicKey: String
    var lists: [Part] = []

    init(publicKey: MindPublicKey) {
        self.publicKey = publicKey.hex
    }

    /// The file, or nil when there is none yet.
    static func read(_ url: URL) throws -> SignatureListFile? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file: SignatureListFile
        do {
            file = try JSONDecoder().decode(SignatureListFile.self, from: try Data(contentsOf: url))
        } catch {
            throw CLIError("\(url.path) is not a hash list file: \(error)")
        }
        guard file.format == format else { throw CLIError("\(url.path) has the unknown format \(file.format)") }
        return file
    }

    /// The key to trust: the one given, which must be the file's if it has one, or the file's.
    static func trust(_ given: String?, stored: String?, file: String) throws -> MindPublicKey {
        if let given {
            guard let key = MindPublicKey(hex: given) else {
                throw ValidationError("--public-key is not an Ed25519 key")
            }
            if let stored, MindPublicKey(hex: stored) != key {
                throw CLIError("\(file) trusts another key; use a new file to change keys")
            }
            return key
        }
        guard let stored else { throw CLIError("\(file) has no trusted key yet; sync once with --public-key") }
        guard let key = MindPublicKey(hex: stored) else { throw CLIError("\(file) holds no valid public key") }
        return key
    }

    /// Rebuilds the list from every part, refusing the file at the first part that fails.
    func replica(trusting key: MindPublicKey, name: String) throws -> SignatureListReplica {
        var replica = SignatureListReplica()
        for (number, part) in lists.enumerated() {
            do {
                try replica.apply(
                    list: part.list, signature: part.signature, trusting: key, name: "\(name) part \(number + 1)")
            } catch {
                throw CLIError("\(error)")
            }
        }
        return replica
    }

    /// Replaces the file in one step, readable by its owner only.
    func write(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw CLIError("cannot write \(temporary.path)") }
        // rename(2) replaces the old file in one step: a reader sees the old list or the new one.
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError("cannot replace \(url.path): error \(errno)")
        }
    }
}
