import ArgumentParser
import ConcordCore
import ConcordStore
import Foundation

struct Journal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the tamper-evident journal.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 0 if sound, 1 naming the first bad entry.")

        @Flag(help: "Print the verdict as JSON.") var json = false
        @OptionGroup var store: StoreOptions

        struct Report: Encodable {
            let sound: Bool
            let entries: Int64?
            let firstBadEntry: Int64?
            let reason: String?
        }

        func run() async throws {
            let showProgress = !json && isatty(STDERR_FILENO) != 0
            let verdict = try await store.withStore { store in
                try await store.verifyJournal { position in
                    if showProgress { FileHandle.standardError.write(Data("\rverified \(position) entries".utf8)) }
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            switch verdict {
            case .sound(let entries):
                if json {
                    try printJSON(Report(sound: true, entries: entries, firstBadEntry: nil, reason: nil))
                } else {
                    say("Journal sound: \(entries) entries in \(store.description).")
                }
            case .broken(let position, let reason):
                if json {
                    try printJSON(Report(sound: false, entries: nil, firstBadEntry: position, reason: reason))
                } else {
                    say("Journal BROKEN at entry \(position): \(reason).")
                }
                throw ExitCode(1)
            }
        }
    }
}
