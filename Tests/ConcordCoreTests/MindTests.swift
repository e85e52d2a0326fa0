import Foundation
import Testing

@testable import ConcordCore

@Suite struct MindTests {
    static let now = instant("2027-01-15T08:00:00Z")
    static let deu = Principal.key("key_deu", role: .ncbOfficer, member: member("DEU"))

    static func record(
        _ number: String, owner: String = "FRA", restrictions: Restrictions = .none, withdrawn: Bool = false,
        created: Date = instant("2026-03-01T00:00:00Z")
    ) throws -> TravelDocumentRecord {
        let request = NewTravelDocument(
            issuer: issuer(owner == "DEU" ? "D" : owner), type: .passport, number: number, status: .stolen,
            restrictions: restrictions)
        var record = try TravelDocuments.record(request, owner: member(owner), id: .random(), now: created)
        if withdrawn { record = try TravelDocuments.withdraw(record, now: created) }
        return record
    }

    @Test func aBundleHoldsWhatTheMemberMayCheckAndMentionsNothingElse() throws {
        let hiddenFromDEU = Restrictions(visibility: .allExcept([member("DEU")]))
        let cases: [(TravelDocumentRecord, String)] = [
            (try Self.record("A1"), "include"),
            (try Self.record("A2", restrictions: Restrictions(visibility: .onlyListed([member("DEU")]))), "include"),
            (try Self.record("A3", withdrawn: true), "remove"),
            // Past its review date: served to nobody, once seen by DEU.
            (try Self.record("A4", created: instant("2016-01-01T00:00:00Z")), "remove"),
            (try Self.record("A5", restrictions: hiddenFromDEU), "omit"),
            (try Self.record("A6", restrictions: hiddenFromDEU, withdrawn: true), "omit"),
            (
                try Self.record(
                    "A7", owner: "DEU", restrictions: Restrictions(visibility: .onlyListed([member("ITA")]))), "include"
            ),
            (try Self.record("A8", owner: "DEU", withdrawn: true), "remove"),
        ]
        for (record, expected) in cases {
            let entry = MindExport.entry(for: record, principal: Self.deu, at: Self.now)
            switch (entry, expected) {
            case (.include(let document), "include"):
                #expect(document == MindDocument(record))
            case (.remove(let id), "remove"):
                #expect(id == record.envelope.id)
            case (.omit, "omit"):
                break
            default:
                Issue.record("\(record.document.number): expected \(expected), got \(entry)")
            }
        }
    }

    static func signed(_ bundle: MindBundle, _ key: MindSigningKey) throws -> (Data, Data) {
        let data = try ConcordJSON.encoder().encode(bundle)
        return (data, try key.sign(data))
    }

    @Test func aReplicaFollowsAnUnbrokenChainOfSignedBundles() throws {
        let key = MindSigningKey()
        let kept = try Self.record("KEEP1")
        let dropped = try Self.record("DROP1")
        let added = try Self.record("ADD1")
        let full = MindBundle(
            member: member("DEU"), generatedAt: Self.now, since: 0, position: 10,
            documents: [MindDocument(kept), MindDocument(dropped)], removed: [])
        let delta = MindBundle(
            member: member("DEU"), generatedAt: Self.now, since: 10, position: 14, documents: [MindDocument(added)],
            removed: [dropped.envelope.id])
        var replica = MindReplica()
        let (fullData, fullSignature) = try Self.signed(full, key)
        try replica.apply(bundle: fullData, signature: fullSignature, trusting: key.publicKey, name: "full")
        let (deltaData, deltaSignature) = try Self.signed(delta, key)
        try replica.apply(bundle: deltaData, signature: deltaSignature, trusting: key.publicKey, name: "delta")
        #expect(replica.position == 14)
        #expect(replica.count == 2)
        let lookup = { (number: String) in
            replica.matches(try DocumentKey(issuer: issuer("FRA"), type: .passport, number: number), at: Self.now)
        }
        #expect(try lookup("keep 1").map(\.id) == [kept.envelope.id])
        #expect(try lookup("DROP1").isEmpty)
        #expect(try lookup("ADD1").map(\.id) == [added.envelope.id])
        // Past its review date, a document no longer matches even though no bundle removed it.
        #expect(
            replica.matches(
                try DocumentKey(issuer: issuer("FRA"), type: .passport, number: "KEEP1"),
                at: kept.envelope.reviewDate + 1
            ).isEmpty)

        // The same delta again no longer continues the chain.
        #expect(throws: MindError.self) {
            try replica.apply(bundle: deltaData, signature: deltaSignature, trusting: key.publicKey, name: "again")
        }
    }

    @Test func anyChangedByteOrAnotherKeyIsRefused() throws {
        let key = MindSigningKey()
        let bundle = MindBundle(
            member: member("DEU"), generatedAt: Self.now, since: 0, position: 3,
            documents: [MindDocument(try Self.record("X1"))], removed: [])
        let (data, signature) = try Self.signed(bundle, key)
        for index in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
            var tampered = data
            tampered[index] ^= 0x01
            var replica = MindReplica()
            #expect(throws: MindError.badSignature("b")) {
                try replica.apply(bundle: tampered, signature: signature, trusting: key.publicKey, name: "b")
            }
        }
        var replica = MindReplica()
        #expect(throws: MindError.badSignature("b")) {
            try replica.apply(bundle: data, signature: signature, trusting: MindSigningKey().publicKey, name: "b")
        }
        try replica.apply(bundle: data, signature: signature, trusting: key.publicKey, name: "b")
        #expect(replica.count == 1)
    }

    @Test func keysRoundTripThroughTheirHexForm() throws {
        let key = MindSigningKey()
        let again = try #require(MindSigningKey(hex: key.hex + "\n"))
        #expect(again.publicKey == key.publicKey)
        #expect(MindPublicKey(hex: key.publicKey.hex) == key.publicKey)
        for bad in ["", "zz", String(repeating: "a", count: 63), String(repeating: "a", count: 66)] {
            #expect(MindSigningKey(hex: bad) == nil)
            #expect(MindPublicKey(hex: bad) == nil)
        }
    }
}
