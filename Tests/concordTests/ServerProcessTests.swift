import ConcordCore
import ConcordStore
import ConcordTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real executable over real HTTP, including what happens when it is killed.
@Suite("concord serve", .serialized)
struct ServerProcessTests {
    @Test("a served node records over HTTP and a check finds the document")
    func recordAndCheck() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let french = try await createKey(data: data, role: "ncb.officer", member: "FRA")
        let spanish = try await createKey(data: data, role: "frontline", member: "ESP")
        let server = try await ServerProcess.start(data: data)
        defer { server.kill(SIGKILL) }
        let created = try await request(
            "POST", "\(server.baseURL)/v1/documents", key: french,
            json: #"{"issuer":"FRA","type":"id-card","number":"X4RTBPFW4","status":"lost"}"#)
        #expect(created.status == 201)
        let check = try await request(
            "POST", "\(server.baseURL)/v1/documents/check", key: spanish,
            json: #"{"documents":[{"issuer":"FRA","type":"id-card","number":"x4rt-bpfw4"}]}"#)
        #expect(check.status == 200)
        let result = (check.body["results"] as? [[String: Any]])?.first
        #expect(result?["hit"] as? Bool == true)
        #expect((result?["document"] as? [String: Any])?["status"] as? String == "lost")
    }

    @Test("SIGTERM shuts the server down cleanly")
    func gracefulShutdown() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let key = try await createKey(data: data, role: "ncb.officer", member: "FRA")
        let server = try await ServerProcess.start(data: data)
        #expect(try await request("GET", "\(server.baseURL)/health", key: nil).status == 200)
        // An open event stream must not hold the shutdown up.
        let stream = try EventStreamReader(port: server.port, key: key, lastEventID: nil)
        defer { stream.close() }
        #expect(try await request("GET", "\(server.baseURL)/health", key: nil).status == 200)
        server.process.signal(SIGTERM)
        let ended = try await server.process.wait(timeout: .seconds(30))
        #expect(ended == .exited(0))
    }

