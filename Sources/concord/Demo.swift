import ArgumentParser
import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import Logging

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a demonstration installation with fictional data and ready-made keys.",
        discussion: "Without --data, a fresh temporary data folder is used and nothing is kept.")

    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Data folder to seed and serve (created if missing; seeded only when empty).") var data: String?

    func run() async throws {
        let folder =
            data.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("concord-demo-\(UUID().uuidString)")
        let logger = makeLogger("concord")
        let store = try SQLiteStore(folder: folder)
        let keys = KeyService(store: store)
        let admin = try await keys.issue(
            role: .secretariatAdmin, member: nil, label: "demo", expiresAt: nil, by: .localOperator)
        let roles: [(Role, MemberCode?)] = [
            (.ncbOfficer, MemberCode("FRA")), (.ncbOfficer, MemberCode("DEU")), (.frontline, MemberCode("ITA")),
            (.ncbAdmin, MemberCode("BRA")), (.ccf, nil), (.secretariatReviewer, nil),
        ]
        var issued: [(Role, MemberCode?, String)] = [(.secretariatAdmin, nil, admin.secret)]
        for (role, member) in roles {
            let key = try await keys.issue(
                role: role, member: member, label: "demo", expiresAt: nil,
                by: .key(admin.record.id, role: .secretariatAdmin, member: nil))
            issued.append((role, member, key.secret))
        }
        let seeded = try await DemoData.seed(store: store, logger: logger)
        // A private partner screening documents in Spain, under an I-Checkit agreement.
        let agreements = AgreementService(store: store, journal: QueryJournal(store: store), now: Date.init)
        let secretariat = Principal.key(admin.record.id, role: .secretariatAdmin, member: nil)
        let agreement = try await agreements.create(
            NewAgreement(
                partner: "Demo Airways", services: [.icheckit], country: MemberCode("ESP")!,
                validUntil: Date() + 365 * 86_400),
            by: secretariat)
        let partner = try await agreements.issueKey(agreement.id, NewPartnerKey(label: "demo"), by: secretariat)
        issued.append((.partner, MemberCode("ESP"), partner.secret))
        // A platform matching images against the signature bank in Ireland, under Baseline.
        let platformAgreement = try await agreements.create(
            NewAgreement(
                partner: "Demo Platform", services: [.baseline], country: MemberCode("IRL")!,
                validUntil: Date() + 365 * 86_400),
            by: secretariat)
        let platform = try await agreements.issueKey(
            platformAgreement.id, NewPartnerKey(label: "demo"), by: secretariat)
        issued.append((.partner, MemberCode("IRL"), platform.secret))
        let sampleSignature = try await DemoSignatures.seed(store: store, secretariat: secretariat, logger: logger)
        // A security company exchanging threat intelligence with police in the Netherlands, under Gateway.
        let securityAgreement = try await agreements.create(
            NewAgreement(
                partner: "Demo Security", services: [.gateway], country: MemberCode("NLD")!,
                validUntil: Date() + 365 * 86_400),
            by: secretariat)
        let security = try await agreements.issueKey(
            securityAgreement.id, NewPartnerKey(label: "demo"), by: secretariat)
        issued.append((.partner, MemberCode("NLD"), security.secret))
        let gateway = GatewayService(
            store: store, journal: QueryJournal(store: store), warninglists: .standard, now: Date.init)
        let cyber = try await gateway.putRoot(
            name: "cyber",
            NewGatewayRoot(
                title: "Cybercrime trust group",
                participants: [
                    .party(.secretariat), .party(.member(MemberCode("FRA")!)), .party(.member(MemberCode("DEU")!)),
                    .partner(agreement: securityAgreement.id),
                ],
                collections: [
                    NewGatewayCollection(
                        title: "Shared indicators", description: "Indicators shared by police and partners",
                        readers: [GatewayRoots.everyParticipant], writers: [GatewayRoots.everyParticipant]),
                    NewGatewayCollection(
                        title: "Police only", readers: ["GS", "FRA", "DEU"], writers: ["GS", "FRA", "DEU"]),
                ]),
            by: secretariat)
        // The General Secretariat shares a scanner's address with everyone, and keeps a second
        // one TLP:RED: the partner sees the first, in objects and correlations, never the second.
        let indicators = """
            {"objects":[\(DemoGateway.indicator("7d7a4c1e-0f1b-4a57-9a8e-3f1d2c5b6a01", "198.51.100.7", tlp: .green)),\
            \(DemoGateway.indicator("7d7a4c1e-0f1b-4a57-9a8e-3f1d2c5b6a02", "198.51.100.0/24", tlp: .red))]}
            """
        _ = try await gateway.add(
            "cyber", cyber.collections[0].id, envelope: Array(indicators.utf8), by: secretariat)

        say("Concord demo — data folder \(folder.path)")
        if seeded.documents > 0 {
            say("Seeded \(seeded.documents) fictional stolen and lost travel documents from 8 members,")
            say(
                "\(seeded.notices) notices in several states, \(seeded.diffusions) diffusion "
                    + "and \(seeded.persons) wanted and missing persons.")
        }
        say("\nKeys (demo only; each shown once):")
        for (role, member, secret) in issued {
            let who = role.rawValue + (member.map { " \($0)" } ?? "")
            say("  \(who.padding(toLength: 24, withPad: " ", startingAt: 0)) \(secret)")
        }
        let officer = issued[1].2
        say(
            """

            Try it (as the French NCB):
              curl -s -X POST http://127.0.0.1:\(port)/v1/documents -H 'Authorization: Bearer \(officer)' \\
                -H 'Content-Type: application/json' \\
                -d '{"issuer":"FRA","type":"passport","number":"24XF99871","status":"stolen"}'
              curl -s -X POST http://127.0.0.1:\(port)/v1/documents/check -H 'Authorization: Bearer \(officer)' \\
                -H 'Content-Type: application/json' \\
                -d '{"documents":[{"issuer":"FRA","type":"passport","number":"24xf 99871"}]}'

            As the partner airline (I-Checkit: hit or no hit, and a reference for the police):
              curl -s -X POST http://127.0.0.1:\(port)/v1/icheckit/check -H 'Authorization: Bearer \(partner.secret)' \\
                -H 'Content-Type: application/json' \\
                -d '{"documents":[{"issuer":"FRA","type":"passport","number":"24XF99871"}],"terminal":"MAD T4"}'
              curl -s http://127.0.0.1:\(port)/v1/hits -H 'Authorization: Bearer \(officer)'

            As the partner platform (Baseline: match image signatures, then fetch the signed hash list):
              curl -s -X POST http://127.0.0.1:\(port)/v1/signatures/match -H 'Authorization: Bearer \(platform.secret)' \\
                -H 'Content-Type: application/json' \\
                -d '{"hashes":[{"type":"pdq","value":"\(sampleSignature)","quality":90}]}'
              concord signatures sync --server http://127.0.0.1:\(port) --key \(platform.secret) \\
                --public-key $(concord signatures public-key --data \(folder.path)) --out baseline.list

            Screen a person as the Italian border (names in any script; frontline sees enough to act):
              curl -s -X POST http://127.0.0.1:\(port)/v1/screening/persons -H 'Authorization: Bearer \(issued[3].2)' \\
                -H 'Content-Type: application/json' \\
                -d '{"names":["Aleksandr Petrov"],"dateOfBirth":"1975"}'

            As the security partner (TAXII 2.1; any user name, the key as password):
              curl -s -u demo:\(security.secret) http://127.0.0.1:\(port)/taxii2/cyber/collections/ \\
                -H 'Accept: application/taxii+json;version=2.1'
              curl -s -u demo:\(security.secret) \\
                http://127.0.0.1:\(port)/taxii2/cyber/collections/\(cyber.collections[0].id)/objects/ \\
                -H 'Accept: application/taxii+json;version=2.1'
              curl -s 'http://127.0.0.1:\(port)/v1/gateway/correlations?value=198.51.100.7' \\
                -H 'Authorization: Bearer \(security.secret)'

            As the General Secretariat's reviewer, then as the public (no key):
              curl -s http://127.0.0.1:\(port)/v1/review/queue -H 'Authorization: Bearer \(issued[6].2)'
              curl -s 'http://127.0.0.1:\(port)/public/notices/v1/red?resultPerPage=2'

            API description: http://127.0.0.1:\(port)/openapi.yaml
            """)
        let exportKey = try loadSigningKey(folder.appendingPathComponent("mind-signing.key"), create: true)
        try await serve(store, host: "127.0.0.1", port: port, exportKey: exportKey, logger: logger)
        // A folder the demo made for itself goes with it; one the user named stays.
        if data == nil { try? FileManager.default.removeItem(at: folder) }
    }
}

