import ConcordCore
import ConcordServer
import Foundation

/// Fictional notices and a diffusion in the states a reviewer and the public meet them in,
/// made through the services as NCBs and the General Secretariat would.
enum DemoNotices {
    static func seed(_ concord: Concord) async throws -> (notices: Int, diffusions: Int) {
        var seeded = (notices: 0, diffusions: 0)
        let reviewer = Principal.key("demo-seed-reviewer", role: .secretariatReviewer, member: nil)
        func officer(_ code: String) -> Principal {
            .key("demo-seed-\(code)", role: .ncbOfficer, member: MemberCode(code))
        }
        func request(_ json: String) throws -> NoticeRequest {
            try ConcordJSON.decoder().decode(NoticeRequest.self, from: Data(json.utf8))
        }
        /// Drafts as `owner`, then takes the steps: submit, and the reviewer's decision.
        func notice(
            _ json: String, by owner: String, submit: Bool = true, decision: NoticeDecision.Outcome? = nil
        )
            async throws
        {
            let id = RecordID(rawValue: try await concord.notices.create(request(json), by: officer(owner)).id)
            if submit { _ = try await concord.notices.submit(id, by: officer(owner)) }
            if let decision {
                let body = #"{"decision":"\#(decision.rawValue)","reasons":["Demo decision"]}"#
                let parsed = try ConcordJSON.decoder().decode(NoticeDecision.self, from: Data(body.utf8))
                _ = try await concord.notices.decide(id, parsed, by: reviewer)
            }
            seeded.notices += 1
        }

        try await notice(
            red("DUPONT", "Jean Marc", "1980-05-12", "FRA", "12AB34567", "Armed robbery"), by: "FRA", decision: .publish
        )
        try await notice(
            red("MÜLLER", "Anna", "1991-11-03", "DEU", "C01X00T47", "Murder"), by: "DEU", decision: .publish)
        try await notice(
            red("SILVA", "Pedro", "1975", "BRA", "FA123456", "Drug trafficking"), by: "BRA", decision: .publish)
        try await notice(
            #"{"type":"yellow","subjects":[{"familyName":"ROSSI","forenames":"Giulia","dateOfBirth":"2012-06-01","sex":"female","nationalities":["ITA"]}],"disappearance":{"date":"2026-09-14","place":"Napoli","circumstances":{"text":"Left school and never came home.","language":"en","translations":{"it":"Uscita da scuola, non è più tornata a casa."}}},"publicExtractConsent":true}"#,
            by: "ITA", decision: .publish)
        try await notice(
            #"{"type":"silver","assets":{"assets":[{"kind":"bank-account","description":"Current account","identifier":"FR7630006000011234567890189","holder":"Jean Marc DUPONT"}],"linkToCrime":{"text":"Proceeds of the robbery were paid into the account.","language":"en"},"actionRequested":"Locate and report the balance"}}"#,
            by: "FRA", decision: .publish)
        try await notice(
            red("IVANOV", "Pavel", "1969-02-20", "DEU", "C55Y12P90", "Insulting the head of state at a protest"),
            by: "DEU")
        try await notice(red("TANAKA", "Hiro", "1988-08-08", "JPN", "TK1234567", "Fraud"), by: "JPN")
        try await notice(
            red("KAMAU", "David", "1990-01-01", "KEN", "A1234567", "Bounced cheque"), by: "KEN", decision: .refuse)
        try await notice(
            #"{"type":"green","subjects":[{"familyName":"BROWN","dateOfBirth":"1970"}]}"#, by: "CAN", submit: false)

        let diffusion = try ConcordJSON.decoder().decode(
            DiffusionRequest.self,
            from: Data(
                #"{"kind":"wanted","recipients":["DEU","ITA","ESP"],"subjects":[{"familyName":"MOREAU","forenames":"Luc","dateOfBirth":"1985-03-30","nationalities":["FRA"]}],"summary":{"text":"Wanted for armed robbery; arrest with a view to extradition.","language":"en"}}"#
                    .utf8))
        _ = try await concord.diffusions.circulate(diffusion, by: officer("FRA"))
        seeded.diffusions += 1
        return seeded
    }

    /// A complete red notice request whose owner consents to a public extract.
    static func red(
        _ family: String, _ forenames: String, _ born: String, _ nationality: String, _ passport: String,
        _ offence: String
    ) -> String {
        let issuer = Members.member(MemberCode(nationality)!).issuer.rawValue
        return
            #"{"type":"red","subjects":[{"familyName":"\#(family)","forenames":"\#(forenames)","dateOfBirth":"\#(born)","sex":"male","nationalities":["\#(nationality)"],"identityDocuments":[{"issuer":"\#(issuer)","type":"passport","number":"\#(passport)"}]}],"judicial":{"warrant":{"kind":"arrest-warrant","reference":"\#(nationality)-2026-\#(passport.suffix(3))","issuingAuthority":"Investigating judge","date":"2026-02-01"},"charges":[{"offence":{"text":"\#(offence)","language":"en"},"facts":{"summary":{"text":"\#(offence) committed in the capital in January 2026.","language":"en"},"date":"2026-01-15","place":"Capital city"},"law":"Criminal code","penalty":{"basis":"prosecution","months":120}}]},"publicExtractConsent":true}"#
    }
}
