import ConcordCore
import ConcordServer
import Foundation

/// Fictional wanted and missing persons from national databases, written in the scripts and
/// spellings their owners use, so screening has something to find across scripts.
enum DemoPersons {
    static func seed(_ concord: Concord) async throws -> Int {
        let people: [(owner: String, json: String)] = [
            (
                "DEU",
                #"{"category":"wanted","familyName":"PETROV","forenames":"Aleksandr Ivanovich","namesInOriginalScript":["Александр Иванович Петров"],"dateOfBirth":"1975-03-02","sex":"male","nationalities":["RUS"],"nationalReference":"BKA-2026-1187","actionRequested":"Arrest warrant of the Berlin court: detain and call NCB Wiesbaden"}"#
            ),
            (
                "FRA",
                #"{"category":"wanted","familyName":"AL-HASSAN","forenames":"Mohammed","namesInOriginalScript":["محمد الحسن"],"aliases":["Abu Khalid"],"dateOfBirth":"1983","sex":"male","nationalities":["SYR"],"nationalReference":"FR-OCRB-5521","restrictions":{"visibility":"except","members":["BRA"]}}"#
            ),
            (
                "ITA",
                #"{"category":"missing","familyName":"PAPADOPOULOU","forenames":"Eleni","namesInOriginalScript":["Ελένη Παπαδοπούλου"],"dateOfBirth":"2009-07-21","sex":"female","nationalities":["GRC","ITA"]}"#
            ),
            (
                "JPN",
                #"{"category":"wanted","familyName":"ZHANG","forenames":"Wei","namesInOriginalScript":["张伟"],"dateOfBirth":"1980-06","sex":"male","nationalities":["CHN"],"identityDocuments":[{"issuer":"CHN","type":"passport","number":"E12345678"}]}"#
            ),
            (
                "BRA",
                #"{"category":"missing","familyName":"SANTOS","forenames":"Ana Beatriz","dateOfBirth":"2011-02-14","sex":"female","nationalities":["BRA"]}"#
            ),
        ]
        for person in people {
            let request = try ConcordJSON.decoder().decode(NominalPersonRequest.self, from: Data(person.json.utf8))
            _ = try await concord.persons.record(
                request, by: .key("demo-seed-\(person.owner)", role: .ncbOfficer, member: MemberCode(person.owner)))
        }
        return people.count
    }
}