/// Fictional documents in the numbering styles of a few members, the same on every run.
enum DemoData {
    static let members = ["FRA", "DEU", "ITA", "ESP", "BRA", "JPN", "KEN", "CAN"]

    struct Seeded {
        var documents = 0
        var notices = 0
        var diffusions = 0
        var persons = 0
    }

    /// Seeds an empty store through the services, as each member's NCB would.
    static func seed(store: any Store, logger: Logger) async throws -> Seeded {
        guard try await store.records(kind: .travelDocument, after: 0, limit: 1).records.isEmpty else {
            return Seeded()
        }
        let concord = try await Concord.start(store: store, logger: logger)
        let notices = try await DemoNotices.seed(concord)
        let persons = try await DemoPersons.seed(concord)
        var random = SplitMix(seed: 2026)
        let statuses: [DocumentStatus] = [.stolen, .stolen, .lost, .lost, .lost, .stolenBlank, .revoked]
        let types: [DocumentType] = [.passport, .passport, .passport, .idCard, .idCard, .residencePermit, .visa]
        var count = 0
        for code in members {
            let member = MemberCode(code)!
            let officer = Principal.key("demo-seed-\(code)", role: .ncbOfficer, member: member)
            for item in 0..<40 {
                let issued = CalendarDate(
                    year: 2016 + random.next(9), month: 1 + random.next(12), day: 1 + random.next(28))!
                let lost = CalendarDate(
                    year: min(issued.year + 1 + random.next(3), 2025), month: 1 + random.next(12),
                    day: 1 + random.next(28))!
                // One French passport is shared only with Germany, to show restrictions at work.
                let restricted = code == "FRA" && item == 0
                let request = NewTravelDocument(
                    issuer: Members.member(member).issuer, type: types[random.next(types.count)],
                    number: number(for: code, &random), status: statuses[random.next(statuses.count)],
                    dateOfIssue: issued,
                    dateOfExpiry: CalendarDate(year: issued.year + 10, month: issued.month, day: issued.day),
                    dateOfTheftOrLoss: lost, nationalReference: "\(code)-\(2024_000 + item)",
                    restrictions: restricted ? Restrictions(visibility: .onlyListed([MemberCode("DEU")!])) : nil)
                _ = try await concord.documents.record(request, by: officer)
                count += 1
            }
        }
        return Seeded(
            documents: count, notices: notices.notices, diffusions: notices.diffusions, persons: persons)
    }

