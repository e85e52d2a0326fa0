import ArgumentParser
import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Concord HTTP server.")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(
        help: ArgumentHelp(
            "Ed25519 key file that signs offline copies (MIND). Default: mind-signing.key in the data folder, "
                + "made on first start; with PostgreSQL, exports need one shared by every node."))
    var signingKey: String?
    @OptionGroup var store: StoreOptions
    @Option(
        help: ArgumentHelp(
            "Document index snapshot file, for fast restarts.",
            discussion: "Defaults to document-index.snapshot in the data folder; none with PostgreSQL unless given."))
    var indexSnapshot: String?
    @Option(
        help: ArgumentHelp(
            "JSON file of Gateway warninglists, replacing the standard ones.",
            discussion:
                "A list of {\"name\", \"description\", \"entries\"}; entries are addresses, networks, domains or hashes."
        ))
    var warninglists: String?

    func run() async throws {
        let logger = makeLogger("concord")
        let keyPath = try signingKeyPath(signingKey, data: store.data, postgres: store.postgresURL != nil)
        let exportKey = try keyPath.map { try loadSigningKey($0, create: signingKey == nil) }
        let opened = try await store.open(logger: logger)
        let snapshot =
            indexSnapshot
            ?? (store.postgresURL == nil ? store.folder.appendingPathComponent("document-index.snapshot").path : nil)
        let lists = try warninglists.map(Self.loadWarninglists) ?? .standard
        try await serve(
            opened, host: host, port: port, exportKey: exportKey, indexSnapshot: snapshot, warninglists: lists,
            logger: logger)
    }

    static func loadWarninglists(_ path: String) throws -> Warninglists {
        let lists: [Warninglist]
        do {
            lists = try JSONDecoder().decode([Warninglist].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ValidationError("--warninglists \(path): not a JSON list of {name, description, entries}: \(error)")
        }
        do {
            return try Warninglists(lists)
        } catch {
            throw ValidationError("--warninglists \(path): \(error)")
        }
    }
}

/// Runs the server until SIGTERM or SIGINT, then lets requests in flight finish and closes the store.
func serve(
    _ store: any ConcordStore.Store, host: String, port: Int, exportKey: MindSigningKey?, indexSnapshot: String? = nil,
    warninglists: Warninglists = .standard, logger: Logger
) async throws {
    let configuration = ServerConfiguration(
        host: host, port: port, exportKey: exportKey, indexSnapshotPath: indexSnapshot, warninglists: warninglists)
    do {
        let concord = try await Concord.start(store: store, configuration: configuration, logger: logger)
        let app = buildApplication(concord, configuration: configuration, logger: logger) { port in
            say("Concord is listening on http://\(host):\(port)")
        }
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
}
