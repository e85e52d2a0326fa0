import ConcordCore
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Bulk import API")
struct BulkImportAPITests {
    static func bulk(
        _ client: some TestClientProtocol, _ fixture: ServerFixture, as key: String = "FRA", query: String = "",
        contentType: String = "application/x-ndjson", body: String
    ) async throws -> TestResponse {
        var headers = fixture.headers(key)
        headers[.contentType] = contentType
        return try await client.execute(
            uri: "/v1/documents/bulk\(query)", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func errors(_ response: TestResponse) throws -> [String] {
        let errors = try #require(try response.json["errors"] as? [[String: Any]])
        return errors.map { error in
            let slug = (error["type"] as? String ?? "").replacingOccurrences(of: "urn:concord:problem:", with: "")
            return "\(error["line"] as? Int ?? 0) \(slug) \(error["field"] as? String ?? "-")"
        }
    }

    @Test(
        "good lines are recorded and checkable at once, bad ones reported by line, and the journal holds",
        arguments: Backend.allCases)
    func mixed(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        try await fixture.withClient { client in
            let existing = try await client.send(
                .post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(number: "EXISTING1"))
            #expect(existing.status == .created)
            let lines = [
                documentJSON(number: "B1"),
                documentJSON(number: "B2", extra: #","colour":"red""#),
                #"{"issuer":"FRA""#,
                documentJSON(issuer: "ITA", number: "B3"),
                documentJSON(number: "existing-1"),
                "",
                documentJSON(type: "id-card", number: "B4", extra: #","dateOfIssue":"2031-01-01""#),
                documentJSON(number: "b 1"),
                documentJSON(type: "id-card", number: "B5", status: "lost"),
            ]
            let response = try await Self.bulk(client, fixture, body: lines.joined(separator: "\n"))
            #expect(response.status == .ok)
            let report = try response.json
            #expect(report["member"] as? String == "FRA")
            #expect(report["mode"] as? String == "best-effort")
            #expect(report["read"] as? Int == 8)
            #expect(report["recorded"] as? Int == 2)
            #expect(report["rejected"] as? Int == 6)
            #expect(report["moreErrors"] as? Int == 0)
            #expect(
                try Self.errors(response) == [
                    "2 unknown-field /colour", "3 malformed-json -", "4 forbidden /issuer", "5 duplicate -",
                    "7 invalid-field /dateOfIssue", "8 duplicate-line -",
                ])

            let check = try await client.send(
                .post, "/v1/documents/check", as: "DEU", fixture: fixture,
                json: checkJSON([("FRA", "passport", "B1"), ("FRA", "id-card", "B5"), ("FRA", "passport", "B2")]))
            let results = try #require(try check.json["results"] as? [[String: Any]])
            #expect(results.map { $0["hit"] as? Bool } == [true, true, false])

            let writes = try await fixture.store.journal(after: 0, limit: 100, category: .write)
            let imports = writes.filter { $0.draft.action == "document.import" }
            #expect(imports.count == 1)
            #expect(imports.first?.draft.targets.count == 2)
            #expect(imports.first?.draft.outcome == "lines 1-9: recorded 2 of 8")
            #expect(try await fixture.store.verifyJournal().isSound)
        }
    }

    @Test("with all-or-nothing, one bad line and nothing is recorded")
    func allOrNothing() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let head = try await fixture.store.journalHead()
            let body = [documentJSON(number: "A1"), documentJSON(number: "A2", status: "found")].joined(separator: "\n")
            let refused = try await Self.bulk(client, fixture, query: "?mode=all-or-nothing", body: body)
            #expect(refused.status == .ok)
            #expect(try refused.json["recorded"] as? Int == 0)
            #expect(try refused.json["rejected"] as? Int == 1)
            #expect(try Self.errors(refused) == ["2 invalid-field /status"])
            #expect(try await fixture.store.records(kind: .travelDocument, after: 0, limit: 10).records.isEmpty)
            let writes = try await fixture.store.journal(after: head?.position ?? 0, limit: 10, category: .write)
            #expect(writes.isEmpty)
            let entries = try await fixture.store.journal(after: head?.position ?? 0, limit: 10, category: nil)
            #expect(
                entries.map(\.draft.outcome) == [
                    "refused, nothing recorded: read 2, recorded 0, rejected 1 (all-or-nothing)"
                ])

            let good = [documentJSON(number: "A1"), documentJSON(number: "A2")].joined(separator: "\n") + "\n"
            let recorded = try await Self.bulk(client, fixture, query: "?mode=all-or-nothing", body: good)
            #expect(try recorded.json["recorded"] as? Int == 2)
            #expect(try await fixture.store.records(kind: .travelDocument, after: 0, limit: 10).records.count == 2)
        }
    }

