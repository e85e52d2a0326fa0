import ConcordStore
import ConcordTestSupport
import Foundation
import Testing

@Suite("concord CLI")
struct CLITests {
    @Test("keys are created, listed and revoked on a fresh data folder")
    func keys() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let created = try await runConcord([
            "keys", "create", "--data", data.path, "--role", "secretariat.admin", "--json",
        ])
        #expect(created.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(created.output.utf8)) as? [String: String])
        let id = try #require(json["id"])
        let key = try #require(json["key"])
        #expect(key.hasPrefix("concord_") && key.count >= 40)

        let listed = try await runConcord(["keys", "list", "--data", data.path, "--json"])
        #expect(listed.status == 0)
        #expect(listed.output.contains(id))
        #expect(!listed.output.contains(key))

        #expect(try await runConcord(["keys", "revoke", id, "--data", data.path]).status == 0)
        let again = try await runConcord(["keys", "revoke", id, "--data", data.path])
        #expect(again.status != 0)
        #expect(again.error.contains("already revoked"))
        #expect(try await runConcord(["journal", "verify", "--data", data.path]).status == 0)
    }

    @Test("bad arguments are explained, not crashed on")
    func badArguments() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let notJSON = data.appendingPathComponent("lists.txt")
        try Data("resolvers: 8.8.8.8".utf8).write(to: notJSON)
        let badEntry = data.appendingPathComponent("lists.json")
        try Data(#"[{"name":"mine","description":"ours","entries":["not a value!"]}]"#.utf8).write(to: badEntry)
        let cases: [([String], String)] = [
            (["serve", "--data", data.path, "--port", "0", "--warninglists", notJSON.path], "not a JSON list"),
            (["serve", "--data", data.path, "--port", "0", "--warninglists", badEntry.path], "not a value!"),
            (["keys", "create", "--data", data.path, "--role", "sheriff"], "unknown role"),
            (["keys", "create", "--data", data.path, "--role", "ncb.officer", "--member", "XYZ"], "unknown member"),
            (["keys", "create", "--data", data.path, "--role", "ncb.officer"], "acts for a member"),
            (["keys", "create", "--data", data.path, "--role", "ccf", "--expires", "soon"], "cannot read expiry"),
            (["keys", "create", "--data", data.path, "--role", "ccf", "--expires", "2001-01-01"], "future"),
            (["serve", "--data", data.path, "--postgres", "postgres://x@localhost/db"], "not both"),
        ]
        for (arguments, message) in cases {
            let result = try await runConcord(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
        }
    }

    @Test("journal verify names the first tampered entry and exits 1")
    func verifyTampered() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        for role in ["ccf", "secretariat.admin", "secretariat.reviewer"] {
            _ = try await createKey(data: data, role: role, member: nil)
        }
        #expect(try await runConcord(["journal", "verify", "--data", data.path]).status == 0)
        try await executeSQLite(
            folder: data,
            [
                "DROP TRIGGER journal_no_update", "UPDATE journal SET actor = 'nobody' WHERE position = 2",
            ])
        let result = try await runConcord(["journal", "verify", "--data", data.path, "--json"])
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(report?["sound"] as? Bool == false)
        #expect(report?["firstBadEntry"] as? Int == 2)
    }

    @Test(
        "store compact gives free pages back and keeps the journal sound; a store open elsewhere and a folder without one are refused"
    )
    func compact() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        _ = try await createKey(data: data, role: "ccf", member: nil)
        try await executeSQLite(folder: data, fillAndDrop)
        let result = try await runConcord(["store", "compact", "--data", data.path, "--json"])
        #expect(result.status == 0, "\(result.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Int])
        #expect(try #require(report["freePagesBefore"]) >= 256)
        #expect(try #require(report["bytesAfter"]) <= report["bytesBefore"]! - 256 * 4096)
        #expect(try await runConcord(["journal", "verify", "--data", data.path]).status == 0)

        let server = try SQLiteStore(folder: data)
        let busy = try await runConcord(["store", "compact", "--data", data.path])
        try await server.close()
        #expect(busy.status != 0)
        #expect(busy.error.contains("another process has the store open (a server, an import): stop it first"))
        #expect(!(busy.output + busy.error).contains("Compacting"), "a refused compaction never said it began")
        let alone = try await runConcord(["store", "compact", "--data", data.path])
        #expect(alone.status == 0, "\(alone.error)")
        #expect((alone.output + alone.error).contains("Compacting"))

        let empty = data.appendingPathComponent("empty")
        let refused = try await runConcord(["store", "compact", "--data", empty.path])
        #expect(refused.status != 0)
        #expect(refused.error.contains("no store in \(empty.path)"))
        #expect(!FileManager.default.fileExists(atPath: empty.path))
    }

    @Test("keys and journal verify work against PostgreSQL too, also through CONCORD_POSTGRES_URL")
    func postgres() async throws {
        let url = try await ThrowawayPostgres.shared().makeDatabase()
        let created = try await runConcord(["keys", "create", "--postgres", url, "--role", "ccf", "--json"])
        #expect(created.status == 0, "\(created.error)")
        let listed = try await runConcord(["keys", "list", "--json"], environment: ["CONCORD_POSTGRES_URL": url])
        #expect(listed.status == 0)
        #expect(listed.output.contains("\"ccf\""))
        let verified = try await runConcord(["journal", "verify", "--postgres", url])
        #expect(verified.status == 0)
        // The key issued and the listing of keys.
        #expect(verified.output.contains("2 entries"))
    }
}

@Suite("concord mrz")
struct MRZCLITests {
    static let passport = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]

    @Test("a valid zone prints its fields and exits 0")
    func valid() async throws {
        let result = try await runConcord(["mrz", "--json"] + Self.passport)
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let document = json?["document"] as? [String: Any]
        #expect(document?["documentNumber"] as? String == "L898902C3")
        #expect(document?["primaryIdentifier"] as? String == "ERIKSSON")
        #expect((json?["issues"] as? [Any])?.isEmpty == true)
    }

    @Test("a corrupted check digit names the field and exits 1")
    func invalid() async throws {
        var lines = Self.passport
        lines[1] = lines[1].replacingOccurrences(of: "7408122F", with: "7408123F")
        let result = try await runConcord(["mrz"] + lines)
        #expect(result.status == 1)
        #expect(result.output.contains("INVALID"))
        #expect(result.output.contains("dateOfBirth"))
    }
}
