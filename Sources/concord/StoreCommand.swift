import ArgumentParser
import ConcordStore
import Foundation

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Look after the embedded store.", subcommands: [Compact.self])

    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite the SQLite file: give back free pages and lay each table and index out in one run.",
            discussion: """
                Worth doing after a large bulk import or an upgrade that rebuilt the records: the server \
                then builds its document index from the store with far fewer reads from disk. It is refused \
                while a server or another command has the store open, and nothing opens the store until it \
                ends; the rewrite needs free disk about twice the store's size.
                """)

        @Flag(help: "Print the sizes as JSON.") var json = false
        @OptionGroup var store: StoreOptions

        struct Report: Encodable {
            let bytesBefore: Int
            let bytesAfter: Int
            let freePagesBefore: Int
        }

        func run() async throws {
            guard store.postgresURL == nil else {
                throw CLIError("compact applies to the embedded SQLite store, not to PostgreSQL")
            }
            let file = SQLiteStore.path(in: store.folder)
            guard FileManager.default.fileExists(atPath: file) else {
                throw CLIError("no store in \(store.folder.path)")
            }
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let disk = try FileManager.default.attributesOfFileSystem(forPath: store.folder.path)
            let free = disk[.systemFreeSize] as? Int
            if let free, free < 2 * size {
                throw CLIError(
                    "compacting \(megabytes(size)) needs about \(megabytes(2 * size)) of free disk; "
                        + "\(store.folder.path) has \(megabytes(free))")
            }
            let (before, after) = try await store.withStore { opened in
                guard let sqlite = opened as? SQLiteStore else { throw CLIError("not an SQLite store") }
                return try await sqlite.compact {
                    if !json { say("Compacting \(file) (\(megabytes(size))) ...") }
                }
            }
            if json {
                try printJSON(
                    Report(bytesBefore: before.bytes, bytesAfter: after.bytes, freePagesBefore: before.freePages))
            } else {
                say(
                    "Compacted: \(megabytes(before.bytes)) before, \(before.freePages) of its pages free; "
                        + "\(megabytes(after.bytes)) after.")
            }
        }

        private func megabytes(_ bytes: Int) -> String {
            String(format: "%.1f MB", Double(bytes) / 1_048_576)
        }
    }
}
