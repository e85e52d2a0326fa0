import ArgumentParser
import ConcordCore
import Foundation

extension Import {
    /// Fictional documents in bulk, for trying imports out and measuring them.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write N lines of fictional travel documents of one member to standard output.",
            discussion: "Numbers never repeat within a run, so every line is recordable unless --bad-every says.",
            shouldDisplay: false)

        @Option(help: "Member country whose documents to write.") var member = "FRA"
        @Option(help: "How many lines.") var lines = 1000
        @Option(help: "ndjson or csv.") var format = "ndjson"
        @Option(help: "Make every Nth line bad, in turn malformed, unknown field, bad date, foreign, duplicate.")
        var badEvery = 0
        @Option(help: "Seed; the same seed writes the same documents.") var seed: UInt64 = 2026

        func run() throws {
            guard let code = MemberCode(member) else { throw ValidationError("unknown member country '\(member)'") }
            guard let format = ImportFormat(rawValue: format) else { throw ValidationError("use ndjson or csv") }
            let issuer = Members.member(code).issuer.rawValue
            let foreign = code.rawValue == "DEU" ? "FRA" : "D"
            var random = SplitMix(seed: seed)
            let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
            let prefix = String([letters[random.next(letters.count)], letters[random.next(letters.count)]])
            let types = ["passport", "passport", "passport", "id-card", "id-card", "residence-permit", "visa"]
            let statuses = ["stolen", "stolen", "lost", "lost", "lost", "stolen-blank", "revoked"]
            var output = Data()
            output.reserveCapacity(1 << 21)
            if format == .csv {
                output.append(
                    contentsOf: Array(
                        ("issuer,type,number,status,dateOfIssue,dateOfExpiry,dateOfTheftOrLoss,nationalReference,"
                            + "visibility,members,notifyOwner\n").utf8))
            }
            var previous = ""
            for line in 0..<lines {
                // An odd multiplier not divisible by 5 permutes 0..<10^9: numbers never repeat.
                let serial = (UInt64(line) &* 2_654_435_761 &+ seed) % 1_000_000_000
                let digits = String(serial)
                let number = prefix + String(repeating: "0", count: 9 - digits.count) + digits
                let year = 2016 + random.next(9)
                let month = 1 + random.next(12)
                let day = 1 + random.next(28)
                func date(_ year: Int) -> String {
                    "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
                }
                let lost = min(year + 1 + random.next(3), 2025)
                let type = types[random.next(types.count)]
                let status = statuses[random.next(statuses.count)]
                let reference = "\(code.rawValue)-\(seed)-\(line)"
                let restricted = line % 50 == 7
                var text: String
                switch format {
                case .ndjson:
                    text =
                        #"{"issuer":"\#(issuer)","type":"\#(type)","number":"\#(number)","status":"\#(status)","#
                        + #""dateOfIssue":"\#(date(year))","dateOfExpiry":"\#(date(year + 10))","#
                        + #""dateOfTheftOrLoss":"\#(date(lost))","nationalReference":"\#(reference)""#
                        + (restricted ? #","restrictions":{"visibility":"except","members":["DEU"]}}"# : "}")
                case .csv:
                    text =
                        "\(issuer),\(type),\(number),\(status),\(date(year)),\(date(year + 10)),\(date(lost)),"
                        + "\(reference),\(restricted ? "except,DEU," : ",,")"
                }
                if badEvery > 0 && line % badEvery == badEvery - 1 {
                    switch (line / badEvery) % 5 {
                    case 0: text = String(text.dropLast(format == .ndjson ? 1 : 0)) + (format == .ndjson ? "" : ",x")
                    case 1: text = format == .ndjson ? String(text.dropLast()) + #","colour":"red"}"# : text + ",extra"
                    case 2: text = text.replacingOccurrences(of: date(year + 10), with: "\(year + 10)-02-30")
                    case 3:
                        text = text.replacingOccurrences(of: "\(issuer),", with: "\(foreign),")
                            .replacingOccurrences(of: #""issuer":"\#(issuer)""#, with: #""issuer":"\#(foreign)""#)
                    default: text = previous
                    }
                }
                previous = text
                output.append(contentsOf: Array((text + "\n").utf8))
                if output.count >= 1 << 20 {
                    FileHandle.standardOutput.write(output)
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(output)
        }
    }
}
