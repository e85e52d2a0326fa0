import ConcordCore
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A real HTTP receiver for webhooks that keeps what it was sent and answers 500 while told to.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let headers: HTTPFields
        let body: Data
    }

    let deliveries: Locked<[Delivery]>
    let failing: Locked<Bool>
    let port: Int
    private let task: Task<Void, any Error>

    private init(deliveries: Locked<[Delivery]>, failing: Locked<Bool>, port: Int, task: Task<Void, any Error>) {
        self.deliveries = deliveries
        self.failing = failing
        self.port = port
        self.task = task
    }

    static func start() async throws -> WebhookReceiver {
        let deliveries = Locked<[Delivery]>([])
        let failing = Locked(false)
        let router = Router()
        router.post("/hook") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            if failing.value { return Response(status: .internalServerError) }
            deliveries.withLock { $0.append(Delivery(headers: request.headers, body: Data(body.readableBytesView))) }
            return Response(status: .noContent)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "receiver"))
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return WebhookReceiver(deliveries: deliveries, failing: failing, port: port, task: task)
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

@Suite("Alert delivery")
struct AlertDeliveryTests {
    /// FRA records a document and DEU's check hits it: one alert for each of them.
    static func makeHit(
        _ client: some TestClientProtocol, _ fixture: ServerFixture, number: String = "24XF99871"
    )
        async throws
    {
        try await client.send(.post, "/v1/documents", as: "FRA", fixture: fixture, json: documentJSON(number: number))
        let check = try await client.send(
            .post, "/v1/documents/check", as: "DEU", fixture: fixture, json: checkJSON([("FRA", "passport", number)]))
        #expect(check.text.contains(#""hit":true"#))
    }