    @Test("refusals: size, media type, member, role, mode")
    func refusals() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let line = documentJSON() + "\n"
            let oversize = String(repeating: line, count: (64 << 20) / line.utf8.count + 1)
            let cases: [(TestResponse, HTTPResponse.Status, String)] = [
                (try await Self.bulk(client, fixture, body: oversize), .contentTooLarge, "body-too-large"),
                (
                    try await Self.bulk(client, fixture, contentType: "application/json", body: line),
                    .unsupportedMediaType, "unsupported-media-type"
                ),
                (try await Self.bulk(client, fixture, query: "?member=DEU", body: line), .forbidden, "forbidden"),
                (try await Self.bulk(client, fixture, as: "ITA-frontline", body: line), .forbidden, "forbidden"),
                (try await Self.bulk(client, fixture, as: "reviewer", body: line), .forbidden, "forbidden"),
                (try await Self.bulk(client, fixture, as: "partner-ESP", body: line), .forbidden, "forbidden"),
                (
                    try await Self.bulk(client, fixture, query: "?mode=some", body: line), .unprocessableContent,
                    "invalid-field"
                ),
                (
                    try await Self.bulk(client, fixture, query: "?member=XYZ", body: line), .unprocessableContent,
                    "invalid-field"
                ),
            ]
            for (response, status, slug) in cases {
                #expect(response.status == status)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try response.json["type"] as? String == "urn:concord:problem:\(slug)")
            }
            #expect(
                try cases[0].0.json["detail"] as? String
                    == "request bodies are limited to 67108864 bytes (64 MiB) on this endpoint")
            #expect(try await fixture.store.records(kind: .travelDocument, after: 0, limit: 10).records.isEmpty)
            #expect(
                try await fixture.store.journal(after: 0, limit: 100, category: .write).allSatisfy {
                    // Only the fixture's own set-up: keys and partner agreements.
                    $0.draft.action.hasPrefix("key.") || $0.draft.action.hasPrefix("agreement.")
                })
        }
    }

    @Test("errors come in line order while the next batch is read as one is written", arguments: Backend.allCases)
    func smallBatches(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        for number in ["E1", "E2"] {
            _ = try await fixture.concord.documents.record(
                NewTravelDocument(issuer: IssuerCode("FRA")!, type: .passport, number: number, status: .lost),
                by: .key("key_x", role: .ncbOfficer, member: MemberCode("FRA")))
        }
        let lines = [
            documentJSON(number: "E1"), documentJSON(number: "N1"), "x", "x", "x", "x", documentJSON(number: "E2"),
            documentJSON(number: "N2"), "x", documentJSON(number: "N3"),
        ]
        let importer = DocumentImportService(store: fixture.store, index: fixture.concord.index, now: fixture.clock.now)
        let report = try await importer.run(
            format: .ndjson, member: nil, mode: .bestEffort,
            by: .key("key_x", role: .ncbOfficer, member: MemberCode("FRA")),
            batchSize: 2, read: DocumentImportService.reading(Array(lines.joined(separator: "\n").utf8)))
        #expect(report.errors.map(\.line) == [1, 3, 4, 5, 6, 7, 9])
        #expect(report.recorded == 3)
        #expect(report.rejected == 7)
        #expect(fixture.concord.index.count == 5)
        await fixture.test.close()
    }

    @Test("the error list stops at a thousand and counts the rest")
    func cappedErrors() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let body = (0..<1500).map { _ in "not json" }.joined(separator: "\n")
            let response = try await Self.bulk(client, fixture, body: body)
            let report = try response.json
            #expect(report["rejected"] as? Int == 1500)
            #expect((report["errors"] as? [Any])?.count == 1000)
            #expect(report["moreErrors"] as? Int == 500)
            #expect((report["errors"] as? [[String: Any]])?.last?["line"] as? Int == 1000)
        }
    }
}

extension JournalChain.Verdict {
    var isSound: Bool {
        if case .sound = self { return true }
        return false
    }
}
