import ConcordCore
import ConcordStore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /v1/events`: the caller's side's alerts as Server-Sent Events. Each event's id is the
/// alert's sequence number, so a client that reconnects with `Last-Event-ID` misses nothing.
struct EventsController {
    let store: any Store
    let hits: HitService
    let journal: QueryJournal
    let signal: AlertSignal
    let pollInterval: Duration
    let now: @Sendable () -> Date

    /// Sent when nothing else was, so that proxies keep the connection and a closed one is noticed.
    static let keepAlive = Duration.seconds(15)

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.get("/v1/events", use: events)
    }

    @Sendable func events(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        let principal = context.principal
        let time = now()
        let party = try await hits.inbox(of: principal, action: "events.subscribe", at: time)
        let text = request.headers[.lastEventID] ?? request.uri.queryParameters.get("after").map { String($0) }
        let start = try Self.position(text)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "events.subscribe", targets: [],
                purpose: nil, outcome: "alerts of \(party) after \(start)"))
        let store = self.store
        let journal = self.journal
        let signal = self.signal
        let pollInterval = self.pollInterval
        let now = self.now
        let body = ResponseBody { writer in
            var last = start
            var quietSince = ContinuousClock.now
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let seen = signal.current
                let alerts = try await store.alerts(for: party, after: last, limit: 100)
                if !alerts.isEmpty {
                    var text = ""
                    for alert in alerts {
                        text += "id: \(alert.sequence)\nevent: \(alert.draft.event.rawValue)\ndata: "
                        text += String(decoding: alert.message, as: UTF8.self) + "\n\n"
                    }
                    try await writer.write(ByteBuffer(string: text))
                    last = alerts.last!.sequence
                    quietSince = ContinuousClock.now
                    try await journal.record(
                        JournalDraft(
                            category: .query, time: now(), principal: principal, action: "events.deliver",
                            targets: alerts.map { "alert:\($0.sequence)" }, purpose: nil,
                            outcome: "streamed \(alerts.count)"))
                    if alerts.count == 100 { continue }
                } else if ContinuousClock.now - quietSince >= Self.keepAlive {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quietSince = ContinuousClock.now
                }
                await signal.wait(after: seen, timeout: pollInterval)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: body)
    }
}

extension EventsController {
    /// Where a stream resumes: after the event id the client last saw, or from the start.
    static func position(_ text: String?) throws -> Int64 {
        guard let text else { return 0 }
        guard let sequence = Int64(text.trimmingCharacters(in: .whitespaces)), sequence >= 0 else {
            throw Problem.invalidField("Last-Event-ID", "'\(text)' is not an event id this stream sent")
        }
        return sequence
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
