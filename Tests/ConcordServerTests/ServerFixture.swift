import ConcordCore
import ConcordServer
import ConcordStore
import ConcordTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A node on a fresh store with keys for the roles the tests act as.
struct ServerFixture {
    let test: TestStore
    let concord: Concord
    let keys: [String: String]
    let clock: TestClock

    var store: any Store { test.store }

    /// Keys by name: "FRA" (ncb.officer), "DEU", "ITA", "ESP", "FRA-admin" (ncb.admin), "ITA-frontline",
    /// "reviewer", "ccf", "admin", "partner-ESP" (an I-Checkit agreement in Spain), "partner-baseline" (an
    /// agreement without I-Checkit), plus "expired" and "revoked" keys of a French officer.
    static func make(
        _ backend: Backend = .sqlite, configuration: ServerConfiguration = .init()
    ) async throws -> ServerFixture {
        // Tests share the process, and its few threads, with CPU-heavy suites: a receiver may
        // be slow to answer, which must not turn an expected HTTP failure into a timeout.
        var configuration = configuration
        configuration.webhookTimeout = patientWebhooks
        let test = try await TestStore.make(backend)
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let service = KeyService(store: test.store, now: clock.now)
        var keys: [String: String] = [:]
        let roles: [(String, Role, String?)] = [
            ("FRA", .ncbOfficer, "FRA"), ("DEU", .ncbOfficer, "DEU"), ("ITA", .ncbOfficer, "ITA"),
            ("ESP", .ncbOfficer, "ESP"), ("FRA-admin", .ncbAdmin, "FRA"),
            ("ITA-frontline", .frontline, "ITA"), ("reviewer", .secretariatReviewer, nil), ("ccf", .ccf, nil),
            ("admin", .secretariatAdmin, nil), ("revoked", .ncbOfficer, "FRA"),
        ]
        for (name, role, member) in roles {
            let issued = try await service.issue(
                role: role, member: member.flatMap(MemberCode.init), label: name, expiresAt: nil,
                by: .localOperator)
            keys[name] = issued.secret
            if name == "revoked" { _ = try await service.revoke(id: issued.record.id, by: .localOperator) }
        }
        let expiring = try await service.issue(
            role: .ncbOfficer, member: MemberCode("FRA"), label: "expired", expiresAt: clock.now() + 60,
            by: .localOperator)
        keys["expired"] = expiring.secret
        let concord = try await Concord.start(
            store: test.store, configuration: configuration, logger: Logger(label: "test"), now: clock.now)
        let partners: [(String, [PartnerService])] = [("partner-ESP", [.icheckit]), ("partner-baseline", [.baseline])]
        for (name, services) in partners {
            let agreement = try await concord.agreements.create(
                NewAgreement(
                    partner: name, services: services, country: MemberCode("ESP")!, validUntil: clock.now() + 86_400),
                by: .key("fixture", role: .secretariatAdmin, member: nil))
            keys[name] = try await concord.agreements.issueKey(
                agreement.id, NewPartnerKey(label: name), by: .key("fixture", role: .secretariatAdmin, member: nil)
            ).secret
        }
        return ServerFixture(test: test, concord: concord, keys: keys, clock: clock)
    }

    func withClient(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(concord, configuration: .init(), logger: Logger(label: "test"))
        do {
            try await app.test(.router, body)
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }

    func headers(_ key: String?) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(keys[key] ?? key)" }
        return headers
    }
}

/// A clock the tests move by hand, so expiry never depends on timing.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: @Sendable () -> Date { { self.current.withLock { $0 } } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

extension TestClientProtocol {
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, as key: String?, fixture: ServerFixture, json: String? = nil
    ) async throws -> TestResponse {
        try await execute(
            uri: uri, method: method, headers: fixture.headers(key), body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var json: [String: Any] {
        get throws {
            try #require(JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        }
    }

    var text: String { String(buffer: body) }
}

func documentJSON(
    issuer: String = "FRA", type: String = "passport", number: String = "24XF99871", status: String = "stolen",
    extra: String = ""
) -> String {
    #"{"issuer":"\#(issuer)","type":"\#(type)","number":"\#(number)","status":"\#(status)"\#(extra)}"#
}

func checkJSON(_ documents: [(String, String, String)]) -> String {
    let items = documents.map { #"{"issuer":"\#($0.0)","type":"\#($0.1)","number":"\#($0.2)"}"# }
    return #"{"documents":[\#(items.joined(separator: ","))]}"#
}

/// A webhook timeout no test comes near, however loaded the machine.
let patientWebhooks: Duration = .seconds(300)
