import ConcordCore
import ConcordTestSupport
import Foundation
import Testing

@Suite("concord screening score")
struct ScreeningCLITests {
    static let header = "id,name_a,dob_a,nationality_a,sex_a,name_b,dob_b,nationality_b,sex_b,label"

    static func write(_ text: String) throws -> (folder: URL, path: String) {
        let folder = try makeTemporaryDirectory()
        let path = folder.appendingPathComponent("pairs.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (folder, path)
    }

    @Test("scores each pair, carries further columns through, and quotes what needs quoting")
    func csv() async throws {
        let (folder, path) = try Self.write(
            Self.header + "\n"
                + "1,Aleksandr Petrov,1975-03-02,RUS,M,Александр Петров,1975,RUS,M,same\n"
                + "2,\"Dupont, Jean\",,,,Maria Garcia Lopez,1990-01-01,ESP,F,\"different, \"\"clearly\"\"\"\n"
                + "3,Zhang Wei|张伟,1980,CHN,,張偉,1980-06-01,,,\"multi\nline\"\n")
        defer { removeDirectory(folder) }
        let result = try await runConcord(["screening", "score", "--pairs", path])
        #expect(result.status == 0, "\(result.error)")
        let rows = try CSVTable.rows(result.output)
        #expect(
            rows.first?.fields == Self.header.split(separator: ",").map(String.init) + [
                "score", "match", "explanation",
            ])
        #expect(rows.count == 4)
        let byID = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0.fields[0], $0.fields) })
        // Columns: id, the eight of the pair, label, then score (10), match (11), explanation (12).
        #expect(byID["1"]?[11] == "true")
        #expect(byID["1"]?[12].hasPrefix("MATCH") == true)
        #expect(byID["2"]?[1] == "Dupont, Jean")
        #expect(byID["2"]?[9] == #"different, "clearly""#)
        #expect(byID["2"]?[11] == "false")
        #expect(byID["2"]?[12].hasPrefix("no match") == true)
        #expect(byID["3"]?[9] == "multi\nline")
        #expect(byID["3"]?[11] == "true")
        for fields in rows.dropFirst().map(\.fields) {
            let score = try #require(Double(fields[10]))
            #expect((0...1).contains(score))
            #expect(fields[11] == String(score >= 0.70))
        }
    }

    @Test(
        "--json writes one object per line with the columns, score, verdict and explanation; --threshold moves the verdict"
    )
    func json() async throws {
        let (folder, path) = try Self.write(
            Self.header + "\n1,Mohammed Al-Hassan,1980,,,Muhammad Alhasan,,,,x\n")
        defer { removeDirectory(folder) }
        let result = try await runConcord(["screening", "score", "--pairs", path, "--json"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["label"] as? String == "x")
        #expect(object["name_a"] as? String == "Mohammed Al-Hassan")
        #expect(object["line"] as? Int == 2)
        let score = try #require(object["score"] as? Double)
        #expect(object["match"] as? Bool == (score >= 0.70))
        #expect(object["threshold"] as? Double == 0.70)
        #expect(object["explanation"] is [String: Any])
        #expect(object["summary"] is String)

        let strict = try await runConcord(["screening", "score", "--pairs", path, "--json", "--threshold", "0.99"])
        let strictObject = try #require(
            try JSONSerialization.jsonObject(with: Data(strict.output.utf8)) as? [String: Any])
        #expect(strictObject["threshold"] as? Double == 0.99)
        #expect(strictObject["score"] as? Double == score)
        #expect(strictObject["match"] as? Bool == (score >= 0.99))
    }

    @Test("a bad cell names its line and column; a missing column and a bad threshold are errors")
    func errors() async throws {
        let (folder, path) = try Self.write(
            Self.header + "\n1,A B,1980,FRA,M,A B,,,,\n2,A B,12/05/1980,FRA,M,A B,,,,\n")
        defer { removeDirectory(folder) }
        let bad = try await runConcord(["screening", "score", "--pairs", path])
        #expect(bad.status != 0)
        #expect(bad.error.contains("line 3, column dob_a"), "\(bad.error)")
        #expect(bad.output.isEmpty)

        let (other, missing) = try Self.write("name_a,dob_a,nationality_a,sex_a,name_b,dob_b,sex_b\nA,,,,B,,\n")
        defer { removeDirectory(other) }
        let noColumn = try await runConcord(["screening", "score", "--pairs", missing])
        #expect(noColumn.status != 0)
        #expect(noColumn.error.contains("'nationality_b'"), "\(noColumn.error)")

        let (third, sexes) = try Self.write(Self.header + "\n1,A B,,,X,A B,,,,\n")
        defer { removeDirectory(third) }
        let badSex = try await runConcord(["screening", "score", "--pairs", sexes])
        #expect(badSex.error.contains("line 2, column sex_a"), "\(badSex.error)")

        let threshold = try await runConcord(["screening", "score", "--pairs", path, "--threshold", "0.2"])
        #expect(threshold.status != 0)
        #expect(threshold.error.contains("0.2"), "\(threshold.error)")
    }
}
