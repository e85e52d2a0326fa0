import Foundation
import Testing

@testable import ConcordCore

@Suite struct APIKeyTests {
    static let now = instant("2025-06-10T12:00:00Z")
    static let france = member("FRA")
    /// Written from the design's table of roles: these act for one member country.
    static let memberRoles: Set<Role> = [.ncbOfficer, .ncbAdmin, .frontline, .delegate, .partner]

    static func memberFor(_ role: Role) -> MemberCode? {
        memberRoles.contains(role) ? france : nil
    }

    static func issue(
        _ role: Role = .ncbOfficer, expiresAt: Date? = nil
    ) throws(DomainError)
        -> IssuedAPIKey
    {
        try APIKeys.issue(role: role, member: memberFor(role), label: "test", expiresAt: expiresAt, now: now)
    }

    @Test func secretCarries256BitsAfterAPrefix() throws {
        let secret = try Self.issue().secret
        #expect(secret.hasPrefix("concord_"))
        let body = secret.dropFirst("concord_".count)
        // 64 hex digits are 256 bits, well above the 128 a bearer secret needs.
        #expect(body.count == 64)
        #expect(body.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func everyKeyIsFresh() throws {
        let keys = try (0..<50).map { _ in try Self.issue() }
        #expect(Set(keys.map(\.secret)).count == keys.count)
        #expect(Set(keys.map(\.record.id)).count == keys.count)
        #expect(Set(keys.map(\.record.secretHash)).count == keys.count)
        for key in keys {
            #expect(key.record.id.hasPrefix("key_"))
            #expect(key.record.id.count == "key_".count + 16)
        }
    }

    /// Known SHA-256 vectors (FIPS 180-2), so the digest is checked against the standard and not
    /// against the code that computes it.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func hashIsSHA256InLowercaseHex(secret: String, digest: String) {
        #expect(APIKeys.hash(secret) == digest)
    }

    @Test func recordKeepsOnlyTheDigestOfTheSecret() throws {
        let key = try Self.issue()
        #expect(key.record.secretHash == APIKeys.hash(key.secret))
        #expect(key.record.secretHash != key.secret)
        #expect(!key.record.secretHash.contains(key.secret.dropFirst("concord_".count)))
        #expect(key.record.secretHash.count == 64)
        // Nothing a store would write down holds the secret.
        let stored = try ConcordJSON.encoder().encode(key.record)
        #expect(!String(decoding: stored, as: UTF8.self).contains(key.secret.dropFirst("concord_".count)))
    }

    @Test(arguments: Role.allCases)
    func memberIsRequiredExactlyForRolesThatActForOne(role: Role) {
        let actsForMember = Self.memberRoles.contains(role)
        #expect(role.actsForMember == actsForMember)

        let agreement = role == .partner ? "agr_test" : nil
        let withMember = Result { () throws(DomainError) in
            try APIKeys.issue(
                role: role, member: Self.france, label: nil, expiresAt: nil, now: Self.now, agreement: agreement)
        }
        let withoutMember = Result { () throws(DomainError) in
            try APIKeys.issue(role: role, member: nil, label: nil, expiresAt: nil, now: Self.now, agreement: agreement)
        }
        let (accepted, refused) = actsForMember ? (withMember, withoutMember) : (withoutMember, withMember)
        #expect((try? accepted.get())?.record.role == role)
        #expect((try? accepted.get())?.record.member == (actsForMember ? Self.france : nil))
        if case .failure(let error) = refused {
            #expect(error.invalidField == "member")
        } else {
            Issue.record("\(role) with the wrong member presence was accepted")
        }
    }

    @Test(arguments: Role.allCases)
    func onlyPartnerKeysBelongToAnAgreement(role: Role) throws {
        let member = role.actsForMember ? Self.france : nil
        let without = Result { () throws(DomainError) in
            try APIKeys.issue(role: role, member: member, label: nil, expiresAt: nil, now: Self.now)
        }
        let with = Result { () throws(DomainError) in
            try APIKeys.issue(
                role: role, member: member, label: nil, expiresAt: nil, now: Self.now, agreement: "agr_test")
        }
        if role == .partner {
            #expect((try? without.get()) == nil)
            let key = try with.get()
            #expect(key.record.agreement == "agr_test")
            #expect(key.record.principal.agreement == "agr_test")
        } else {
            #expect((try? with.get()) == nil)
            #expect(try without.get().record.agreement == nil)
        }
    }

    @Test func recordDescribesThePrincipal() throws {
        let expiry = instant("2026-06-10T12:00:00Z")
        let key = try APIKeys.issue(
            role: .frontline, member: Self.france, label: "Gare du Nord", expiresAt: expiry, now: Self.now)
        #expect(key.record.label == "Gare du Nord")
        #expect(key.record.createdAt == Self.now)
        #expect(key.record.expiresAt == expiry)
        #expect(key.record.revokedAt == nil)
        #expect(key.record.principal == Principal.key(key.record.id, role: .frontline, member: Self.france))
        #expect(key.record.principal.role == .frontline)
        #expect(key.record.principal.actor == key.record.id)
    }

    @Test(arguments: [-86_400.0, -1, 0])
    func expiryMustBeInTheFuture(offset: TimeInterval) {
        let error = #expect(throws: DomainError.self) {
            try Self.issue(expiresAt: Self.now.addingTimeInterval(offset))
        }
        #expect(error?.invalidField == "expires")
    }

    @Test func expiryJustAfterNowIsAccepted() throws {
        #expect(try Self.issue(expiresAt: Self.now.addingTimeInterval(0.001)).record.expiresAt != nil)
    }

    @Test func labelIsLimitedTo200Characters() throws {
        let longest = String(repeating: "é", count: 200)
        let key = try APIKeys.issue(
            role: .ccf, member: nil, label: longest, expiresAt: nil, now: Self.now)
        #expect(key.record.label == longest)
        let error = #expect(throws: DomainError.self) {
            try APIKeys.issue(role: .ccf, member: nil, label: longest + "x", expiresAt: nil, now: Self.now)
        }
        #expect(error?.invalidField == "label")
    }

    @Test func validityOverTime() throws {
        let expiry = instant("2025-07-01T00:00:00Z")
        var record = try Self.issue(expiresAt: expiry).record
        #expect(record.validity(at: Self.now) == .valid)
        #expect(record.validity(at: expiry.addingTimeInterval(-0.001)) == .valid)
        #expect(record.validity(at: expiry) == .expired)
        #expect(record.validity(at: expiry.addingTimeInterval(86_400)) == .expired)

        // Revocation wins over everything, before and after expiry.
        record.revokedAt = Self.now.addingTimeInterval(60)
        #expect(record.validity(at: Self.now) == .revoked)
        #expect(record.validity(at: expiry.addingTimeInterval(86_400)) == .revoked)
    }

    @Test func keyWithoutExpiryStaysValid() throws {
        let record = try Self.issue().record
        #expect(record.validity(at: instant("2999-01-01T00:00:00Z")) == .valid)
    }

    @Test func recordRoundTripsThroughJSON() throws {
        var record = try Self.issue(.ncbAdmin, expiresAt: instant("2026-01-01T00:00:00.250Z")).record
        record.revokedAt = instant("2025-08-01T10:00:00.5Z")
        let data = try ConcordJSON.encoder().encode(record)
        #expect(try ConcordJSON.decoder().decode(APIKeyRecord.self, from: data) == record)
    }

    @Test func hexSpellsEveryByte() {
        #expect(hex([0x00, 0x0f, 0xf0, 0xff, 0x5a]) == "000ff0ff5a")
        #expect(hex([UInt8]()) == "")
    }
}
