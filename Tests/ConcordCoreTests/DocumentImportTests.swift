import Foundation
import Testing

@testable import ConcordCore

@Suite struct DocumentImportTests {
    static let now = instant("2026-11-20T10:00:00Z")
    static let france = member("FRA")

    /// What each line came to: "record", "skipped", or "line N slug field: detail".
    static func judge(_ text: String, format: ImportFormat, principal: Principal? = nil) throws -> [String] {
        var parser = DocumentImport(
            member: france, format: format, principal: principal ?? .localOperator(for: france), now: now)
        var reader = LineReader(read: chunks(text, size: 7))
        var outcomes: [String] = []
        while let line = try reader.next() {
            switch try parser.consume(line.bytes, number: line.number) {
            case .record(let stored):
                #expect(stored.envelope.owner == france)
                #expect(try TravelDocumentRecord(stored).envelope == stored.envelope)
                outcomes.append("record")
            case .skipped:
                outcomes.append("skipped")
            case .rejected(let error):
                let slug = error.type.replacingOccurrences(of: "urn:concord:problem:", with: "")
                outcomes.append("line \(error.line) \(slug) \(error.field ?? "-"): \(error.detail)")
            }
        }
        return outcomes
    }

    /// Feeds text in small chunks, so lines straddle chunk boundaries.
    static func chunks(_ text: String, size: Int) -> () throws -> [UInt8]? {
        var bytes = Array(text.utf8)[...]
        return {
            guard !bytes.isEmpty else { return nil }
            defer { bytes = bytes.dropFirst(size) }
            return Array(bytes.prefix(size))
        }
    }

