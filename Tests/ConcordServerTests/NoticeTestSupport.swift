import ConcordCore
import Foundation
import HummingbirdTesting
import Testing

/// Bodies of notice requests, complete unless a test breaks them.
enum NoticeJSON {
    static func subject(
        family: String = "Dupont", forenames: String = "Jean Marc", born: String = "1980-05-12",
        nationality: String = "FRA", document: String = "12AB34567"
    ) -> String {
        #"{"familyName":"\#(family)","forenames":"\#(forenames)","dateOfBirth":"\#(born)","placeOfBirth":"Lyon","sex":"male","nationalities":["\#(nationality)"],"identityDocuments":[{"issuer":"FRA","type":"passport","number":"\#(document)"}]}"#
    }

    static func red(
        family: String = "Dupont", forenames: String = "Jean Marc", born: String = "1980-05-12",
        nationality: String = "FRA", document: String = "12AB34567", offence: String = "Armed robbery",
        consent: Bool = true, restrictions: String? = nil, months: Int = 240
    ) -> String {
        let subject = subject(
            family: family, forenames: forenames, born: born, nationality: nationality, document: document)
        let restricted = restrictions.map { #","restrictions":\#($0)"# } ?? ""
        return
            #"{"type":"red","subjects":[\#(subject)],"judicial":{"warrant":{"kind":"arrest-warrant","reference":"MA-2024-001","issuingAuthority":"Tribunal judiciaire de Lyon","date":"2024-02-01"},"charges":[{"offence":{"text":"\#(offence)","language":"en","translations":{"fr":"Vol à main armée"}},"facts":{"summary":{"text":"On 3 January 2024 the person robbed a bank in Lyon.","language":"en"},"date":"2024-01-03","place":"Lyon"},"law":"Code pénal, art. 311-8","penalty":{"basis":"prosecution","months":\#(months)}}]},"publicExtractConsent":\#(consent)\#(restricted)}"#
    }

    static let silver =
        #"{"type":"silver","assets":{"assets":[{"kind":"bank-account","description":"Current account","identifier":"FR7630006000011234567890189","holder":"Jean Marc Dupont"}],"linkToCrime":{"text":"Proceeds of the robbery were paid in.","language":"en"},"actionRequested":"Locate and report the balance"}}"#

    static func diffusion(recipients: String = #"["ITA","DEU"]"#) -> String {
        #"{"kind":"wanted","recipients":\#(recipients),"subjects":[\#(subject())],"summary":{"text":"Arrest with a view to extradition.","language":"en"}}"#
    }
}

extension TestClientProtocol {
    /// Drafts a notice as `owner` and returns its id.
    func draftNotice(_ json: String, as owner: String, fixture: ServerFixture) async throws -> String {
        let response = try await send(.post, "/v1/notices", as: owner, fixture: fixture, json: json)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try response.json["id"] as? String)
    }

    /// Drafts, submits and publishes a notice; returns its id and reference.
    func publishNotice(
        _ json: String, as owner: String, fixture: ServerFixture
    ) async throws -> (id: String, reference: String) {
        let id = try await draftNotice(json, as: owner, fixture: fixture)
        let submitted = try await send(.post, "/v1/notices/\(id)/submit", as: owner, fixture: fixture)
        #expect(submitted.status == .ok, "\(submitted.text)")
        let published = try await send(
            .post, "/v1/notices/\(id)/decision", as: "reviewer", fixture: fixture, json: #"{"decision":"publish"}"#)
        #expect(published.status == .ok, "\(published.text)")
        return (id, try #require(try published.json["reference"] as? String))
    }
}
