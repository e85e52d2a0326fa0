import Foundation
import Testing

@testable import ConcordCore

@Suite struct DiffusionTests {
    typealias F = NoticeFixtures

    static func request(to recipients: DiffusionRecipients) -> DiffusionRequest {
        DiffusionRequest(
            kind: .wanted, recipients: recipients, subjects: [F.person], summary: F.text("Wanted for armed robbery."))
    }

    static func circulated(to recipients: DiffusionRecipients) throws -> Diffusion {
        try Diffusions.circulate(
            request(to: recipients), owner: F.owner, id: RecordID(rawValue: "diffusion-1"), now: F.now)
    }

    static let listed = DiffusionRecipients.listed([member("DEU"), member("ITA")])

    @Test func recipientsSeeItAtOnceOthersNever() throws {
        let diffusion = try Self.circulated(to: Self.listed)
        #expect(diffusion.state == .circulated)
        let cases: [(Principal, Bool)] = [
            (F.principal(.ncbOfficer, "DEU"), true), (F.principal(.ncbAdmin, "ITA"), true),
            (F.principal(.ncbOfficer, "ESP"), false), (F.principal(.ncbOfficer, "FRA"), true),
            (F.principal(.secretariatReviewer), true), (F.principal(.ccf), true),
            (F.principal(.frontline, "DEU"), false), (F.principal(.partner, "DEU"), false), (.anonymous, false),
        ]
        for (principal, visible) in cases {
            #expect(Diffusions.isVisible(diffusion, to: principal) == visible, "\(principal.actor)")
        }
        // The envelope carries the same limits, so paths that only ask the policy agree.
        let facts = diffusion.envelope.facts(at: F.now)
        #expect(Policy.decide(F.principal(.ncbOfficer, "ESP"), .read, .record(facts)) == .deny(.hidden))
        #expect(Policy.decide(F.principal(.ncbOfficer, "DEU"), .read, .record(facts)) == .allow(.full))
    }

    @Test func sentToAllItReachesEveryOtherMember() throws {
        let diffusion = try Self.circulated(to: .allMembers)
        let recipients = Diffusions.recipients(of: diffusion)
        #expect(recipients.count == Members.all.count - 1)
        #expect(!recipients.contains(F.owner))
        #expect(Diffusions.isVisible(diffusion, to: F.principal(.ncbOfficer, "ESP")))
    }

    @Test func aNonCompliantDiffusionTellsEveryRecipientAndStopsBeingServed() throws {
        let diffusion = try Self.circulated(to: Self.listed)
        let (reviewed, transition, notices) = try Diffusions.review(
            diffusion, compliant: false, by: F.reviewer, reasons: ["Predominantly political"], at: F.now)
        #expect(reviewed.state == .nonCompliant)
        #expect(transition.action == "diffusion.non-compliant" && transition.authority == .secretariat)
        #expect(notices.map(\.recipient) == [member("DEU"), member("ITA")])
        #expect(notices.allSatisfy { $0.message.contains("update your national records") })
        #expect(notices.allSatisfy { $0.reasons == ["Predominantly political"] && $0.diffusion == diffusion.id })
        #expect(!Diffusions.isVisible(reviewed, to: F.principal(.ncbOfficer, "DEU")))
        #expect(Diffusions.isVisible(reviewed, to: F.ownerOfficer))
        #expect(!reviewed.envelope.facts(at: F.now).isServed)

        let everyone = try Self.circulated(to: .allMembers)
        let (_, _, all) = try Diffusions.review(everyone, compliant: false, by: F.reviewer, reasons: ["r"], at: F.now)
        #expect(all.count == Members.all.count - 1)
    }

    @Test func aCompliantDiffusionStaysServedAndTellsNobody() throws {
        let (reviewed, _, notices) = try Diffusions.review(
            try Self.circulated(to: Self.listed), compliant: true, by: F.reviewer, at: F.now)
        #expect(reviewed.state == .compliant && notices.isEmpty)
        #expect(Diffusions.isVisible(reviewed, to: F.principal(.ncbOfficer, "ITA")))
    }

    @Test func onlyTheSecretariatReviewsAndNeverTwiceNorWithoutReasons() throws {
        let diffusion = try Self.circulated(to: Self.listed)
        for principal in [F.ownerOfficer, F.principal(.secretariatReviewer, "FRA"), F.principal(.ccf)] {
            #expect(throws: DomainError.self) {
                try Diffusions.review(diffusion, compliant: true, by: principal, at: F.now)
            }
        }
        #expect(throws: DomainError.self) {
            try Diffusions.review(diffusion, compliant: false, by: F.reviewer, at: F.now)
        }
        let (reviewed, _, _) = try Diffusions.review(diffusion, compliant: true, by: F.reviewer, at: F.now)
        #expect(throws: DomainError.self) {
            try Diffusions.review(reviewed, compliant: false, by: F.reviewer, reasons: ["late"], at: F.now)
        }
    }

    @Test func onlyTheOwnerCancelsAndRecipientsAreTold() throws {
        let diffusion = try Self.circulated(to: Self.listed)
        #expect(throws: DomainError.self) {
            try Diffusions.cancel(diffusion, by: F.principal(.ncbOfficer, "DEU"), at: F.now)
        }
        let (cancelled, transition, notices) = try Diffusions.cancel(diffusion, by: F.ownerOfficer, at: F.now)
        #expect(cancelled.state == .cancelled && transition.authority == .owner)
        #expect(notices.count == 2)
        #expect(!Diffusions.isVisible(cancelled, to: F.principal(.ncbOfficer, "DEU")))
        #expect(throws: DomainError.self) { try Diffusions.cancel(cancelled, by: F.ownerOfficer, at: F.now) }
    }

    @Test func invalidRequestsReportEveryIssue() {
        let request = DiffusionRequest(
            kind: .missing, recipients: .listed([F.owner]), subjects: [], summary: F.text(" "))
        #expect(
            throws: ValidationFailure([
                FieldIssue("recipients", "the owner does not send to itself"),
                FieldIssue("subjects", "required: the person the diffusion is about"),
                FieldIssue("summary.text", "must not be blank"),
            ])
        ) {
            try Diffusions.circulate(request, owner: F.owner, id: RecordID(rawValue: "d"), now: F.now)
        }
    }

    @Test func recipientsDecodeFromAllOrAList() throws {
        #expect(try decode(DiffusionRecipients.self, #""all""#) == .allMembers)
        #expect(try decode(DiffusionRecipients.self, #"["deu", "ITA"]"#) == Self.listed)
        #expect(throws: DecodingError.self) { try decode(DiffusionRecipients.self, #""some""#) }
    }
}
