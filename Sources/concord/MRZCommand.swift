import ArgumentParser
import ConcordMatching
import Foundation

struct MRZCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mrz",
        abstract: "Parse and validate a machine-readable zone (ICAO 9303: TD1, TD2, TD3, MRV-A, MRV-B).",
        discussion: "Exits 0 for a valid MRZ and 1 for an invalid one. Quote each line: '<' is special to shells.")

    @Argument(help: "The two or three lines of the zone.") var lines: [String]
    @Flag(help: "Print the verdict as JSON.") var json = false

    func run() async throws {
        let verdict = MRZ.parse(lines)
        if json {
            try printJSON(verdict)
        } else {
            if let document = verdict.document {
                let fields: [(String, String)] = [
                    ("format", document.format.rawValue), ("document code", document.documentCode),
                    ("issuer", document.issuer), ("document number", document.documentNumber),
                    ("surname", document.primaryIdentifier), ("given names", document.secondaryIdentifier),
                    ("nationality", document.nationality), ("date of birth", document.dateOfBirth),
                    ("sex", document.sex), ("date of expiry", document.dateOfExpiry),
                    ("optional data", document.optionalData),
                ]
                for (name, value) in fields {
                    say("\(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value)")
                }
            }
            if verdict.isValid {
                say("VALID")
            } else {
                say("INVALID")
                for issue in verdict.issues {
                    let advice = issue.suggestion.map { " — suggestion: \($0)" } ?? ""
                    say("  \(issue.field), line \(issue.line) column \(issue.column): \(issue.message)\(advice)")
                }
            }
        }
        if !verdict.isValid { throw ExitCode(1) }
    }
}
