import Foundation
import Testing

@testable import ConcordCore

@Suite struct JournalTests {
    static func draft(_ number: Int) -> JournalDraft {
        JournalDraft(
            category: number.isMultiple(of: 3) ? .query : .write,
            time: 1_750_000_000_000_000 + Int64(number) * 1_000, actor: "key_\(number)",
            role: "ncb.officer", member: "FRA", action: "documents.create",
            targets: ["record-\(number)", "record-\(number + 1)"], purpose: "border-management",
            outcome: "ok")
    }

    static func chain(_ count: Int) -> [JournalEntry] {
        JournalChain.seal((1...count).map(draft), after: 0, previousHash: JournalChain.genesis)
    }

    static func verify(
        _ entries: [JournalEntry], head: (position: Int64, hash: String)?
    )
        -> JournalChain.Verdict
    {
        var verifier = JournalChain.Verifier()
        entries.forEach { verifier.consume($0) }
        return verifier.finish(head: head)
    }

    static func head(_ entries: [JournalEntry]) -> (position: Int64, hash: String)? {
        entries.last.map { ($0.position, $0.hash) }
    }

    static func brokenPosition(_ verdict: JournalChain.Verdict) -> Int64? {
        if case .broken(let position, _) = verdict { return position }
        return nil
    }

    // MARK: - Sealing

    @Test func sealingNumbersAndLinksEntries() {
        let entries = Self.chain(5)
        #expect(entries.map(\.position) == [1, 2, 3, 4, 5])
        #expect(entries[0].previousHash == JournalChain.genesis)
        for (before, after) in zip(entries, entries.dropFirst()) {
            #expect(after.previousHash == before.hash)
        }
        #expect(Set(entries.map(\.hash)).count == 5)
        #expect(entries.map(\.draft) == (1...5).map(Self.draft))
    }

    @Test func genesisIsSixtyFourZeros() {
        #expect(JournalChain.genesis.count == 64)
        #expect(JournalChain.genesis.allSatisfy { $0 == "0" })
    }

    @Test func hashesAreLowercaseHexSHA256() {
        for entry in Self.chain(3) {
            #expect(entry.hash.count == 64)
            #expect(entry.hash.allSatisfy { "0123456789abcdef".contains($0) })
        }
    }

    /// A store appends batch after batch; the chain must not depend on how writes were grouped.
    @Test func sealingInBatchesEqualsSealingAtOnce() {
        let whole = Self.chain(7)
        let first = JournalChain.seal((1...3).map(Self.draft), after: 0, previousHash: JournalChain.genesis)
        let rest = JournalChain.seal((4...7).map(Self.draft), after: 3, previousHash: first[2].hash)
        #expect(first + rest == whole)
    }

    @Test func sealingNothingReturnsNothing() {
        #expect(JournalChain.seal([], after: 4, previousHash: JournalChain.genesis).isEmpty)
    }

