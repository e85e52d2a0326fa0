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
                then builds its document index from the store with far fewer reads from disk. Stop the \
                server first; the rewrite needs free disk about twice the store's size.
                """)

        @Flag(help: "Print the sizes as JSON.") var json = false
        @Option(name: .long, help: "Data folder of the embedded SQLite store.")
        var data: String = StoreOptions.defaultFolder

        struct Report: Encodable {
            let bytesBefore: Int
            let bytesAfter: Int
            let freePagesBefore: Int
        }

        func run() async throws {
            let folder = URL(fileURLWithPath: data)
            let file = folder.appendingPathComponent("concord.sqlite").path
            guard FileManager.default.fileExists(atPath: file) else {
                throw CLIError("no store in \(folder.path)")
            }
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let free = (try FileManager.default.attributesOfFileSystem(forPath: folder.path)[.systemFreeSize] as? Int)
            if let free, free < 2 * size {
                throw CLIError(
                    "compacting \(megabytes(size)) needs about \(megabytes(2 * size)) of free disk; "
                        + "\(folder.path) has \(megabytes(free))")
            }
            if !json { say("Compacting \(file) (\(megabytes(size))) ...") }
            let store = try SQLiteStore(folder: folder, logger: makeLogger("concord"))
            let (before, after): (SQLiteStore.FileLayout, SQLiteStore.FileLayout)
            do {
                (before, after) = try await store.compact()
                try await store.close()
            } catch {
                try? await store.close()
                throw error
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
