import ArgumentParser
import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import Synchronization

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load records in bulk, directly into the data folder or database.",
        subcommands: [Documents.self, Generate.self])

    struct Documents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a member's stolen and lost travel documents from a CSV or NDJSON file.",
            discussion: """
                Each line is one document, in the shape of POST /v1/documents (NDJSON) or in the \
                columns of the README (CSV, with a header). The operator acts for --member, and \
                every document's issuer must be that member's. Bad lines are reported with their \
                number and reason; the good ones are recorded, or none with --all-or-nothing. \
                Running servers on the same data pick the new documents up from the journal.
                Exits 0 when every line was recorded and 1 when any was refused.
                """)

        @Option(help: "Member country (ISO 3166-1 alpha-3) whose NCB recorded the documents.") var member: String
        @Option(help: "csv or ndjson; by default the file's extension (.csv, .ndjson, .jsonl) tells.")
        var format: String?
        @Flag(help: "Record nothing at all if any line is bad.") var allOrNothing = false
        @Flag(help: "Print the report as JSON.") var json = false
        @Argument(help: "The file to import; - reads standard input (then give --format).") var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let memberCode = MemberCode(member) else {
                throw ValidationError("unknown member country '\(member)' (use ISO 3166-1 alpha-3, e.g. FRA)")
            }
            let format = try importFormat()
            let input: FileHandle
            if file == "-" {
                input = FileHandle.standardInput
            } else {
                guard let handle = FileHandle(forReadingAtPath: file) else { throw CLIError("cannot read \(file)") }
                input = handle
            }
            let size = file == "-" ? nil : (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int
            let meter = ProgressMeter(total: size, terminal: isatty(STDERR_FILENO) != 0)
            let mode: ImportMode = allOrNothing ? .allOrNothing : .bestEffort
            let started = Date()
            let report = try await store.withStore { store in
                try await reportingDomainErrors {
                    try await DocumentImportService(store: store).run(
                        format: format, member: memberCode, mode: mode, by: .localOperator(for: memberCode),
                        read: {
                            guard let data = try input.read(upToCount: 1 << 20), !data.isEmpty else { return nil }
                            return [UInt8](data)
                        },
                        progress: meter.update)
                }
            }
            meter.finish()
            let seconds = Date().timeIntervalSince(started)
            if json {
                try printJSON(Output(file: file, seconds: (seconds * 1000).rounded() / 1000, report: report))
            } else {
                say(summary(report, seconds: seconds))
                for error in report.errors {
                    say(
                        "line \(error.line): \(error.type.split(separator: ":").last ?? "")"
                            + "\(error.field.map { " \($0)" } ?? ""): \(error.detail)")
                }
                if report.moreErrors > 0 { say("… and \(report.moreErrors) more refused lines.") }
            }
            if report.rejected > 0 { throw ExitCode(1) }
        }

        private func importFormat() throws -> ImportFormat {
            if let format {
                guard let parsed = ImportFormat(rawValue: format.lowercased()) else {
                    throw ValidationError("unknown format '\(format)'; use csv or ndjson")
                }
                return parsed
            }
            guard let parsed = ImportFormat(fileName: file) else {
                throw ValidationError("cannot tell the format of '\(file)' from its name; give --format csv or ndjson")
            }
            return parsed
        }

        private func summary(_ report: DocumentImportReport, seconds: Double) -> String {
            let rate = seconds > 0 ? Int(Double(report.read) / seconds) : report.read
            let what =
                report.mode == .allOrNothing && report.rejected > 0
                ? "nothing recorded (all or nothing)" : "\(report.recorded) recorded"
            return "Imported \(file) for \(report.member): \(report.read) lines read, \(what), "
                + "\(report.rejected) refused, in \(String(format: "%.1f", seconds)) s (\(rate) lines/s)."
        }

        struct Output: Encodable {
            let file: String
            let seconds: Double
            let member: MemberCode
            let mode: ImportMode
            let read: Int
            let recorded: Int
            let rejected: Int
            let errors: [ImportLineError]
            let moreErrors: Int

            init(file: String, seconds: Double, report: DocumentImportReport) {
                self.file = file
                self.seconds = seconds
                member = report.member
                mode = report.mode
                read = report.read
                recorded = report.recorded
                rejected = report.rejected
                errors = report.errors
                moreErrors = report.moreErrors
            }
        }
    }
}

/// Progress of a long import on standard error: a bar with the rate at a terminal, a plain line
/// every ten seconds for a log file.
final class ProgressMeter: Sendable {
    private struct State {
        var shown = Date.distantPast
        var last: DocumentImportService.Progress?
        var drawn = false
    }

    private let total: Int?
    private let terminal: Bool
    private let started = Date()
    private let state = Mutex(State())

    init(total: Int?, terminal: Bool) {
        self.total = total
        self.terminal = terminal
    }

    func update(_ progress: DocumentImportService.Progress) {
        state.withLock { state in
            state.last = progress
            let now = Date()
            guard now.timeIntervalSince(state.shown) >= (terminal ? 0.2 : 10) else { return }
            state.shown = now
            state.drawn = true
            write(progress, at: now)
        }
    }

    func finish() {
        state.withLock { state in
            guard state.drawn, let last = state.last else { return }
            write(last, at: Date())
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    private func write(_ progress: DocumentImportService.Progress, at now: Date) {
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Int(Double(progress.read) / elapsed)
        let counts =
            "\(progress.read) lines, \(progress.recorded) recorded, \(progress.rejected) refused, \(rate) lines/s"
        guard terminal else {
            FileHandle.standardError.write(Data("import: \(counts)\n".utf8))
            return
        }
        var bar = ""
        if let total, total > 0 {
            let fraction = min(1, Double(progress.bytes) / Double(total))
            let filled = Int(fraction * 30)
            let remaining = fraction > 0 ? elapsed / fraction - elapsed : 0
            bar =
                "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled) + "] "
                + "\(Int(fraction * 100))%  "
            if fraction < 1 { bar += "ETA \(Int(remaining) / 60)m\(String(format: "%02d", Int(remaining) % 60))s  " }
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(bar)\(counts)".utf8))
    }
}
