import ConcordTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("concord import", .serialized)
struct ImportCLITests {
    static func write(_ text: String, to folder: URL, name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func report(_ result: ProgramResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.error)")
    }

    static func lines(_ report: [String: Any]) -> [String] {
        (report["errors"] as? [[String: Any]] ?? []).map { error in
            let slug = (error["type"] as? String ?? "").replacingOccurrences(of: "urn:concord:problem:", with: "")
            return "\(error["line"] as? Int ?? 0) \(slug) \(error["field"] as? String ?? "-")"
        }
    }

    @Test("an NDJSON file: good lines recorded, bad ones named, a running server finds them, the journal verifies")
    func ndjson() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let german = try await createKey(data: data, role: "ncb.officer", member: "DEU")
        let server = try await ServerProcess.start(data: data)
        defer { server.kill(SIGTERM) }
        let file = try Self.write(
            """
            {"issuer":"FRA","type":"passport","number":"CLI0001","status":"stolen","dateOfIssue":"2020-05-06"}
            {"issuer":"FRA","type":"passport","number":"CLI0002","status":"stolen","color":"blue"}
            {"issuer":"D","type":"passport","number":"CLI0003","status":"lost"}
            {"issuer":"FRA","type":"id-card","number":"CLI0004","status":"lost"}
            {"issuer":"FRA","type":"passport","number":"cli-0001","status":"lost"}
            """, to: data, name: "documents.ndjson")
        let result = try await runConcord([
            "import", "documents", "--member", "FRA", "--data", data.path, "--json", file,
        ])
        #expect(result.status == 1)
        let report = try Self.report(result)
        #expect(report["read"] as? Int == 5)
        #expect(report["recorded"] as? Int == 2)
        #expect(report["rejected"] as? Int == 3)
        #expect(Self.lines(report) == ["2 unknown-field /color", "3 forbidden /issuer", "5 duplicate-line -"])

        // The server on the same data folder follows the journal and answers checks on the new records.
        var hits: [Bool?] = []
        for _ in 0..<100 {
            let check = try await request(
                "POST", "\(server.baseURL)/v1/documents/check", key: german,
                json: #"{"documents":[{"issuer":"FRA","type":"passport","number":"CLI0001"},"#
                    + #"{"issuer":"FRA","type":"id-card","number":"CLI0004"}]}"#)
            hits = (check.body["results"] as? [[String: Any]] ?? []).map { $0["hit"] as? Bool }
            if hits == [true, true] { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(hits == [true, true])

        // Importing the same file again: every good line is now a duplicate of an active record.
        let again = try await runConcord([
            "import", "documents", "--member", "FRA", "--data", data.path, "--json", file,
        ])
        let second = try Self.report(again)
        #expect(second["recorded"] as? Int == 0)
        #expect(Self.lines(second).filter { $0.hasSuffix("duplicate -") } == ["1 duplicate -", "4 duplicate -"])

        let verify = try await runConcord(["journal", "verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.output)")
    }

    @Test("a CSV file, all or nothing: one bad line and nothing is recorded; fixed, all of it is")
    func csvAllOrNothing() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let header = "issuer,type,number,status,dateOfTheftOrLoss,visibility,members\n"
        let bad = try Self.write(
            header + "FRA,passport,C1,stolen,2024-01-02,,\nFRA,passport,C2,stolen,2024-02-30,,\n"
                + "FRA,id-card,C3,lost,,only,DEU;ITA\n", to: data, name: "bad.csv")
        let refused = try await runConcord([
            "import", "documents", "--member", "FRA", "--data", data.path, "--all-or-nothing", bad,
        ])
        #expect(refused.status == 1)
        #expect(refused.output.contains("nothing recorded"))
        #expect(refused.output.contains("line 3: invalid-field /dateOfTheftOrLoss"))

        let good = try Self.write(
            header + "FRA,passport,C1,stolen,2024-01-02,,\nFRA,id-card,C3,lost,,only,DEU;ITA\n", to: data,
            name: "good.txt")
        let recorded = try await runConcord([
            "import", "documents", "--member", "fra", "--format", "csv", "--data", data.path, "--all-or-nothing",
            "--json", good,
        ])
        #expect(recorded.status == 0, "\(recorded.error)")
        let report = try Self.report(recorded)
        #expect(report["recorded"] as? Int == 2)
        #expect(report["mode"] as? String == "all-or-nothing")
        #expect(try await runConcord(["journal", "verify", "--data", data.path]).status == 0)
    }

    @Test("generated documents import with their bad lines counted, in both formats")
    func generated() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        for (format, member) in [("ndjson", "ITA"), ("csv", "ESP")] {
            let generated = try await runConcord([
                "import", "generate", "--member", member, "--lines", "3000", "--bad-every", "100", "--format", format,
            ])
            #expect(generated.status == 0)
            let file = try Self.write(generated.output, to: data, name: "generated.\(format)")
            let result = try await runConcord([
                "import", "documents", "--member", member, "--data", data.path, "--json", file,
            ])
            let report = try Self.report(result)
            #expect(report["read"] as? Int == 3000)
            #expect(report["recorded"] as? Int == 2970, "\(format): \(Self.lines(report))")
            #expect(report["rejected"] as? Int == 30)
        }
        #expect(try await runConcord(["journal", "verify", "--data", data.path]).status == 0)
    }

    @Test("bad arguments are explained")
    func badArguments() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let file = try Self.write("", to: data, name: "x.json")
        let cases: [([String], String)] = [
            (["import", "documents", "--member", "XYZ", "--data", data.path, file], "unknown member"),
            (["import", "documents", "--member", "FRA", "--data", data.path, file], "--format"),
            (
                ["import", "documents", "--member", "FRA", "--format", "xml", "--data", data.path, file],
                "unknown format"
            ),
            (["import", "documents", "--member", "FRA", "--data", data.path, "missing.csv"], "cannot read"),
        ]
        for (arguments, message) in cases {
            let result = try await runConcord(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
        }
        let header = try Self.write("issuer,type,number,status,colour\n", to: data, name: "header.csv")
        let refused = try await runConcord(["import", "documents", "--member", "FRA", "--data", data.path, header])
        #expect(refused.status != 0)
        #expect(refused.error.contains("line 1: unknown column 'colour'"), "\(refused.error)")
    }

    @Test("imports into PostgreSQL too")
    func postgres() async throws {
        let url = try await ThrowawayPostgres.shared().makeDatabase()
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let generated = try await runConcord([
            "import", "generate", "--member", "BRA", "--lines", "25000", "--bad-every", "1000",
        ])
        let file = try Self.write(generated.output, to: data, name: "brazil.ndjson")
        let result = try await runConcord(["import", "documents", "--member", "BRA", "--postgres", url, "--json", file])
        let report = try Self.report(result)
        #expect(report["recorded"] as? Int == 24975)
        #expect(report["rejected"] as? Int == 25)
        let verify = try await runConcord(["journal", "verify", "--postgres", url])
        #expect(verify.status == 0, "\(verify.output)")
    }
}