    @Test func hashOfAnEntryNeverChanges() {
        // Journals already written must verify for ever: these are SHA-256 of the documented
        // byte layout (length-prefixed fields, "-;" for an absent one), computed outside Swift.
        #expect(
            JournalChain.hash(position: 1, draft: Self.draft(1), previousHash: JournalChain.genesis)
                == "4f9fd256933f30f4522c8e617fe9a269226f8f1eb0c921a2eb9b4d825d12429d")
        let system = JournalDraft(
            category: .query, time: 1_750_000_000_001_000, actor: "system", role: nil, member: nil,
            action: "notice.upkeep", targets: [], purpose: nil, outcome: "expired 0")
        #expect(
            JournalChain.hash(position: 7, draft: system, previousHash: JournalChain.genesis)
                == "03634c48c506293fd23072b453514ba189e832f154370751e9227bfa390e7766")
    }

    @Test func hashIsDeterministic() {
        let draft = Self.draft(1)
        let first = JournalChain.hash(position: 1, draft: draft, previousHash: JournalChain.genesis)
        let second = JournalChain.hash(position: 1, draft: draft, previousHash: JournalChain.genesis)
        #expect(first == second)
        #expect(Self.chain(4) == Self.chain(4))
    }

    @Test func hashCoversPositionAndPreviousHash() {
        let draft = Self.draft(1)
        let base = JournalChain.hash(position: 1, draft: draft, previousHash: JournalChain.genesis)
        #expect(JournalChain.hash(position: 2, draft: draft, previousHash: JournalChain.genesis) != base)
        let otherPrevious = String(repeating: "f", count: 64)
        #expect(JournalChain.hash(position: 1, draft: draft, previousHash: otherPrevious) != base)
    }

    /// Length prefixes keep bytes from moving between neighbouring fields.
    @Test(arguments: [
        (["ab"], ["a", "b"]),
        (["a,b"], ["a", "b"]),
        (["", "a"], ["a"]),
        ([""], []),
        (["1:a"], ["a"]),
    ])
    func targetsSplitDifferentlyHashDifferently(left: [String], right: [String]) {
        var one = Self.draft(1)
        var two = Self.draft(1)
        one.targets = left
        two.targets = right
        #expect(
            JournalChain.hash(position: 1, draft: one, previousHash: JournalChain.genesis)
                != JournalChain.hash(position: 1, draft: two, previousHash: JournalChain.genesis))
    }

    @Test func bytesCannotMoveBetweenFields() {
        var one = Self.draft(1)
        var two = Self.draft(1)
        one.actor = "key_ab"
        one.role = "c"
        two.actor = "key_a"
        two.role = "bc"
        #expect(
            JournalChain.hash(position: 1, draft: one, previousHash: JournalChain.genesis)
                != JournalChain.hash(position: 1, draft: two, previousHash: JournalChain.genesis))
    }

    @Test func absentAndEmptyOptionalFieldsHashDifferently() {
        var absent = Self.draft(1)
        absent.role = nil
        absent.member = nil
        absent.purpose = nil
        var empty = absent
        empty.role = ""
        #expect(
            JournalChain.hash(position: 1, draft: absent, previousHash: JournalChain.genesis)
                != JournalChain.hash(position: 1, draft: empty, previousHash: JournalChain.genesis))
        // An absent role followed by a member must not read like a member followed by no purpose.
        var shifted = absent
        shifted.member = "FRA"
        var other = absent
        other.purpose = "FRA"
        #expect(
            JournalChain.hash(position: 1, draft: shifted, previousHash: JournalChain.genesis)
                != JournalChain.hash(position: 1, draft: other, previousHash: JournalChain.genesis))
    }

    // MARK: - Drafts

    @Test func draftFromPrincipalRecordsWhoActed() throws {
        let france = try #require(MemberCode("FRA"))
        let time = Date(timeIntervalSince1970: 1_750_000_000.123456)
        let draft = JournalDraft(
            category: .write, time: time, principal: .key("key_1", role: .ncbAdmin, member: france),
            action: "keys.issue", targets: ["key_2"], purpose: .borderManagement, outcome: "ok")
        #expect(draft.actor == "key_1")
        #expect(draft.role == "ncb.admin")
        #expect(draft.member == "FRA")
        #expect(draft.purpose == "border-management")
        #expect(draft.time == 1_750_000_000_123_456)
        #expect(abs(draft.date.timeIntervalSince(time)) < 0.000_001)

        let local = JournalDraft(
            category: .query, time: time, principal: .localOperator, action: "journal.verify",
            targets: [], purpose: nil, outcome: "ok")
        #expect(local.actor == "local-operator")
        #expect(local.role == nil)
        #expect(local.member == nil)
        #expect(local.purpose == nil)

        let anonymous = JournalDraft(
            category: .query, time: time, principal: .anonymous, action: "public.notices",
            targets: [], purpose: nil, outcome: "ok")
        #expect(anonymous.actor == "anonymous")
    }

    @Test(arguments: [
        (0.0, Int64(0)), (1.5, 1_500_000), (-2.25, -2_250_000), (1_750_000_000.5, 1_750_000_000_500_000),
    ])
    func microsecondsRoundTrip(seconds: Double, expected: Int64) {
        let micros = JournalDraft.microseconds(Date(timeIntervalSince1970: seconds))
        #expect(micros == expected)
        var draft = Self.draft(1)
        draft.time = micros
        #expect(JournalDraft.microseconds(draft.date) == micros)
    }

    // MARK: - Verification

    @Test(arguments: [0, 1, 2, 50])
    func soundChainVerifies(count: Int) {
        let entries = count == 0 ? [] : Self.chain(count)
        #expect(Self.verify(entries, head: Self.head(entries)) == .sound(entries: Int64(count)))
    }

    /// Every field the journal records is covered by the hash: changing any one of them in entry 3
    /// of 5 is reported at position 3.
    @Test(arguments: [
        "actor", "role", "member", "action", "targets", "purpose", "outcome", "time", "category",
        "role removed", "targets reordered", "target added",
    ])
    func modifiedFieldIsDetectedAtItsPosition(field: String) throws {
        var entries = Self.chain(5)
        var draft = entries[2].draft
        switch field {
        case "actor": draft.actor = "key_intruder"
        case "role": draft.role = "ccf"
        case "member": draft.member = "DEU"
        case "action": draft.action = "documents.withdraw"
        case "targets": draft.targets[0] = "record-99"
        case "purpose": draft.purpose = "investigation"
        case "outcome": draft.outcome = "denied"
        case "time": draft.time += 1
        case "category": draft.category = draft.category == .write ? .query : .write
        case "role removed": draft.role = nil
        case "targets reordered": draft.targets.reverse()
        case "target added": draft.targets.append("record-100")
        default: Issue.record("unknown field \(field)")
        }
        try #require(draft != entries[2].draft)
        entries[2].draft = draft
        let verdict = Self.verify(entries, head: Self.head(entries))
        #expect(Self.brokenPosition(verdict) == 3, "\(verdict)")
    }

    /// A forger who also recomputes the entry's hash breaks the link of the next entry instead.
    @Test func rehashedForgeryBreaksTheNextLink() {
        var entries = Self.chain(5)
        entries[2].draft.outcome = "denied"
        entries[2].hash = JournalChain.hash(
            position: 3, draft: entries[2].draft, previousHash: entries[2].previousHash)
        #expect(Self.brokenPosition(Self.verify(entries, head: Self.head(entries))) == 4)
    }

    @Test func modifiedHashOrLinkIsDetected() {
        var badHash = Self.chain(5)
        badHash[1].hash = String(repeating: "a", count: 64)
        #expect(Self.brokenPosition(Self.verify(badHash, head: Self.head(badHash))) == 2)

        var badLink = Self.chain(5)
        badLink[3].previousHash = JournalChain.genesis
        #expect(Self.brokenPosition(Self.verify(badLink, head: Self.head(badLink))) == 4)
    }

    @Test(arguments: [0, 2, 4])
    func deletedEntryIsReportedWhereItIsMissing(index: Int) {
        let original = Self.chain(6)
        var entries = original
        entries.remove(at: index)
        // The head still names the last entry of the original chain.
        let verdict = Self.verify(entries, head: Self.head(original))
        #expect(Self.brokenPosition(verdict) == Int64(index + 1), "\(verdict)")
    }

    @Test func swappedEntriesAreDetectedAtTheFirstSwappedPosition() {
        var entries = Self.chain(6)
        entries.swapAt(2, 3)
        #expect(Self.brokenPosition(Self.verify(entries, head: Self.head(Self.chain(6)))) == 3)
    }

    /// Swapping the contents but keeping the positions in order breaks the chain just as well.
    @Test func swappedContentsAreDetectedAtTheFirstSwappedPosition() {
        var entries = Self.chain(6)
        let third = entries[2]
        let fourth = entries[3]
        entries[2] = JournalEntry(
            position: 3, draft: fourth.draft, previousHash: fourth.previousHash, hash: fourth.hash)
        entries[3] = JournalEntry(
            position: 4, draft: third.draft, previousHash: third.previousHash, hash: third.hash)
        #expect(Self.brokenPosition(Self.verify(entries, head: Self.head(entries))) == 3)
    }

    @Test func duplicatedEntryIsDetected() {
        var entries = Self.chain(4)
        entries.insert(entries[1], at: 2)
        #expect(Self.brokenPosition(Self.verify(entries, head: Self.head(Self.chain(4)))) == 3)
    }

    @Test func chainThatDoesNotStartAtGenesisIsBroken() {
        let entries = JournalChain.seal(
            (1...3).map(Self.draft), after: 0, previousHash: String(repeating: "1", count: 64))
        #expect(Self.brokenPosition(Self.verify(entries, head: Self.head(entries))) == 1)
    }

    @Test(arguments: [1, 3, 5])
    func truncatedTailIsCaughtByTheHead(kept: Int) {
        let original = Self.chain(6)
        let truncated = Array(original.prefix(kept))
        // Without the head, a cut chain is internally consistent...
        #expect(Self.verify(truncated, head: Self.head(truncated)) == .sound(entries: Int64(kept)))
        // ...and the store's head is what gives it away, at the first missing position.
        let verdict = Self.verify(truncated, head: Self.head(original))
        #expect(Self.brokenPosition(verdict) == Int64(kept + 1), "\(verdict)")
    }

    @Test func everythingDeletedIsCaughtByTheHead() {
        let original = Self.chain(3)
        #expect(Self.brokenPosition(Self.verify([], head: Self.head(original))) == 1)
    }

    @Test func entriesBeyondAnEmptyHeadAreReported() {
        let entries = Self.chain(2)
        #expect(Self.brokenPosition(Self.verify(entries, head: nil)) == 1)
    }

    @Test func headWithAnotherHashIsReported() {
        let entries = Self.chain(4)
        let verdict = Self.verify(entries, head: (4, String(repeating: "b", count: 64)))
        #expect(Self.brokenPosition(verdict) == 4)
    }

    /// The first failure wins: later damage must not move the reported position.
    @Test func onlyTheFirstBreakIsReported() {
        var entries = Self.chain(8)
        entries[1].draft.actor = "key_intruder"
        entries[5].draft.actor = "key_intruder"
        entries.remove(at: 6)
        var verifier = JournalChain.Verifier()
        for entry in entries { verifier.consume(entry) }
        #expect(Self.brokenPosition(verifier.finish(head: Self.head(Self.chain(8)))) == 2)
        // The verifier stops advancing at the last good entry.
        #expect(verifier.position == 1)
        #expect(verifier.hash == Self.chain(1)[0].hash)
    }

    @Test func verifierCanBeFedPageByPage() {
        let entries = Self.chain(10)
        var verifier = JournalChain.Verifier()
        for page in stride(from: 0, to: 10, by: 3) {
            for entry in entries[page..<min(page + 3, 10)] { verifier.consume(entry) }
            #expect(verifier.position == Int64(min(page + 3, 10)))
        }
        #expect(verifier.finish(head: Self.head(entries)) == .sound(entries: 10))
    }
}