    static func number(for member: String, _ random: inout SplitMix) -> String {
        let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
        func digits(_ n: Int) -> String { (0..<n).map { _ in String(random.next(10)) }.joined() }
        func letter() -> String { String(letters[random.next(letters.count)]) }
        switch member {
        case "FRA": return digits(2) + letter() + letter() + digits(5)
        case "DEU": return "C" + digits(2) + letter() + digits(2) + letter() + digits(2)
        case "ITA", "ESP": return letter() + letter() + digits(7)
        case "BRA": return letter() + letter() + digits(6)
        case "JPN": return "T" + letter() + digits(7)
        case "KEN": return "A" + digits(7)
        default: return letter() + letter() + digits(6)
        }
    }
}

/// A tiny deterministic generator so the demo data is the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}

/// Fictional signatures in the bank: France's NCB is authorised for ICSE data and shares some;
/// the General Secretariat adds others for Germany. The values are random, not of any image.
enum DemoSignatures {
    /// Seeds an empty bank; returns one PDQ value to try matching.
    static func seed(store: any Store, secretariat: Principal, logger: Logger) async throws -> String {
        var random = SplitMix(seed: 6)
        func hex(_ digits: Int) -> String {
            (0..<digits).map { _ in String(random.next(16), radix: 16) }.joined()
        }
        let concord = try await Concord.start(store: store, logger: logger)
        if let first = try await store.records(kind: .imageSignature, after: 0, limit: 1).records.first {
            return try SignatureRecord(first).signature.value
        }
        let france = MemberCode("FRA")!
        _ = try await concord.signatures.authorise(france, ICSEGrant(note: "demo"), by: secretariat)
        let officer = Principal.key("demo-seed-FRA", role: .ncbOfficer, member: france)
        var sample = ""
        for item in 0..<24 {
            let type: SignatureType = item % 3 == 2 ? .md5 : .pdq
            let value = hex(type.hexLength)
            if sample.isEmpty && type == .pdq { sample = value }
            let byFrance = item % 2 == 0
            _ = try await concord.signatures.add(
                NewSignature(
                    type: type, value: value, category: "baseline", source: "demo series \(item / 4 + 1)",
                    owner: byFrance ? nil : MemberCode("DEU")),
                by: byFrance ? officer : secretariat)
        }
        return sample
    }
}

/// The demo's threat intelligence.
enum DemoGateway {
    /// An indicator for an address or network, as a feed would send it.
    static func indicator(_ uuid: String, _ address: String, tlp: TLPLevel) -> String {
        let marking = TLPMarking.levels.filter { $0.value == tlp }.keys.sorted()[0]
        return """
            {"type":"indicator","spec_version":"2.1","id":"indicator--\(uuid)",\
            "created":"2026-01-05T09:00:00.000Z","modified":"2026-01-05T09:00:00.000Z",\
            "name":"Scanner seen against police networks","pattern":"[ipv4-addr:value = '\(address)']",\
            "pattern_type":"stix","valid_from":"2026-01-05T09:00:00Z","object_marking_refs":["\(marking)"]}
            """
    }
}
