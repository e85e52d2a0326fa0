import Foundation
import Testing

@testable import ConcordCore

@Suite struct NoticeLifecycleTests {
    typealias F = NoticeFixtures

    enum Actor: String, CaseIterable, Sendable {
        case ownerOfficer, ownerAdmin, otherNCB, ownerFrontline, reviewer, reviewerForOwner, reviewerForOther
        case secretariatAdmin, ccf, system, anonymous

        var principal: Principal {
            switch self {
            case .ownerOfficer: F.principal(.ncbOfficer, "FRA")
            case .ownerAdmin: F.principal(.ncbAdmin, "FRA")
            case .otherNCB: F.principal(.ncbOfficer, "DEU")
            case .ownerFrontline: F.principal(.frontline, "FRA")
            case .reviewer: F.principal(.secretariatReviewer)
            case .reviewerForOwner: F.principal(.secretariatReviewer, "FRA")
            case .reviewerForOther: F.principal(.secretariatReviewer, "DEU")
            case .secretariatAdmin: F.principal(.secretariatAdmin)
            case .ccf: F.principal(.ccf)
            case .system: .localOperator
            case .anonymous: .anonymous
            }
        }
    }

    /// Written by hand from the lifecycle rules; everything not listed is refused.
    static let allowed: [NoticeState: [NoticeState: Set<Actor>]] = {
        let owner: Set<Actor> = [.ownerOfficer, .ownerAdmin]
        let secretariat: Set<Actor> = [.reviewer, .reviewerForOther]
        return [
            .draft: [.submitted: owner, .cancelled: owner],
            .returned: [.submitted: owner, .cancelled: owner],
            .submitted: [.published: secretariat, .refused: secretariat, .returned: secretariat, .cancelled: owner],
            .published: [
                .cancelled: owner, .expired: secretariat.union([.system]), .withdrawn: secretariat.union([.ccf]),
            ],
        ]
    }()

