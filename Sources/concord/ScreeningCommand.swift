import ArgumentParser
import ConcordCore
import ConcordMatching
import Foundation

struct ScreeningCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screening",
        abstract: "Person screening tools.",
        subcommands: [ScorePairs.self])
}

/// Scores labelled or unlabelled pairs of person descriptions with the screening matcher, so
/// anyone can measure it on their own data.
struct ScorePairs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score pairs of person descriptions read from a CSV file.",
        discussion: """
            The file starts with a header row naming the columns name_a, dob_a, nationality_a, sex_a, \
            name_b, dob_b, nationality_b, sex_b, in any order; a cell is empty where the value is unknown. \
            Several names of one person (aliases, another script) are separated by '|'; a date of birth is \
            YYYY, YYYY-MM or YYYY-MM-DD; a nationality is an ISO 3166-1 alpha-3 code (several separated by \
            ';'); sex is M, F or U (or male, female, unknown). Further columns are carried through unchanged.

            By default the output is CSV: the input's columns, then score, match and explanation. With \
            --json it is JSON Lines: one object per pair with the input's columns, line (the pair's line \
            in the file), score, match, threshold, summary and the structured explanation. A bad cell \
            stops the run with the line and column named, and exit status 1.
            """)

    @Option(help: "The CSV file of pairs.") var pairs: String
    @Flag(help: "Write JSON Lines instead of CSV.") var json = false
    @Option(
        help: """
            The threshold of the match verdict, \(PersonMatcher.thresholdLimits.lowerBound) to \
            \(PersonMatcher.thresholdLimits.upperBound) (default \(PersonMatcher.defaultThreshold)).
            """)
    var threshold: Double = PersonMatcher.defaultThreshold

    static let columns = ["name_a", "dob_a", "nationality_a", "sex_a", "name_b", "dob_b", "nationality_b", "sex_b"]

    struct Line: Encodable {
        var columns: [(String, String)]
        var line: Int
        var match: PersonMatch

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for (name, value) in columns { try container.encode(value, forKey: AnyCodingKey(stringValue: name)) }
            try container.encode(line, forKey: AnyCodingKey(stringValue: "line"))
            try container.encode(match.score, forKey: AnyCodingKey(stringValue: "score"))
            try container.encode(match.match, forKey: AnyCodingKey(stringValue: "match"))
            try container.encode(match.threshold, forKey: AnyCodingKey(stringValue: "threshold"))
            try container.encode(match.summary, forKey: AnyCodingKey(stringValue: "summary"))
            try container.encode(match.explanation, forKey: AnyCodingKey(stringValue: "explanation"))
        }
    }

    func run() async throws {
        guard let matcher = PersonMatcher(threshold: threshold) else {
            throw ValidationError(
                "--threshold \(threshold) is outside \(PersonMatcher.thresholdLimits.lowerBound) to "
                    + "\(PersonMatcher.thresholdLimits.upperBound)")
        }
        guard let data = FileManager.default.contents(atPath: pairs) else {
            throw CLIError("cannot read \(pairs)")
        }
        guard let text = String(validating: Array(data), as: UTF8.self) else {
            throw CLIError("\(pairs) is not UTF-8 text")
        }
        let rows: [CSVTable.Row]
        do {
            rows = try CSVTable.rows(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        } catch {
            throw CLIError("\(pairs), \(error)")
        }
        guard let header = rows.first else { throw CLIError("\(pairs) is empty: it needs a header row") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var positions: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            if positions[name] != nil { throw CLIError("\(pairs), line 1: column '\(name)' is named twice") }
            positions[name] = position
        }
        let missing = Self.columns.filter { positions[$0] == nil }
        if !missing.isEmpty {
            throw CLIError(
                "\(pairs), line 1: the header has no column " + missing.map { "'\($0)'" }.joined(separator: ", "))
        }
        let encoder = ConcordJSON.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output: [String] = []
        if !json { output.append(CSVTable.line(names + ["score", "match", "explanation"])) }
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                throw CLIError(
                    "\(pairs), line \(row.line): \(row.fields.count) fields where the header has \(names.count)")
            }
            func cell(_ column: String) -> String {
                row.fields[positions[column]!].trimmingCharacters(in: .whitespaces)
            }
            let left = try Self.person(cell, side: "a", line: row.line, file: pairs)
            let right = try Self.person(cell, side: "b", line: row.line, file: pairs)
            let match = matcher.compare(PreparedPerson(left), PreparedPerson(right))
            if json {
                let line = Line(columns: Array(zip(names, row.fields)), line: row.line, match: match)
                output.append(String(decoding: try encoder.encode(line), as: UTF8.self))
            } else {
                output.append(
                    CSVTable.line(row.fields + [String(format: "%.2f", match.score), "\(match.match)", match.summary]))
            }
        }
        FileHandle.standardOutput.write(Data((output.joined(separator: "\n") + "\n").utf8))
    }

    /// One side of a pair, or an error naming the line and column at fault.
    static func person(
        _ cell: (String) -> String, side: String, line: Int, file: String
    ) throws -> PersonDescription {
        func fail(_ column: String, _ reason: String) -> CLIError {
            CLIError("\(file), line \(line), column \(column)_\(side): \(reason)")
        }
        let names = cell("name_\(side)").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var born: PartialDate?
        let dob = cell("dob_\(side)")
        if !dob.isEmpty {
            guard let date = PartialDate(dob) else {
                throw fail("dob", "'\(dob)' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            }
            born = date
        }
        var nationalities: [MemberCode] = []
        for code in cell("nationality_\(side)").split(separator: ";") {
            let code = code.trimmingCharacters(in: .whitespaces)
            guard let member = MemberCode(code.uppercased()) else {
                throw fail("nationality", "'\(code)' is not an ISO 3166-1 alpha-3 country code")
            }
            nationalities.append(member)
        }
        let sexText = cell("sex_\(side)")
        var sex: Sex?
        switch sexText.lowercased() {
        case "": sex = nil
        case "m", "male": sex = .male
        case "f", "female": sex = .female
        case "u", "unknown": sex = .unknown
        default: throw fail("sex", "'\(sexText)' is not M, F or U")
        }
        return PersonDescription(names: names, dateOfBirth: born, nationalities: nationalities, sex: sex)
    }
}
