import ArgumentParser
import ConcordCore
import ConcordMatching
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct Mind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Offline copies of the documents a member may check (MIND), signed with Ed25519.",
        subcommands: [Sync.self, Check.self, PublicKey.self])

    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch a full bundle, or the changes since the last one, into a bundle folder.",
            discussion: """
                The first sync needs --public-key, the node's export key as printed by \
                `concord mind public-key`; the folder keeps it and trusts nothing else. Every bundle is \
                verified before it is kept.
                """)

        @Option(help: "The Concord server, e.g. https://concord.example.org.") var server: String
        @Option(help: "An API key of the member's NCB or frontline (or CONCORD_API_KEY).") var apiKey: String?
        @Option(help: "The export public key to trust (hex).") var publicKey: String?
        @Option(help: "The bundle folder.") var bundle: String
        @Flag(help: "Fetch a full bundle even when the folder holds one.") var full = false

        func run() async throws {
            let folder = MindFolder(URL(fileURLWithPath: bundle))
            let trusted = try folder.trust(publicKey)
            guard let key = apiKey ?? ProcessInfo.processInfo.environment["CONCORD_API_KEY"] else {
                throw ValidationError("give --api-key or set CONCORD_API_KEY")
            }
            var replica = try folder.replica(trusting: trusted)
            let since = full ? 0 : replica.position
            guard var url = URLComponents(string: server.hasSuffix("/") ? String(server.dropLast()) : server) else {
                throw ValidationError("cannot read the server address '\(server)'")
            }
            url.path += "/v1/documents/export"
            url.queryItems = [URLQueryItem(name: "since", value: String(since))]
            var request = URLRequest(url: url.url!)
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            let (body, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw CLIError("no HTTP response from \(server)") }
            guard http.statusCode == 200 else {
                throw CLIError("the server answered \(http.statusCode): \(String(decoding: body, as: UTF8.self))")
            }
            guard let header = http.value(forHTTPHeaderField: "Concord-Bundle-Signature"),
                let signature = Data(base64Encoded: header)
            else { throw CLIError("the answer carries no bundle signature") }
            // Verified before anything is written: a bad bundle never enters the folder.
            let name = folder.nextName(full: since == 0)
            do {
                try replica.apply(bundle: body, signature: signature, trusting: trusted, name: name)
            } catch {
                throw CLIError("\(error)")
            }
            try folder.keep(body, signature: signature, as: name, replacingAll: since == 0)
            say("\(name): \(replica.count) documents, up to journal position \(replica.position)")
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check documents offline against a bundle folder, after verifying every bundle in it.",
            discussion: """
                Documents are ISSUER,TYPE,NUMBER (e.g. FRA,passport,24XF99871), or the lines of one MRZ \
                with --mrz. Exits 1 if the folder cannot be verified.
                """)

        @Option(help: "The bundle folder.") var bundle: String
        @Flag(help: "The arguments are the lines of one machine-readable zone.") var mrz = false
        @Flag(help: "Print the results as JSON.") var json = false
        @Argument(help: "Documents to check.") var documents: [String]

        struct Result: Encodable {
            var query: String
            var hit: Bool
            var documents: [MindDocument]
        }

        func run() async throws {
            let folder = MindFolder(URL(fileURLWithPath: bundle))
            let replica = try folder.replica(trusting: try folder.trust(nil))
            guard replica.position > 0 || replica.count > 0 else { throw CLIError("\(bundle) holds no bundle yet") }
            let queries = try mrz ? [DocumentQuery.mrz(documents)] : documents.map(Self.query)
            let now = Date()
            var results: [Result] = []
            for (query, text) in zip(queries, mrz ? [documents.joined(separator: " ")] : documents) {
                let key: DocumentKey
                do {
                    key = try query.key()
                } catch .invalid(let field, let reason) {
                    throw CLIError("\(text): \(field): \(reason)")
                } catch {
                    throw CLIError("\(text): \(error)")
                }
                let found = replica.matches(key, at: now)
                results.append(Result(query: text, hit: !found.isEmpty, documents: found))
            }
            if json {
                try printJSON(results)
                return
            }
            FileHandle.standardError.write(
                Data("verified \(replica.count) documents up to journal position \(replica.position)\n".utf8))
            for result in results {
                guard result.hit else {
                    say("no hit  \(result.query)")
                    continue
                }
                for document in result.documents {
                    say(
                        "HIT     \(result.query)  \(document.status.rawValue), recorded by \(document.owner)  "
                            + "(\(document.id))")
                }
            }
        }

        static func query(_ text: String) throws -> DocumentQuery {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let issuer = IssuerCode(parts[0]), let type = DocumentType(rawValue: parts[1])
            else {
                throw ValidationError(
                    "'\(text)': give ISSUER,TYPE,NUMBER with a known issuer and a type among "
                        + DocumentType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return .fields(issuer: issuer, type: type, number: parts[2])
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key", abstract: "Print the export public key that offline copies must trust.")

        @Option(help: "The signing key file (default: mind-signing.key in the data folder).")
        var signingKey: String?
        @Option(help: "Data folder of the embedded SQLite store.") var data: String?

        func run() async throws {
            let path = try signingKeyPath(signingKey, data: data, postgres: false)
            guard let path else { throw ValidationError("give --signing-key") }
            say(try loadSigningKey(path, create: false).publicKey.hex)
        }
    }
}

/// Where a node keeps its export key: given explicitly, or in the SQLite data folder. A
/// PostgreSQL deployment names it, since all its nodes must share one key.
func signingKeyPath(_ explicit: String?, data: String?, postgres: Bool) throws -> URL? {
    if let explicit { return URL(fileURLWithPath: explicit) }
    if postgres { return nil }
    return URL(fileURLWithPath: data ?? StoreOptions.defaultFolder).appendingPathComponent("mind-signing.key")
}

/// Reads the key file, or makes one readable by its owner only when `create` allows.
func loadSigningKey(_ url: URL, create: Bool) throws -> MindSigningKey {
    if let text = try? String(contentsOf: url, encoding: .utf8) {
        guard let key = MindSigningKey(hex: text) else { throw CLIError("\(url.path) is not an Ed25519 key file") }
        return key
    }
    guard create else { throw CLIError("no signing key at \(url.path)") }
    let key = MindSigningKey()
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard
        FileManager.default.createFile(
            atPath: url.path, contents: Data((key.hex + "\n").utf8), attributes: [.posixPermissions: 0o600])
    else { throw CLIError("cannot write the signing key to \(url.path)") }
    return key
}

/// A bundle folder: the trusted key and the chain of bundles, each beside its signature.
struct MindFolder {
    let url: URL

    init(_ url: URL) {
        self.url = url
    }

    private var keyFile: URL { url.appendingPathComponent("public-key") }

    /// The key the folder trusts; a key given on the command line must be the same one.
    func trust(_ given: String?) throws -> MindPublicKey {
        let stored = try? String(contentsOf: keyFile, encoding: .utf8)
        if let given {
            guard let key = MindPublicKey(hex: given) else {
                throw ValidationError("--public-key is not an Ed25519 key")
            }
            if let stored, MindPublicKey(hex: stored) != key {
                throw CLIError("\(url.path) trusts another key; use a new folder to change keys")
            }
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data((key.hex + "\n").utf8).write(to: keyFile, options: .atomic)
            return key
        }
        guard let stored else { throw CLIError("\(url.path) has no trusted key; sync once with --public-key") }
        guard let key = MindPublicKey(hex: stored) else { throw CLIError("\(keyFile.path) is not a public key") }
        return key
    }

    private func bundleNames() throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".bundle.json") }.sorted()
    }

    /// Rebuilds the copy from every bundle, refusing the folder at the first one that fails.
    func replica(trusting key: MindPublicKey) throws -> MindReplica {
        var replica = MindReplica()
        for name in try bundleNames() {
            let bundle = try Data(contentsOf: url.appendingPathComponent(name))
            let signatureFile = url.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".sig"))
            guard let text = try? String(contentsOf: signatureFile, encoding: .utf8),
                let signature = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { throw CLIError("\(name) has no readable signature") }
            do {
                try replica.apply(bundle: bundle, signature: signature, trusting: key, name: name)
            } catch {
                throw CLIError("\(error)")
            }
        }
        return replica
    }

    func nextName(full: Bool) -> String {
        let count = full ? 0 : ((try? bundleNames().count) ?? 0)
        return String(format: "%06d", count + 1) + (full ? "-full" : "-delta") + ".bundle.json"
    }

    func keep(_ bundle: Data, signature: Data, as name: String, replacingAll: Bool) throws {
        if replacingAll {
            for old in try bundleNames() {
                try FileManager.default.removeItem(at: url.appendingPathComponent(old))
                try? FileManager.default.removeItem(
                    at: url.appendingPathComponent(old.replacingOccurrences(of: ".json", with: ".sig")))
            }
        }
        let signatureName = name.replacingOccurrences(of: ".json", with: ".sig")
        try Data(signature.base64EncodedString().utf8).write(
            to: url.appendingPathComponent(signatureName), options: .atomic)
        try bundle.write(to: url.appendingPathComponent(name), options: .atomic)
    }
}
