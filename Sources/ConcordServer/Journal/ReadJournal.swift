import ConcordCore
import ConcordStore
import Foundation

/// Journals the read of a record. When its owner asked to hear of reads from outside its NCB,
/// the `record.queried` alert is stored with the read's entry, so neither goes without the other.
struct ReadJournal: Sendable {
    let store: any Store
    let journal: QueryJournal
    let alerts: AlertSignal

    func record(_ draft: JournalDraft, of envelope: Envelope, by principal: Principal, at time: Date) async throws {
        guard envelope.restrictions.notifyOwner && principal.member != envelope.owner else {
            return try await journal.record(draft)
        }
        let queried = RecordQueried(
            record: envelope.id, kind: envelope.kind, action: draft.action, actor: principal.actor,
            member: principal.member, at: time)
        let alert = AlertDraft(
            recipient: .member(envelope.owner), event: .recordQueried, createdAt: time,
            payload: try ConcordJSON.encoder().encode(queried))
        try await store.apply([.insertAlert(alert)], journal: draft)
        alerts.notify()
    }
}
