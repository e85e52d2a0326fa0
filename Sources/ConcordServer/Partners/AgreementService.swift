import ConcordCore
import ConcordStore
import Foundation

/// Partner agreements and the keys issued under them, kept by the General Secretariat.
public struct AgreementService: Sendable {
    let store: any Store
    let journal: QueryJournal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public init(store: any Store, journal: QueryJournal, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.journal = journal
        self.now = now
    }

    public func create(_ request: NewAgreement, by principal: Principal) async throws -> Agreement {
        let time = now().truncatedToMilliseconds
        try await gate.authorize(
            principal, .create, .agreements, action: "agreement.create", at: time, subject: "agreements")
        let agreement = try Agreements.make(request, now: time)
        try await store.apply(
            [.putAgreement(agreement)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "agreement.create",
                targets: [agreement.id], purpose: nil,
                outcome: "\(agreement.partner) in \(agreement.country): "
                    + agreement.services.map(\.rawValue).joined(separator: ", ")))
        return agreement
    }

    public func list(by principal: Principal) async throws -> [Agreement] {
        let time = now()
        try await gate.authorize(
            principal, .read, .agreements, action: "agreement.list", at: time, subject: "agreements")
        let agreements = try await store.agreements()
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "agreement.list", targets: [],
                purpose: nil, outcome: "listed \(agreements.count)"))
        return agreements
    }

    public func agreement(_ id: String, by principal: Principal) async throws -> Agreement {
        let time = now()
        let agreement = try await authorized(id, principal, .read, action: "agreement.read", at: time)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "agreement.read", targets: [id],
                purpose: nil, outcome: "disclosed"))
        return agreement
    }

    /// Ends the agreement at once; keys issued under it no longer reach any service.
    public func terminate(_ id: String, by principal: Principal) async throws -> Agreement {
        let time = now().truncatedToMilliseconds
        let agreement = try await authorized(id, principal, .withdraw, action: "agreement.terminate", at: time)
        let ended = try Agreements.terminate(agreement, now: time)
        do {
            try await store.apply(
                [.putAgreement(ended)],
                journal: JournalDraft(
                    category: .write, time: time, principal: principal, action: "agreement.terminate", targets: [id],
                    purpose: nil, outcome: "terminated"))
        } catch StoreError.staleVersion {
            throw DomainError.conflict("agreement \(id) changed meanwhile; read it again")
        }
        return ended
    }

    /// A partner key bound to the agreement and to its country; it expires with the agreement
    /// unless an earlier expiry is asked for.
    public func issueKey(
        _ id: String, _ request: NewPartnerKey, by principal: Principal
    ) async throws
        -> IssuedAPIKey
    {
        let time = now().truncatedToMilliseconds
        let agreement = try await authorized(id, principal, .create, action: "key.issue", at: time)
        guard agreement.isInForce(at: time) else {
            throw DomainError.conflict("agreement \(id) is not in force")
        }
        let expiresAt = min(request.expiresAt?.truncatedToMilliseconds ?? agreement.validUntil, agreement.validUntil)
        let issued = try APIKeys.issue(
            role: .partner, member: agreement.country, label: request.label, expiresAt: expiresAt, now: time,
            agreement: id)
        try await store.apply(
            [.insertKey(issued.record)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "key.issue",
                targets: [issued.record.id, id], purpose: nil, outcome: "issued partner"))
        return issued
    }

    private func authorized(
        _ id: String, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> Agreement {
        try await gate.authorize(principal, action, .agreements, action: name, targets: [id], at: time, subject: id)
        guard let agreement = try await store.agreement(id: id) else {
            try await gate.refuse(.notFound("no agreement \(id)"), principal, action: name, targets: [id], at: time)
        }
        return agreement
    }
}
