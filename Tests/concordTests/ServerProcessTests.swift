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
        let french = try createKey(data: data, role: "ncb.officer", member: "FRA")
        let spanish = try createKey(data: data, role: "frontline", member: "ESP")
        let server = try ServerProcess.start(data: data)
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
        let server = try ServerProcess.start(data: data)
        #expect(try await request("GET", "\(server.baseURL)/health", key: nil).status == 200)
        server.kill(SIGTERM)
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
    }

    /// Clients record documents while the server is killed with SIGKILL. Whatever was
    /// acknowledged with a 201 must be there after a restart, and the journal must verify.
    @Test("every acknowledged write survives kill -9")
    func killNine() async throws {
        let data = try makeTemporaryDirectory()
        defer { removeDirectory(data) }
        let key = try createKey(data: data, role: "ncb.officer", member: "FRA")
        let server = try ServerProcess.start(data: data)
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

        let restarted = try ServerProcess.start(data: data)
        defer { restarted.kill(SIGTERM) }
        var missing: [String] = []
        for id in ids {
            let response = try await request("GET", "\(restarted.baseURL)/v1/documents/\(id)", key: key)
            if response.status != 200 { missing.append(id) }
        }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing)")
        let verify = try runConcord(["journal", "verify", "--data", data.path])
        #expect(verify.status == 0, "\(verify.output)")
    }
}