    @Test(arguments: NoticeState.allCases)
    func everyTransitionIsAllowedExactlyForItsActors(from: NoticeState) throws {
        let notice = try F.notice(in: from)
        for to in NoticeState.allCases {
            let edge = Self.allowed[from]?[to]
            for actor in Actor.allCases {
                let attempt = {
                    try Notices.transition(
                        notice, to: to, by: actor.principal, reasons: ["because"], reference: F.reference,
                        at: notice.envelope.reviewDate)
                }
                if edge?.contains(actor) == true {
                    let (moved, transition) = try attempt()
                    #expect(moved.state == to, "\(from) → \(to) by \(actor)")
                    #expect(transition.from == from && transition.to == to && transition.actor == actor.principal.actor)
                } else {
                    do {
                        _ = try attempt()
                        Issue.record("\(from) → \(to) by \(actor) was allowed")
                    } catch let error as DomainError {
                        // A transition that exists is forbidden to the wrong actor; one that does
                        // not exist is a conflict with the state, whoever asks.
                        switch (edge, error) {
                        case (.some, .forbidden), (nil, .conflict): break
                        default: Issue.record("\(from) → \(to) by \(actor): \(error)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: [Actor.ownerOfficer, .ownerAdmin, .reviewerForOwner, .otherNCB, .ownerFrontline])
    func noMemberPublishesItsOwnRequest(actor: Actor) throws {
        let submitted = try F.notice(in: .submitted)
        #expect(throws: DomainError.self) {
            try Notices.transition(submitted, to: .published, by: actor.principal, reference: F.reference, at: F.now)
        }
    }

    @Test func refusingReturningAndWithdrawingNeedReasons() throws {
        let submitted = try F.notice(in: .submitted)
        for state in [NoticeState.refused, .returned] {
            #expect(throws: DomainError.invalid(field: "reasons", "give the reasons for a \(state.rawValue) notice")) {
                try Notices.transition(submitted, to: state, by: F.reviewer, reasons: ["  "], at: F.now)
            }
        }
        let published = try F.notice(in: .published)
        #expect(throws: DomainError.self) {
            try Notices.transition(published, to: .withdrawn, by: Actor.ccf.principal, at: F.now)
        }
        let (withdrawn, transition) = try Notices.transition(
            published, to: .withdrawn, by: Actor.ccf.principal, reasons: [" CCF decision 2025/07 "], at: F.now)
        #expect(transition.authority == .ccf)
        #expect(transition.reasons == ["CCF decision 2025/07"])
        #expect(transition.action == "notice.withdrawn")
        #expect(withdrawn.envelope.status == .withdrawn)
        #expect(withdrawn.history.last == transition)
    }

    @Test func publishingGivesTheReferenceAndNeedsOne() throws {
        let submitted = try F.notice(in: .submitted)
        #expect(throws: DomainError.self) {
            try Notices.transition(submitted, to: .published, by: F.reviewer, at: F.now)
        }
        let (published, transition) = try Notices.transition(
            submitted, to: .published, by: F.reviewer, reference: F.reference, at: F.now)
        #expect(published.reference?.description == "2025/00042")
        #expect(published.publishedAt == F.now)
        #expect(transition.authority == .secretariat && transition.owner == F.owner)
        #expect(published.envelope.status == .active)
    }

    @Test func anIncompleteRequestCannotBeSubmitted() throws {
        var request = F.red()
        request.judicial = nil
        let draft = Notices.draft(request, owner: F.owner, id: RecordID(rawValue: "n"), now: F.now)
        #expect(throws: ValidationFailure([FieldIssue("judicial", "required")])) {
            try Notices.transition(draft, to: .submitted, by: F.ownerOfficer, at: F.now)
        }
    }

    @Test func expiryWaitsForTheReviewDate() throws {
        let published = try F.notice(in: .published)
        #expect(published.envelope.reviewDate == instant("2030-03-01T09:00:00Z"))
        #expect(throws: DomainError.conflict("the notice's review date has not passed")) {
            try Notices.transition(published, to: .expired, by: .localOperator, at: instant("2030-02-28T09:00:00Z"))
        }
        let (_, transition) = try Notices.transition(
            published, to: .expired, by: .localOperator, at: instant("2030-03-01T09:00:00Z"))
        #expect(transition.authority == .system)
    }

    @Test func onlyTheOwnerEditsAndOnlyDraftsOrReturnedRequests() throws {
        var changed = F.red()
        changed.subjects[0].forenames = "Jean"
        for state in [NoticeState.draft, .returned] {
            let notice = try F.notice(in: state)
            let edited = try Notices.edit(notice, to: changed, by: F.ownerOfficer, at: F.now)
            #expect(edited.content == changed && edited.version == notice.version + 1)
            #expect(throws: DomainError.self) {
                try Notices.edit(notice, to: changed, by: Actor.otherNCB.principal, at: F.now)
            }
            #expect(throws: DomainError.self) {
                try Notices.edit(notice, to: F.complete(.blue), by: F.ownerOfficer, at: F.now)
            }
        }
        for state in [NoticeState.submitted, .published, .refused] {
            #expect(throws: DomainError.self) {
                try Notices.edit(try F.notice(in: state), to: changed, by: F.ownerOfficer, at: F.now)
            }
        }
    }

    @Test func othersSeeOnlyPublishedNoticesTheOwnerLetsThemSee() throws {
        let other = Actor.otherNCB.principal
        #expect(!Notices.isVisible(try F.notice(in: .submitted), to: other, at: F.now))
        #expect(Notices.isVisible(try F.notice(in: .submitted), to: F.ownerOfficer, at: F.now))
        #expect(Notices.isVisible(try F.notice(in: .submitted), to: F.reviewer, at: F.now))
        #expect(Notices.isVisible(try F.notice(in: .published), to: other, at: F.now))
        #expect(!Notices.isVisible(try F.notice(in: .withdrawn), to: other, at: F.now))
        #expect(!Notices.isVisible(try F.notice(in: .published), to: .anonymous, at: F.now))

        var restricted = F.red()
        restricted.restrictions = Restrictions(visibility: .allExcept([member("DEU")]))
        let published = try F.notice(restricted, in: .published)
        #expect(!Notices.isVisible(published, to: other, at: F.now))
        #expect(Notices.isVisible(published, to: F.principal(.ncbOfficer, "ITA"), at: F.now))
    }
}
