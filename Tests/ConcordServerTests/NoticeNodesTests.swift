import ConcordCore
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import Logging
import Testing

/// Several nodes on one store: each answers about notices the others wrote, and publications
/// racing on different nodes never share a reference.
@Suite("Notices across nodes")
struct NoticeNodesTests {
    static let owner = Principal.key("key_fra", role: .ncbOfficer, member: MemberCode("FRA"))
    static let reviewer = Principal.key("key_gs", role: .secretariatReviewer, member: nil)

    static func request(_ json: String) throws -> NoticeRequest {
        try ConcordJSON.decoder().decode(NoticeRequest.self, from: Data(json.utf8))
    }

    static func submitted(_ node: Concord, family: String, document: String) async throws -> RecordID {
        let draft = try await node.notices.create(
            try request(NoticeJSON.red(family: family, document: document)), by: owner)
        let id = RecordID(rawValue: draft.id)
        _ = try await node.notices.submit(id, by: owner)
        return id
    }

    @Test("a notice published on one node is served by another at once, numbered apart", arguments: Backend.allCases)
    func twoNodes(_ backend: Backend) async throws {
        let fixture = try await ServerFixture.make(backend)
        let first = fixture.concord
        let second = try await Concord.start(
            store: fixture.store, logger: Logger(label: "test"), now: fixture.clock.now)
        let publish = try ConcordJSON.decoder().decode(NoticeDecision.self, from: Data(#"{"decision":"publish"}"#.utf8))
        let onFirst = try await Self.submitted(first, family: "Dupont", document: "12AB34567")
        let onSecond = try await Self.submitted(second, family: "Martin", document: "99ZZ11111")

        // Each node decides on a request the other one drafted, at the same time.
        async let fromFirst = first.notices.decide(onSecond, publish, by: Self.reviewer)
        async let fromSecond = second.notices.decide(onFirst, publish, by: Self.reviewer)
        let references = [try await fromFirst.reference, try await fromSecond.reference].compactMap { $0 }
        #expect(
            Set(references) == [NoticeReference(year: 2027, sequence: 1)!, NoticeReference(year: 2027, sequence: 2)!])

        for node in [first, second] {
            let page = try await node.publicNotices.search(
                .red, PublicNoticeQuery(), page: 1, resultPerPage: 20, by: .anonymous)
            #expect(page.total == 2)
        }
        let check = try await second.documents.check(
            DocumentCheckRequest(documents: [.fields(issuer: IssuerCode("FRA")!, type: .passport, number: "99ZZ11111")]
            ),
            by: .key("key_deu", role: .ncbOfficer, member: MemberCode("DEU")))
        #expect(check.results.first?.notice?.id == onSecond)
        await fixture.test.close()
    }
}