    /// Clients record and check documents while the server is killed with SIGKILL. Whatever
    /// was acknowledged with a 201 must be there after a restart, every answered check must be
    /// in the journal, and the journal must verify.
    @Test("every acknowledged write and every answered check survives kill -9")
    func killNine() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let key = try await createKey(data: data, role: "ncb.officer", member: "FRA")
        let checker = try await createKey(data: data, role: "frontline", member: "ITA")
        let answeredChecks = Locked(0)
        let server = try await ServerProcess.start(data: data)
        let acknowledged = Locked<[String]>([])
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration)

        let clientsDone = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<4 {
                group.addTask {
                    defer { clientsDone.withLock { $0 += 1 } }
                    for number in 0..<500 {
                        let body =
                            #"{"issuer":"FRA","type":"passport","number":"K\#(client)N\#(number)","status":"stolen"}"#
                        guard
                            let response = try? await request(
                                "POST", "\(server.baseURL)/v1/documents", key: key, json: body, session: session)
                        else { return }
                        if response.status == 201, let id = response.body["id"] as? String {
                            acknowledged.withLock { $0.append(id) }
                        }
                    }
                }
            }
            group.addTask {
                for number in 0..<2000 {
                    let body = #"{"documents":[{"issuer":"FRA","type":"passport","number":"C\#(number)"}]}"#
                    guard
                        let response = try? await request(
                            "POST", "\(server.baseURL)/v1/documents/check", key: checker, json: body,
                            session: session)
                    else { return }
                    if response.status == 200 { answeredChecks.withLock { $0 += 1 } }
                }
            }
            // Kill once some writes were acknowledged, while the clients are still writing (or
            // once they all stopped, should the server never acknowledge anything).
            group.addTask {
                while acknowledged.value.count < 40 && clientsDone.value < 4 {
                    try? await Task.sleep(for: .milliseconds(5))
                }
                server.kill(SIGKILL)
            }
        }
        let ids = acknowledged.value
        #expect(ids.count >= 40)

        let restarted = try await ServerProcess.start(data: data)
        defer { restarted.kill(SIGTERM) }
        var missing: [String] = []
        for id in ids {
            let response = try await request("GET", "\(restarted.baseURL)/v1/documents/\(id)", key: key)
            if response.status != 200 { missing.append(id) }
        }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing)")
        let store = try SQLiteStore(folder: data)
        var journaledChecks = 0
        var position: Int64 = 0
        while true {
            let page = try await store.journal(after: position, limit: 1000, category: .query)
            journaledChecks += page.filter { $0.draft.action == "document.check" }.count
            guard let last = page.last else { break }
            position = last.position
        }
        try await store.close()
        #expect(answeredChecks.value > 0)
        #expect(journaledChecks >= answeredChecks.value)
        let verify = try await runConcord(["journal", "verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.output)")
    }

    /// A partner's hit is stored with its alerts before the partner is answered; the node then
    /// dies before any delivery. After a restart each party finds the hit in its inbox and its
    /// stream, and the owner's webhook, unreachable until then, receives it signed.
    @Test("I-Checkit alerts reach inbox, stream and webhook across a kill -9")
    func partnerHitAlertsSurviveACrash() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let admin = try await createKey(data: data, role: "secretariat.admin", member: nil)
        let french = try await createKey(data: data, role: "ncb.officer", member: "FRA")
        let head = try await createKey(data: data, role: "ncb.admin", member: "FRA")
        let spanish = try await createKey(data: data, role: "ncb.officer", member: "ESP")
        let secretariat = try await createKey(data: data, role: "secretariat.reviewer", member: nil)
        let server = try await ServerProcess.start(data: data)
        let agreement = try await request(
            "POST", "\(server.baseURL)/v1/agreements", key: admin,
            json: #"{"partner":"Iberia","services":["i-checkit"],"country":"ESP","validUntil":"2099-01-01T00:00:00Z"}"#)
        let agreementID = try #require(agreement.body["id"] as? String)
        let issued = try await request(
            "POST", "\(server.baseURL)/v1/agreements/\(agreementID)/keys", key: admin, json: "{}")
        let partner = try #require(issued.body["key"] as? String)
        let hookPort = try freePort()
        let webhook = try await request(
            "POST", "\(server.baseURL)/v1/webhooks", key: head, json: #"{"url":"http://127.0.0.1:\#(hookPort)/hook"}"#)
        let secret = try #require(webhook.body["secret"] as? String)
        let recorded = try await request(
            "POST", "\(server.baseURL)/v1/documents", key: french,
            json: #"{"issuer":"FRA","type":"passport","number":"24XF99871","status":"stolen"}"#)
        #expect(recorded.status == 201)
        let check = try await request(
            "POST", "\(server.baseURL)/v1/icheckit/check", key: partner,
            json: #"{"documents":[{"issuer":"FRA","type":"passport","number":"24XF99871"}],"terminal":"T4"}"#)
        let result = try #require((check.body["results"] as? [[String: Any]])?.first)
        #expect(Set(result.keys) == ["hit", "reference"])
        let reference = try #require(result["reference"] as? String)
        server.kill(SIGKILL)

        let receiver = try WebhookReceiverProcess.start(port: hookPort)
        defer { receiver.stop() }
        let restarted = try await ServerProcess.start(data: data)
        defer { restarted.kill(SIGTERM) }
        for key in [french, spanish, secretariat] {
            let inbox = try await request("GET", "\(restarted.baseURL)/v1/hits", key: key)
            let hits = inbox.body["hits"] as? [[String: Any]]
            #expect(hits?.map { $0["id"] as? String } == [reference])
        }
        let stream = try EventStreamReader(port: restarted.port, key: spanish, lastEventID: nil)
        defer { stream.close() }
        let event = try await stream.next()
        #expect(event.event == "hit.created")
        #expect(event.data.contains(reference))

        let delivery = try await receiver.waitForDelivery(containing: reference)
        let timestamp = try #require(Int64(delivery.signature.split(separator: ",")[0].dropFirst(2)))
        #expect(
            delivery.signature
                == Webhooks.signature(secret: secret, timestamp: timestamp, body: Data(delivery.body.utf8)))
        let verify = try await runConcord(["journal", "verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.output)")
    }
}

extension ServerProcessTests {
    @Test("mind sync keeps a verified offline copy that mind check answers from, and a tampered one is refused")
    func offlineCopies() async throws {
        let data = try makeTemporaryDirectory()
        let bundles = try makeTemporaryDirectory()
        defer {
            removeDirectory(data)
            removeDirectory(bundles)
        }
        let french = try await createKey(data: data, role: "ncb.officer", member: "FRA")
        let german = try await createKey(data: data, role: "ncb.officer", member: "DEU")
        let server = try await ServerProcess.start(data: data)
        defer { server.kill(SIGTERM) }
        for (number, extra) in [
            ("24XF99871", ""), ("HIDDEN1", #","restrictions":{"visibility":"except","members":["DEU"]}"#),
        ] {
            let created = try await request(
                "POST", "\(server.baseURL)/v1/documents", key: french,
                json: #"{"issuer":"FRA","type":"passport","number":"\#(number)","status":"stolen"\#(extra)}"#)
            #expect(created.status == 201)
        }
        let publicKey = try await runConcord(["mind", "public-key", "--data", data.path])
        #expect(publicKey.status == 0)
        let trusted = publicKey.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(trusted.count == 64)
        let sync = ["mind", "sync", "--server", server.baseURL, "--api-key", german, "--bundle", bundles.path]
        let first = try await runConcord(sync + ["--public-key", trusted])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("000001-full.bundle.json: 1 documents"))

        let check = ["mind", "check", "--bundle", bundles.path]
        let answer = try await runConcord(
            check + ["FRA,passport,24 xf 99871", "FRA,passport,HIDDEN1", "FRA,passport,NEW1"])
        #expect(answer.status == 0, "\(answer.error)")
        let lines = answer.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("HIT") && lines[0].contains("stolen, recorded by FRA"))
        #expect(lines[1].hasPrefix("no hit") && lines[2].hasPrefix("no hit"))

        let recorded = try await request(
            "POST", "\(server.baseURL)/v1/documents", key: french,
            json: #"{"issuer":"FRA","type":"passport","number":"NEW1","status":"lost"}"#)
        #expect(recorded.status == 201)
        let second = try await runConcord(sync)
        #expect(second.status == 0, "\(second.error)")
        #expect(second.output.contains("000002-delta.bundle.json: 2 documents"))
        #expect(try await runConcord(check + ["FRA,passport,NEW1"]).output.hasPrefix("HIT"))

        let full = bundles.appendingPathComponent("000001-full.bundle.json")
        var bytes = try Data(contentsOf: full)
        let at = try #require(bytes.firstRange(of: Data("24XF99871".utf8))).lowerBound
        bytes[at] = UInt8(ascii: "9")
        try bytes.write(to: full)
        let refused = try await runConcord(check + ["FRA,passport,94XF99871"])
        #expect(refused.status != 0)
        #expect(refused.error.contains("000001-full.bundle.json: the signature does not match"))
        #expect(refused.output.isEmpty)

        let otherKey = String(repeating: "ab", count: 32)
        let elsewhere = try makeTemporaryDirectory()
        defer { removeDirectory(elsewhere) }
        let untrusted = try await runConcord(
            [
                "mind", "sync", "--server", server.baseURL, "--api-key", german, "--bundle", elsewhere.path,
                "--public-key", otherKey,
            ])
        #expect(untrusted.status != 0)
        #expect(untrusted.error.contains("signature does not match"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path) == ["public-key"])
    }
}

/// A port nothing listens on yet.
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
        }
    }
    guard bound else { throw ChildProcessError("no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A webhook receiver in Python's standard library, as a partner system might run one: it
/// prints each delivery as a JSON line.
final class WebhookReceiverProcess: Sendable {
    struct Delivery: Decodable {
        let id: String
        let signature: String
        let body: String
    }

    let process: ChildProcess

    private init(process: ChildProcess) {
        self.process = process
    }

    static let script = """
        import http.server, json, sys
        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                print(json.dumps({"id": self.headers["Concord-Event-Id"],
                                  "signature": self.headers["Concord-Signature"], "body": body}), flush=True)
                self.send_response(204)
                self.end_headers()
            def log_message(self, *arguments):
                pass
        print("ready", flush=True)
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
        """

    static func start(port: Int) throws -> WebhookReceiverProcess {
        WebhookReceiverProcess(process: try ChildProcess(["/usr/bin/env", "python3", "-c", script, String(port)]))
    }

    /// Waits, bounded, for the delivery naming `text`; the bound only turns a hang into a failure.
    func waitForDelivery(containing text: String) async throws -> Delivery {
        for _ in 0..<1200 {
            let lines = process.output.split(separator: "\n")
            if let line = lines.first(where: { $0.contains(text) }) {
                return try JSONDecoder().decode(Delivery.self, from: Data(line.utf8))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ChildProcessError("no delivery within a minute; receiver said: \(process.output) \(process.errorOutput)")
    }

    func stop() {
        process.stop()
    }
}