    @Test("webhooks are managed by the head of NCB for its own side")
    func registration() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.withClient { client in
            let json = #"{"url":"https://ncb.example.fr/concord"}"#
            #expect(
                try await client.send(.post, "/v1/webhooks", as: "FRA", fixture: fixture, json: json).status
                    == .forbidden)
            for bad in [#"{"url":"ftp://x.example/"}"#, #"{"url":"not a url"}"#, #"{"url":"https://u:p@x.example/"}"#] {
                let refused = try await client.send(.post, "/v1/webhooks", as: "FRA-admin", fixture: fixture, json: bad)
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
            let created = try await client.send(.post, "/v1/webhooks", as: "FRA-admin", fixture: fixture, json: json)
            #expect(created.status == .created)
            let id = try #require(try created.json["id"] as? String)
            #expect((try created.json["secret"] as? String)?.hasPrefix("whsec_") == true)
            let listed = try await client.send(.get, "/v1/webhooks", as: "FRA-admin", fixture: fixture)
            let webhooks = try #require(try listed.json["webhooks"] as? [[String: Any]])
            #expect(webhooks.map { $0["id"] as? String } == [id])
            #expect(webhooks.first?["secret"] == nil)
            #expect(try await fixture.store.webhooks(party: .member(MemberCode("DEU")!)).isEmpty)
            #expect(
                try await client.send(.delete, "/v1/webhooks/\(id)", as: "FRA-admin", fixture: fixture).status
                    == .noContent)
            #expect(
                try await client.send(.delete, "/v1/webhooks/\(id)", as: "FRA-admin", fixture: fixture).status
                    == .notFound)
        }
    }

    @Test(
        "an alert stored before a crash is delivered after the restart, signed, at least once and then not again",
        arguments: Backend.allCases)
    func durableSignedDelivery(_ backend: Backend) async throws {
        let receiver = try await WebhookReceiver.start()
        let fixture = try await ServerFixture.make(backend)
        // The first node stores the hit and its alerts, and stops before delivering anything.
        let concord = fixture.concord
        let fra = Principal.key("key_fra", role: .ncbOfficer, member: MemberCode("FRA"))
        let webhook = try await concord.webhooks.register(
            NewWebhook(url: receiver.url), by: .key("key_head", role: .ncbAdmin, member: MemberCode("FRA")))
        let secret = try #require(webhook.secret)
        _ = try await concord.documents.record(
            NewTravelDocument(issuer: IssuerCode("FRA")!, type: .passport, number: "24XF99871", status: .stolen),
            by: fra)
        let check = try await concord.documents.check(
            DocumentCheckRequest(documents: [.fields(issuer: IssuerCode("FRA")!, type: .passport, number: "24XF99871")]
            ),
            by: .key("key_deu", role: .ncbOfficer, member: MemberCode("DEU")))
        #expect(check.results.map(\.hit) == [true])
        try await fixture.store.close()
        // The node is gone before any delivery; a new one starts on the same database.
        let store = try await fixture.test.reopen()
        let restarted = try await Concord.start(
            store: store, configuration: ServerConfiguration(webhookTimeout: patientWebhooks),
            logger: Logger(label: "test"),
            now: fixture.clock.now)
        receiver.failing.withLock { $0 = true }
        try await restarted.dispatcher.deliverDue()
        #expect(receiver.deliveries.value.isEmpty)
        let backingOff = try #require(try await store.webhooks(party: nil).first)
        #expect(backingOff.progress.failures == 1)
        #expect(backingOff.progress.lastError == "HTTP 500")
        #expect(backingOff.progress.deliveredThrough == 0)
        // Still backing off: nothing is attempted.
        receiver.failing.withLock { $0 = false }
        try await restarted.dispatcher.deliverDue()
        #expect(receiver.deliveries.value.isEmpty)

        fixture.clock.advance(by: Webhooks.backoff(afterFailures: 1))
        try await restarted.dispatcher.deliverDue()
        let deliveries = receiver.deliveries.value
        #expect(deliveries.count == 1)
        let delivery = try #require(deliveries.first)
        let alert = try #require(try await store.alerts(for: .member(MemberCode("FRA")!), after: 0, limit: 10).first)
        #expect(delivery.headers[HTTPField.Name("Concord-Event-Id")!] == String(alert.sequence))
        #expect(delivery.headers[HTTPField.Name("Concord-Event")!] == "hit.created")
        #expect(delivery.body == alert.message)
        let signature = try #require(delivery.headers[HTTPField.Name("Concord-Signature")!])
        let timestamp = try #require(Int64(signature.split(separator: ",")[0].dropFirst(2)))
        #expect(signature == Webhooks.signature(secret: secret, timestamp: timestamp, body: delivery.body))
        #expect(signature != Webhooks.signature(secret: secret + "x", timestamp: timestamp, body: delivery.body))
        let message = try #require(try JSONSerialization.jsonObject(with: delivery.body) as? [String: Any])
        #expect(message["event"] as? String == "hit.created")
        #expect((message["data"] as? [String: Any])?["owner"] as? String == "FRA")

        try await restarted.dispatcher.deliverDue()
        #expect(receiver.deliveries.value.count == 1)
        #expect(
            try await store.webhooks(party: nil).first?.progress == WebhookProgress(deliveredThrough: alert.sequence))
        let delivered = try await store.journal(after: 0, limit: 200, category: .query).filter {
            $0.draft.action == "alert.deliver"
        }
        #expect(delivered.count == 1)
        try await store.close()
        await fixture.test.close()
        await receiver.stop()
    }

    @Test("the event stream sends a side its alerts as they happen and resumes after Last-Event-ID")
    func eventStream() async throws {
        let fixture = try await ServerFixture.make()
        let app = buildApplication(fixture.concord, configuration: .init(), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let key = try #require(fixture.keys["FRA"])
            try await Self.makeHit(client, fixture)
            let stream = try EventStreamReader(port: port, key: key, lastEventID: nil)
            // Closed on every path: a stream left open would hold the server's shutdown up.
            defer { stream.close() }
            let first = try await stream.next()
            #expect(first.event == "hit.created")
            try await Self.makeHit(client, fixture, number: "SECOND22")
            let second = try await stream.next()
            #expect(second.event == "hit.created")
            #expect(Int(second.id)! > Int(first.id)!)
            #expect(second.data.contains("SECOND22"))
            stream.close()

            let resumed = try EventStreamReader(port: port, key: key, lastEventID: first.id)
            defer { resumed.close() }
            let again = try await resumed.next()
            #expect(again.id == second.id)
            resumed.close()

            let outsider = try await client.execute(
                uri: "/v1/events", method: .get, headers: fixture.headers("ITA-frontline"))
            #expect(outsider.status == .forbidden)
            let bad = try await client.execute(
                uri: "/v1/events", method: .get,
                headers: fixture.headers("FRA").merging([HTTPField(name: HTTPField.Name("Last-Event-ID")!, value: "x")])
            )
            #expect(bad.status == .unprocessableContent)
        }
        await fixture.test.close()
    }
}

extension HTTPFields {
    func merging(_ fields: [HTTPField]) -> HTTPFields {
        var merged = self
        for field in fields { merged.append(field) }
        return merged
    }
}
