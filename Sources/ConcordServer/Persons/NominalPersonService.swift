import ConcordCore
import ConcordStore
import Foundation

/// Nominal person records: an NCB shares the wanted and missing persons of its national
/// databases, which then answer screenings. Every path asks the policy and is journaled; a
/// write is screenable, or no longer, by the time it is answered.
public struct NominalPersonService: Sendable {
    let store: any Store
    let index: ScreeningIndexFollower
    let journal: QueryJournal
    let alerts: AlertSignal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public init(
        store: any Store, index: ScreeningIndexFollower, journal: QueryJournal, alerts: AlertSignal,
        now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.index = index
        self.journal = journal
        self.alerts = alerts
        self.now = now
    }

    public func record(_ request: NominalPersonRequest, by principal: Principal) async throws -> NominalPersonView {
        let time = now().truncatedToMilliseconds
        let action = "person.record"
        try await gate.authorize(
            principal, .create, .collection(.nominalPerson), action: action, at: time, subject: "nominal persons")
        guard let owner = principal.member else {
            try await gate.refuse(
                .forbidden("only an NCB records nominal persons"), principal, action: action, targets: [], at: time)
        }
        let facts = RecordFacts(
            kind: .nominalPerson, owner: owner, restrictions: request.restrictions ?? .none, status: .active)
        try await gate.authorize(
            principal, .create, .newRecord(facts), action: action, at: time, subject: "nominal persons of \(owner)")
        let person = try NominalPersons.record(request, owner: owner, id: .random(), now: time)
        try await commit(person, .insert(try person.stored()), by: principal, action: action, outcome: "recorded")
        return NominalPersonView(person, viewer: principal.member)
    }

    public func person(_ id: RecordID, for principal: Principal) async throws -> NominalPersonView {
        let time = now()
        let person = try await authorized(id, principal, .read, action: "person.read", at: time)
        try await ReadJournal(store: store, journal: journal, alerts: alerts).record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "person.read", targets: [id.rawValue],
                purpose: person.envelope.purpose, outcome: "disclosed"),
            of: person.envelope, by: principal, at: time)
        return NominalPersonView(person, viewer: principal.member)
    }

    /// The owner's corrected record, replacing the previous one whole.
    public func update(
        _ id: RecordID, to request: NominalPersonRequest, by principal: Principal
    ) async throws -> NominalPersonView {
        let time = now().truncatedToMilliseconds
        let person = try await authorized(id, principal, .update, action: "person.update", at: time)
        let updated = try NominalPersons.update(person, to: request, now: time)
        try await commit(
            updated, .update(try updated.stored()), by: principal, action: "person.update", outcome: "updated")
        return NominalPersonView(updated, viewer: principal.member)
    }

    /// No longer served nor screenable; the history stays in the journal.
    public func withdraw(_ id: RecordID, by principal: Principal) async throws -> NominalPersonView {
        let time = now().truncatedToMilliseconds
        let person = try await authorized(id, principal, .withdraw, action: "person.withdraw", at: time)
        let withdrawn = try NominalPersons.withdraw(person, now: time)
        try await commit(
            withdrawn, .update(try withdrawn.stored()), by: principal, action: "person.withdraw", outcome: "withdrawn")
        return NominalPersonView(withdrawn, viewer: principal.member)
    }

    /// Stores the change with its journal entry, and answers once screening has it.
    private func commit(
        _ person: NominalPerson, _ change: Change, by principal: Principal, action: String, outcome: String
    ) async throws {
        let draft = JournalDraft(
            category: .write, time: person.envelope.updatedAt, principal: principal, action: action,
            targets: [person.id.rawValue], purpose: person.envelope.purpose, outcome: outcome)
        do {
            try await store.apply([change], journal: draft)
        } catch StoreError.staleVersion {
            throw DomainError.conflict("nominal person \(person.id) changed meanwhile; read it again")
        }
        try await index.catchUp()
    }

    /// Loads a record and asks the policy about it, first whether the role may act on nominal
    /// persons at all, so that a missing record is refused exactly like a hidden one.
    private func authorized(
        _ id: RecordID, _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> NominalPerson {
        let subject = "nominal person \(id)"
        try await gate.authorize(
            principal, action, .collection(.nominalPerson), action: name, targets: [id.rawValue], at: time,
            subject: subject)
        guard let stored = try await store.record(id), stored.envelope.kind == .nominalPerson else {
            try await gate.refuse(.notFound("no \(subject)"), principal, action: name, targets: [id.rawValue], at: time)
        }
        let person = try NominalPerson(stored)
        try await gate.authorize(
            principal, action, .record(person.envelope.facts(at: time)), action: name, targets: [id.rawValue],
            at: time, subject: subject)
        return person
    }
}
