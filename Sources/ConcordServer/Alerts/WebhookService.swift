import ConcordCore
import ConcordStore
import Foundation

/// Webhooks a head of NCB (or the Secretariat) registers for its side's alerts.
public struct WebhookService: Sendable {
    let store: any Store
    let journal: QueryJournal
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    public init(store: any Store, journal: QueryJournal, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.journal = journal
        self.now = now
    }

    /// Registers a webhook; the answer carries its signing secret, shown this once.
    public func register(_ request: NewWebhook, by principal: Principal) async throws -> WebhookView {
        let time = now().truncatedToMilliseconds
        let party = try await authorize(principal, .create, action: "webhook.register", at: time)
        let webhook = try Webhooks.make(url: request.url, party: party, now: time)
        try await store.apply(
            [.insertWebhook(webhook)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "webhook.register", targets: [webhook.id],
                purpose: nil, outcome: "alerts of \(party) to \(webhook.url)"))
        return WebhookView(webhook, progress: nil, secret: webhook.secret)
    }

    public func list(by principal: Principal) async throws -> [WebhookView] {
        let time = now()
        let party = try await authorize(principal, .read, action: "webhook.list", at: time)
        let webhooks = try await store.webhooks(party: party)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "webhook.list",
                targets: webhooks.map(\.webhook.id), purpose: nil, outcome: "listed \(webhooks.count)"))
        return webhooks.map { WebhookView($0.webhook, progress: $0.progress) }
    }

    public func remove(_ id: String, by principal: Principal) async throws {
        let time = now().truncatedToMilliseconds
        let party = try await authorize(principal, .withdraw, action: "webhook.remove", at: time)
        guard try await store.webhooks(party: party).contains(where: { $0.webhook.id == id }) else {
            try await gate.refuse(
                .notFound("no webhook \(id)"), principal, action: "webhook.remove", targets: [id], at: time)
        }
        try await store.apply(
            [.removeWebhook(id: id)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "webhook.remove", targets: [id],
                purpose: nil, outcome: "removed"))
    }

    private func authorize(
        _ principal: Principal, _ action: Action, action name: String, at time: Date
    ) async throws -> Party {
        try await gate.side(of: principal, action, Target.webhooks, action: name, at: time, subject: "webhooks")
    }
}
