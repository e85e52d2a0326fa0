import Foundation
import Testing

@testable import ConcordCore

@Suite("Nominal persons and screening requests")
struct NominalPersonTests {
    static let now = instant("2027-01-15T08:00:00Z")

    static func decode<Value: Decodable>(_: Value.Type, _ json: String) throws -> Value {
        try ConcordJSON.decoder().decode(Value.self, from: Data(json.utf8))
    }

    @Test("a record wears the envelope: the owner, the category's purpose, five years to review")
    func envelope() throws {
        let request = NominalPersonRequest(
            category: .missing, familyName: "Rossi", forenames: "Giulia", dateOfBirth: PartialDate("2010-03"),
            restrictions: Restrictions(visibility: .allExcept([member("DEU")])))
        let person = try NominalPersons.record(
            request, owner: member("ITA"), id: RecordID(rawValue: "p1"), now: Self.now)
        #expect(person.envelope.kind == .nominalPerson)
        #expect(person.envelope.owner == member("ITA"))
        #expect(person.envelope.purpose == .missingPerson)
        #expect(person.envelope.status == .active)
        #expect(person.envelope.reviewDate == instant("2032-01-15T08:00:00Z"))
        #expect(person.envelope.restrictions.allows(member("DEU")) == false)
        #expect(person.actionRequested == NominalCategory.missing.defaultAction)
        let stored = try person.stored()
        #expect(try NominalPerson(stored) == person)
    }

    @Test("every bad field is named at once")
    func everyIssue() throws {
        let request = NominalPersonRequest(
            category: .wanted, familyName: "  ", forenames: "12", namesInOriginalScript: ["Иван", ""],
            dateOfBirth: PartialDate("2030"), nationalities: [member("FRA"), member("FRA")],
            identityDocuments: [IdentityDocument(issuer: IssuerCode("FRA")!, type: .passport, number: "12#4")],
            actionRequested: "")
        #expect {
            try NominalPersons.record(request, owner: member("FRA"), id: RecordID(rawValue: "p1"), now: Self.now)
        } throws: { error in
            let issues = (error as? ValidationFailure)?.issues.map(\.field) ?? []
            return issues == [
                "familyName", "forenames", "namesInOriginalScript[1]", "dateOfBirth", "nationalities",
                "identityDocuments[0].number", "actionRequested",
            ]
        }
    }

    @Test("a date of birth later this year, or tomorrow, is in the future; today is not")
    func futureBirth() throws {
        func issues(_ born: String) -> [String] {
            let request = NominalPersonRequest(category: .missing, familyName: "Rossi", dateOfBirth: PartialDate(born))
            do {
                try NominalPersons.validate(request, now: Self.now)
                return []
            } catch {
                return error.issues.map(\.field)
            }
        }
        #expect(issues("2027-01-15") == [])
        #expect(issues("2027-01") == [])
        #expect(issues("2027-01-16") == ["dateOfBirth"])
        #expect(issues("2027-02") == ["dateOfBirth"])
    }

    @Test("unknown fields are refused, so a misspelt restriction never goes unnoticed")
    func unknownField() throws {
        #expect(throws: DecodingError.self) {
            try Self.decode(NominalPersonRequest.self, #"{"category":"wanted","familyName":"X","restriction":{}}"#)
        }
        let decoded = try Self.decode(
            NominalPersonRequest.self,
            #"{"category":"wanted","familyName":"Petrov","namesInOriginalScript":["Петров"],"dateOfBirth":"1975"}"#)
        #expect(decoded.subject.namesInOriginalScript == ["Петров"])
    }

    @Test("update keeps the review date and refuses a withdrawn record")
    func updateAndWithdraw() throws {
        let request = NominalPersonRequest(category: .wanted, familyName: "Petrov")
        let person = try NominalPersons.record(
            request, owner: member("FRA"), id: RecordID(rawValue: "p1"), now: Self.now)
        var changed = request
        changed.category = .missing
        let later = Self.now + 86_400
        let updated = try NominalPersons.update(person, to: changed, now: later)
        #expect(updated.envelope.reviewDate == person.envelope.reviewDate)
        #expect(updated.envelope.purpose == .missingPerson)
        #expect(updated.envelope.updatedAt == later)
        #expect(updated.version == 2)
        let withdrawn = try NominalPersons.withdraw(updated, now: later)
        #expect(withdrawn.envelope.status == .withdrawn)
        #expect(throws: DomainError.self) { try NominalPersons.update(withdrawn, to: request, now: later) }
        #expect(throws: DomainError.self) { try NominalPersons.withdraw(withdrawn, now: later) }
    }

    @Test("screening requests: the threshold outside the matcher's limits, blank names and bad numbers are named")
    func screeningValidation() throws {
        let query = ScreeningQuery(
            names: ["Aleksandr Petrov", "--"], documents: [ScreeningDocument(number: "")])
        #expect {
            try Screening.validate(
                [ScreeningQuery(names: ["Ok"]), query], ScreeningOptions(threshold: 0.3, limit: 0),
                thresholdLimits: 0.5...0.99, prefix: { "queries[\($0)]." })
        } throws: { error in
            (error as? ValidationFailure)?.issues.map(\.field) == [
                "threshold", "limit", "queries[1].names[1]", "queries[1].documents[0].number",
            ]
        }
        try Screening.validate(
            [ScreeningQuery(names: ["Александр"])], ScreeningOptions(threshold: 0.99), thresholdLimits: 0.5...0.99,
            prefix: { _ in "" })
        let single = try Self.decode(
            ScreeningRequest.self, #"{"names":["Zhang Wei"],"dateOfBirth":"1980-05","threshold":0.8}"#)
        #expect(single.query.names == ["Zhang Wei"])
        #expect(single.query.dateOfBirth == PartialDate("1980-05"))
        #expect(single.options.threshold == 0.8)
        #expect(throws: DecodingError.self) { try Self.decode(ScreeningRequest.self, #"{"names":["A"],"nam":1}"#) }
    }
}

@Suite("CSV tables")
struct CSVTableTests {
    @Test("quoted fields hold commas, doubled quotes and line breaks; records keep their first line")
    func reads() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",\n3,,\n"
        let rows = try CSVTable.rows(text)
        #expect(rows.map(\.line) == [1, 2, 4, 6])
        #expect(rows[1].fields == ["1", "x, y", "say \"hi\""])
        #expect(rows[2].fields == ["2", "two\nlines", ""])
        #expect(rows[3].fields == ["3", "", ""])
    }

    @Test("an unclosed quote or a quote inside a plain field is an error naming the line")
    func malformed() {
        #expect(throws: CSVTable.Malformed(line: 2, reason: "a quoted field is not closed")) {
            try CSVTable.rows("a\n\"open\nstill open")
        }
        #expect(throws: CSVTable.Malformed.self) { try CSVTable.rows("a\nab\"c\n") }
        #expect(throws: CSVTable.Malformed.self) { try CSVTable.rows("a\n\"ab\"c\n") }
    }

    @Test("writing quotes exactly the fields that need it, and reads back the same")
    func writes() throws {
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", " padded", "Александр"]
        let line = CSVTable.line(fields)
        #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",Александр")
        #expect(try CSVTable.rows(line + "\n").first?.fields == fields)
    }
}
