import ArgumentParser
import ConcordCore
import ConcordStore
import Foundation
import Logging

/// Where the data lives: an embedded data folder (the default) or a PostgreSQL database.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder of the embedded SQLite store.")
    var data: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "PostgreSQL URL (postgres://user:password@host:port/database). Also CONCORD_POSTGRES_URL."))
    var postgres: String?

    static let defaultFolder = "./concord-data"

    func validate() throws {
        if data != nil && postgres != nil {
            throw ValidationError("give either --data or --postgres, not both")
        }
    }

    var postgresURL: String? {
        postgres ?? (data == nil ? ProcessInfo.processInfo.environment["CONCORD_POSTGRES_URL"] : nil)
    }

    var description: String { postgresURL.map(redacted) ?? folder.path }

    var folder: URL { URL(fileURLWithPath: data ?? Self.defaultFolder) }

    func open(logger: Logger) async throws -> any Store {
        if let url = postgresURL { return try await PostgresStore.open(url: url, logger: logger) }
        return try SQLiteStore(folder: folder, logger: logger)
    }

    /// Opens the store for the length of `body` and closes it whatever happens.
    func withStore<Result>(_ body: (any Store) async throws -> Result) async throws -> Result {
        let store = try await open(logger: makeLogger("concord"))
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }

    private func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }
}

/// Errors a person at a terminal should read as one line, not as a trace.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func makeLogger(_ label: String) -> Logger {
    var logger = Logger(label: label) { StandardErrorLogHandler(label: $0) }
    logger.logLevel =
        ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = ConcordJSONEncoding.encoder()
    say(String(decoding: try encoder.encode(value), as: UTF8.self))
}

enum ConcordJSONEncoding {
    static func encoder() -> JSONEncoder {
        let encoder = ConcordJSON.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return encoder
    }
}

/// Writes a line to standard output unbuffered, so that output interleaves correctly with the
/// server's logs and reaches a pipe before a long-running command goes on.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
