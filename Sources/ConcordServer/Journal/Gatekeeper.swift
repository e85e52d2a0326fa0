import ConcordCore
import Foundation

/// Asks the policy on behalf of a service, and journals every refusal before reporting it, so
/// that the journal shows what was attempted as well as what was done.
struct Gatekeeper: Sendable {
    let journal: QueryJournal

    @discardableResult
    func authorize(
        _ principal: Principal, _ action: Action, _ target: Target, action name: String, targets: [String] = [],
        at time: Date, subject: @autoclosure () -> String
    ) async throws -> Disclosure {
        do {
            return try Policy.decide(principal, action, target).disclosure(for: principal, subject())
        } catch {
            try await refuse(error, principal, action: name, targets: targets, at: time)
        }
    }

    /// The side (an NCB, or the General Secretariat) the principal acts for, once the policy lets
    /// it do `action` to that side's `target`; roles that act for no side are refused.
    func side(
        of principal: Principal, _ action: Action, _ target: (Party) -> Target, action name: String, at time: Date,
        subject: String
    ) async throws -> Party {
        guard let party = Party.of(principal) else {
            try await refuse(.forbidden("your role has no \(subject)"), principal, action: name, targets: [], at: time)
        }
        try await authorize(principal, action, target(party), action: name, at: time, subject: "\(subject) of \(party)")
        return party
    }

    func refuse(
        _ error: DomainError, _ principal: Principal, action name: String, targets: [String], at time: Date
    ) async throws -> Never {
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: name, targets: targets, purpose: nil,
                outcome: "refused"))
        throw error
    }
}
