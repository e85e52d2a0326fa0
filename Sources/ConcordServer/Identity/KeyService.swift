import ConcordCore
import ConcordStore
import Foundation

/// Issuing, listing and revoking API keys, under the policy and into the journal.
public struct KeyService: Sendable {
    let store: any Store
    let cache: APIKeyCache?
    let now: @Sendable () -> Date

    public init(store: any Store, cache: APIKeyCache? = nil, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.cache = cache
        self.now = now
    }

    public func issue(
        role: Role, member: MemberCode?, label: String?, expiresAt: Date?, by principal: Principal
    ) async throws -> IssuedAPIKey {
        let time = now().truncatedToMilliseconds
        try await authorize(principal, .issueKey, member: member, role: role, action: "key.issue", at: time)
        let issued = try APIKeys.issue(
            role: role, member: member, label: label, expiresAt: expiresAt?.truncatedToMilliseconds, now: time)
        try await store.apply(
            [.insertKey(issued.record)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "key.issue",
                targets: [issued.record.id], purpose: nil, outcome: "issued \(role.rawValue)"))
        return issued
    }

    /// The keys the principal administers: all of them for the Secretariat, its own member's
    /// for a head of NCB.
    public func list(by principal: Principal) async throws -> [APIKeyRecord] {
        let time = now()
        try await authorize(principal, .listKeys, member: principal.member, role: nil, action: "key.list", at: time)
        let keys = try await store.apiKeys().filter {
            Policy.decide(principal, .listKeys, .keys(member: $0.member, role: $0.role)).isAllowed
        }
        try await store.appendQueries([
            JournalDraft(
                category: .query, time: time, principal: principal, action: "key.list", targets: [], purpose: nil,
                outcome: "listed \(keys.count)")
        ])
        return keys
    }

    public func revoke(id: String, by principal: Principal) async throws -> APIKeyRecord {
        let time = now().truncatedToMilliseconds
        // Whether the role administers keys at all is answered first; past that, a key the
        // principal does not administer reads as absent.
        try await authorize(principal, .revokeKey, member: principal.member, role: nil, action: "key.revoke", at: time)
        guard let key = try await store.apiKey(id: id),
            Policy.decide(principal, .revokeKey, .keys(member: key.member, role: key.role)).isAllowed
        else { throw DomainError.notFound("no key \(id)") }
        guard key.revokedAt == nil else { throw DomainError.conflict("key \(id) is already revoked") }
        try await store.apply(
            [.revokeKey(id: id, at: time)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "key.revoke", targets: [id],
                purpose: nil, outcome: "revoked"))
        cache?.forget(id: id)
        var revoked = key
        revoked.revokedAt = time
        return revoked
    }

    /// Asks the policy; a refusal is journaled before it is reported.
    private func authorize(
        _ principal: Principal, _ action: Action, member: MemberCode?, role: Role?, action name: String,
        at time: Date
    ) async throws {
        do {
            _ = try Policy.decide(principal, action, .keys(member: member, role: role))
                .disclosure(for: principal, "keys of \(member?.rawValue ?? "the General Secretariat")")
        } catch {
            try await store.appendQueries([
                JournalDraft(
                    category: .query, time: time, principal: principal, action: name, targets: [], purpose: nil,
                    outcome: "refused")
            ])
            throw error
        }
    }
}
