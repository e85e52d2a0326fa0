import ConcordCore
import ConcordStore
import Foundation
import Logging
import ServiceLifecycle

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers each party's alerts to its webhooks, in order, from the durable outbox (the alerts
/// table). A webhook's progress advances only after its receiver answered 2xx, so an alert is
/// delivered at least once whatever crashes; receivers drop repeats by the `Concord-Event-Id`.
/// A failing receiver is retried with exponential backoff and holds back only its own alerts.
public final class WebhookDispatcher: Service, Sendable {
    private let store: any Store
    private let journal: QueryJournal
    private let signal: AlertSignal
    private let pollInterval: Duration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let session: URLSession

    public static let batchSize = 100

    public init(
        store: any Store, journal: QueryJournal, signal: AlertSignal, pollInterval: Duration,
        timeout: Duration = .seconds(10), logger: Logger, now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.journal = journal
        self.signal = signal
        self.pollInterval = pollInterval
        self.logger = logger
        self.now = now
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Double(timeout.components.seconds)
        session = URLSession(configuration: configuration)
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let seen = signal.current
            do {
                try await deliverDue()
            } catch {
                logger.error("webhook delivery failed", metadata: ["error": "\(error)"])
            }
            await cancelWhenGracefulShutdown { await self.signal.wait(after: seen, timeout: self.pollInterval) }
        }
    }

    /// One round: every webhook that is not backing off gets what it is owed.
    public func deliverDue() async throws {
        let time = now()
        let due = try await store.webhooks(party: nil).filter { ($0.progress.nextAttemptAt ?? time) <= time }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for state in due { group.addTask { try await self.deliver(state) } }
            try await group.waitForAll()
        }
    }

    private func deliver(_ state: WebhookState) async throws {
        var progress = state.progress
        while true {
            let alerts = try await store.alerts(
                for: state.webhook.party, after: progress.deliveredThrough, limit: Self.batchSize)
            for alert in alerts {
                if let failure = await post(alert, to: state.webhook) {
                    progress.failures += 1
                    progress.lastError = failure
                    progress.nextAttemptAt = now() + Webhooks.backoff(afterFailures: progress.failures)
                    try await store.recordDelivery(webhook: state.webhook.id, progress)
                    logger.warning(
                        "webhook delivery failed; will retry",
                        metadata: [
                            "webhook": "\(state.webhook.id)", "alert": "\(alert.sequence)", "error": "\(failure)",
                        ])
                    return
                }
                progress = WebhookProgress(deliveredThrough: alert.sequence)
                try await store.recordDelivery(webhook: state.webhook.id, progress)
                try await journal.record(
                    JournalDraft(
                        category: .query, time: JournalDraft.microseconds(now()), actor: "webhook-dispatcher",
                        role: nil, member: nil, action: "alert.deliver",
                        targets: [state.webhook.id, "alert:\(alert.sequence)"] + (alert.draft.hitID.map { [$0] } ?? []),
                        purpose: nil, outcome: "delivered to \(state.webhook.party)"))
            }
            if alerts.count < Self.batchSize { return }
        }
    }

    /// Posts one alert; nil when the receiver took it, else why not.
    private func post(_ alert: Alert, to webhook: Webhook) async -> String? {
        guard let url = URL(string: webhook.url) else { return "invalid URL" }
        let body = alert.message
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(String(alert.sequence), forHTTPHeaderField: "Concord-Event-Id")
        request.setValue(alert.draft.event.rawValue, forHTTPHeaderField: "Concord-Event")
        request.setValue(webhook.id, forHTTPHeaderField: "Concord-Webhook-Id")
        let timestamp = Int64(now().timeIntervalSince1970)
        request.setValue(
            Webhooks.signature(secret: webhook.secret, timestamp: timestamp, body: body),
            forHTTPHeaderField: "Concord-Signature")
        do {
            let (_, response) = try await session.data(for: request)
            guard let status = (response as? HTTPURLResponse)?.statusCode else { return "no HTTP response" }
            return (200..<300).contains(status) ? nil : "HTTP \(status)"
        } catch {
            return error.localizedDescription
        }
    }
}