    @Test func ndjsonLinesAreJudgedOneByOneWithTheirNumbers() throws {
        let lines = [
            #"{"issuer":"FRA","type":"passport","number":"24XF99871","status":"stolen"}"#,
            #"{"issuer":"FRA","type":"passport","#,
            "   ",
            #"{"issuer":"FRA","type":"passport","number":"1","status":"lost","colour":"red"}"#,
            #"{"issuer":"FRA","type":"passport","number":"2","status":"lost","dateOfIssue":"2021-02-30"}"#,
            #"{"issuer":"DEU","type":"passport","number":"3","status":"lost"}"#,
            #"{"issuer":"FRA","type":"passport","number":"24-xf 99871","status":"lost"}"#,
            #"{"issuer":"FRA","type":"id-card","number":"4","status":"lost","dateOfTheftOrLoss":"2030-01-01"}"#,
            #"{"issuer":"FRA","type":"id-card","number":"24XF99871","status":"stolen","restrictions":{"visibility":"only","members":["DEU"]}}"#,
            #"{"issuer":"FRA","type":"visa","number":"5","status":"lost","restrictions":{"visibility":"only","members":["ZZZ"]}}"#,
            #"{"issuer":"UNO","type":"passport","number":"6","status":"lost"}"#,
            #"{"issuer":"FRA","type":"passport","number":"7#","status":"lost"}"#,
            #"{"issuer":"FRA","type":"passport","number":"8","status":"found"}"#,
        ]
        let outcomes = try Self.judge(lines.joined(separator: "\r\n") + "\n", format: .ndjson)
        #expect(outcomes.count == 13)
        #expect(outcomes[0] == "record")
        #expect(outcomes[1].hasPrefix("line 2 malformed-json -: "))
        #expect(outcomes[2] == "skipped")
        #expect(outcomes[3] == "line 4 unknown-field /colour: unknown field 'colour'")
        #expect(outcomes[4] == "line 5 invalid-field /dateOfIssue: '2021-02-30' is not a valid date (YYYY-MM-DD)")
        #expect(
            outcomes[5]
                == "line 6 forbidden /issuer: documents issued by D belong to DEU; this import records documents of FRA"
        )
        #expect(outcomes[6] == "line 7 duplicate-line -: the same document as line 1")
        #expect(outcomes[7] == "line 8 invalid-field /dateOfTheftOrLoss: date of theft or loss is in the future")
        #expect(outcomes[8] == "record")
        #expect(outcomes[9] == "line 10 invalid-field /restrictions/members/0: unknown member country 'ZZZ'")
        #expect(outcomes[10].hasPrefix("line 11 invalid-field /issuer: issuer UNO is not a member country"))
        #expect(outcomes[11].hasPrefix("line 12 invalid-field /number: "))
        #expect(outcomes[12].hasPrefix("line 13 invalid-field /status: "))
    }

    @Test func csvColumnsMapToTheSameFields() throws {
        let text = #"""
            \#u{FEFF}number,issuer,type,status,dateOfIssue,nationalReference,visibility,members,notifyOwner
            24XF99871,FRA,passport,stolen,2020-01-02,"Ref, with comma ""quoted""",,,
             X1 , FRA ,id-card,lost,,,only,DEU;ITA,true
            X2,FRA,id-card,lost,,,except,,
            X3,FRA,id-card,lost,,,all,DEU,
            X4,FRA,id-card,,,,,,
            X5,FRA,id-card,lost,2020-13-01,,,,
            X6,FRA,id-card,lost,,"open,,,
            X7,FRA,id-card,lost
            X8,D,passport,lost,,,,,
            X9,FRA,driving-licence,lost,,,,,
            24xf99871,FRA,passport,lost,,,,,
            X10,FRA,visa,revoked,,,,,maybe

            """#
        let outcomes = try Self.judge(text, format: .csv)
        #expect(
            outcomes == [
                "skipped",
                "record",
                "record",
                "line 4 invalid-field /members: visibility \"except\" needs a non-empty list of members",
                "line 5 invalid-field /members: members are only allowed with visibility \"only\" or \"except\"",
                "line 6 invalid-field /status: missing field 'status'",
                "line 7 invalid-field /dateOfIssue: '2020-13-01' is not a valid date (YYYY-MM-DD)",
                "line 8 malformed-csv -: a quoted cell is not closed on its line (cells cannot span lines)",
                "line 9 malformed-csv -: 4 cells where the header has 9 columns",
                "line 10 forbidden /issuer: documents issued by D belong to DEU; this import records documents of FRA",
                "line 11 invalid-field /type: 'driving-licence' is not one of passport, id-card, visa, "
                    + "residence-permit, other",
                "line 12 duplicate-line -: the same document as line 2",
                "line 13 invalid-field /notifyOwner: expected true or false",
            ])
    }

    @Test func csvCellsKeepWhatWasQuoted() throws {
        var parser = DocumentImport(
            member: Self.france, format: .csv, principal: .localOperator(for: Self.france), now: Self.now)
        _ = try parser.consume(
            Array("number,issuer,type,status,nationalReference,visibility,members".utf8)[...], number: 1)
        let outcome = try parser.consume(
            Array(#"X1,FRA,passport,lost,"  Ref, ""A""  ",only,DEU ITA"#.utf8)[...], number: 2)
        guard case .record(let stored) = outcome else {
            Issue.record("expected a record, got \(outcome)")
            return
        }
        let record = try TravelDocumentRecord(stored)
        #expect(record.document.nationalReference == #"Ref, "A""#)
        #expect(record.envelope.restrictions.visibility == .onlyListed([member("DEU"), member("ITA")]))
        #expect(record.envelope.reviewDate == TravelDocuments.reviewDate(from: Self.now))
    }

    @Test(arguments: [
        ("issuer,type,number,status,colour", "line 1 unknown-field /colour"),
        ("issuer,type,number", "line 1 invalid-field /status"),
        ("issuer,type,number,status,Number", "line 1 malformed-csv /number"),
        (#"issuer,"type"#, "line 1 malformed-csv"),
    ])
    func anUnusableHeaderStopsTheImport(header: String, expected: String) {
        var parser = DocumentImport(
            member: Self.france, format: .csv, principal: .localOperator(for: Self.france), now: Self.now)
        let error = #expect(throws: ImportLineError.self) {
            _ = try parser.consume(Array(header.utf8)[...], number: 1)
        }
        let slug = error?.type.replacingOccurrences(of: "urn:concord:problem:", with: "") ?? ""
        let reported = "line \(error?.line ?? 0) \(slug) \(error?.field ?? "")"
        #expect(reported.hasPrefix(expected), "\(reported)")
    }

    @Test func aPrincipalOfAnotherMemberHasEveryLineRefused() throws {
        let officer = Principal.key("key_x", role: .ncbOfficer, member: member("DEU"))
        let outcomes = try Self.judge(
            #"{"issuer":"FRA","type":"passport","number":"1","status":"lost"}"#, format: .ndjson, principal: officer)
        #expect(outcomes.count == 1)
        #expect(outcomes[0].hasPrefix("line 1 forbidden /issuer"))
    }

    @Test func linesAreSplitAcrossChunksAndLineBreaks() throws {
        let text = "a\r\nbb\n\nccc\r\n" + String(repeating: "x", count: 100) + "\nlast"
        var reader = LineReader(maximumLength: 50, read: Self.chunks(text, size: 3))
        var lines: [(Int, String, Bool)] = []
        while let line = try reader.next() {
            lines.append((line.number, String(decoding: line.bytes, as: UTF8.self), line.tooLong))
        }
        #expect(lines.map(\.0) == [1, 2, 3, 4, 5, 6])
        #expect(lines.map(\.1) == ["a", "bb", "", "ccc", String(repeating: "x", count: 50), "last"])
        #expect(lines.map(\.2) == [false, false, false, false, true, false])
        #expect(reader.consumed == text.utf8.count)
    }

    @Test func importIDsAreUUIDsInTheOrderTheyAreMade() {
        var ids = TimeOrderedIDs(now: Self.now)
        let made = (0..<5000).map { _ in ids.next().rawValue }
        #expect(made == made.sorted())
        #expect(Set(made).count == made.count)
        for id in made.prefix(10) {
            let uuid = UUID(uuidString: id)
            #expect(uuid?.uuidString.lowercased() == id)
            #expect(Array(id)[14] == "7")
            #expect("89ab".contains(Array(id)[19]))
        }
    }

    @Test(arguments: ["a.csv", "A.CSV", "dir.v2/x.ndjson", "x.jsonl"])
    func formatsFollowTheExtension(name: String) {
        #expect(ImportFormat(fileName: name) != nil)
    }

    @Test func unknownExtensionsNameNoFormat() {
        #expect(ImportFormat(fileName: "documents.json") == nil)
        #expect(ImportFormat(fileName: "documents") == nil)
    }

    /// The hand-written reader must agree with the decoder wherever it answers at all.
    @Test(arguments: [
        #"{"issuer":"FRA","type":"passport","number":"24XF99871","status":"stolen"}"#,
        #" { "issuer" : "d" ,\#t"type":"id-card", "number":" L01 X00 ","status":"lost","dateOfIssue":"2020-01-31","#
            + #""dateOfExpiry":"2030-01-30","dateOfTheftOrLoss":"2024-02-29","nationalReference":"Réf/2024 – Ü"}  "#,
        #"{"status":"revoked","number":"9","type":"visa","issuer":"UNO","nationalReference":""}"#,
    ])
    func fastReaderAgreesWithTheDecoder(line: String) throws {
        let fast = try #require(DocumentJSONFastPath.decode(Array(line.utf8)[...]))
        #expect(fast == (try decode(NewTravelDocument.self, line)))
    }

    @Test(arguments: [
        #"{"issuer":"FRA","type":"passport","number":"24\u0058","status":"stolen"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen","nationalReference":null}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen","restrictions":{"visibility":"all"}}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen","number":"2"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen","colour":"red"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"found"}"#,
        #"{"issuer":"XYZ","type":"passport","number":"1","status":"stolen"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen","dateOfIssue":"2021-02-30"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1"}"#,
        #"{"issuer":"FRA","type":"passport","number":1,"status":"stolen"}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen"} x"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen",}"#,
        #"{"issuer":"FRA","type":"passport","number":"1","status":"stolen""#,
        #"[]"#,
    ])
    func fastReaderLeavesEverythingElseToTheDecoder(line: String) {
        #expect(DocumentJSONFastPath.decode(Array(line.utf8)[...]) == nil)
    }

    /// Bodies written by hand must be the bytes the encoder writes, or not written at all.
    @Test func fastWriterWritesWhatTheEncoderWrites() throws {
        let documents = [
            TravelDocument(
                issuer: issuer("FRA"), type: .passport, number: "24XF99871", status: .stolen, dateOfIssue: nil,
                dateOfExpiry: nil, dateOfTheftOrLoss: nil, nationalReference: nil),
            TravelDocument(
                issuer: issuer("D"), type: .residencePermit, number: "A-1/2.3<4", status: .stolenBlank,
                dateOfIssue: CalendarDate("2020-01-02"), dateOfExpiry: CalendarDate("2030-01-01"),
                dateOfTheftOrLoss: CalendarDate("2024-12-31"), nationalReference: "Réf/2024 – Ü 東京 \u{7F}"),
        ]
        for document in documents {
            let fast = try #require(DocumentJSONFastPath.encode(document))
            #expect(
                String(decoding: fast, as: UTF8.self)
                    == String(decoding: try ConcordJSON.encoder().encode(document), as: UTF8.self))
        }
        for reference in ["a\"b", "a\\b", "a\nb", "a\tb"] {
            var document = documents[0]
            document.nationalReference = reference
            #expect(DocumentJSONFastPath.encode(document) == nil)
        }
    }
}
