import Benchmark
import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import Logging

/// An envelope of `count` indicators whose ids and values derive from `first`, so every run
/// posts the same objects and no two envelopes share one.
func envelope(first: Int, count: Int) -> [UInt8] {
    let objects = (first..<first + count).map { number in
        let id = String(format: "%08x-0000-4000-8000-%012x", number, number)
        let address = "198.\(51 + number >> 16 & 3).\(number >> 8 & 255).\(number & 255)"
        return """
            {"type":"indicator","spec_version":"2.1","id":"indicator--\(id)",\
            "created":"2024-05-01T12:00:00.000Z","modified":"2024-05-01T12:00:00.000Z","name":"scanner",\
            "pattern":"[ipv4-addr:value = '\(address)']","pattern_type":"stix",\
            "valid_from":"2024-05-01T12:00:00Z",\
            "object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]}
            """
    }
    return Array(("{\"objects\":[" + objects.joined(separator: ",") + "]}").utf8)
}

/// A node on a SQLite store with one trust group of France and Germany sharing a collection
/// that already holds `seeded` indicators.
struct GatewayFixture: Sendable {
    static let poster = Principal.key("key_fra", role: .ncbOfficer, member: MemberCode("FRA"))
    static let reader = Principal.key("key_deu", role: .ncbOfficer, member: MemberCode("DEU"))
    static let envelopeSize = 1000

    let concord: Concord
    let collection: String
    /// The `date_added` of each seeded envelope's first object, to start pages there.
    let marks: [String]
    let seeded: Int

    static func make(seeded: Int) async throws -> GatewayFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-bench-\(UUID())")
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let concord = try await Concord.start(store: try SQLiteStore(folder: folder), logger: logger)
        let root = try await concord.gateway.putRoot(
            name: "bench",
            NewGatewayRoot(
                title: "Bench",
                participants: [.party(.member(MemberCode("FRA")!)), .party(.member(MemberCode("DEU")!))],
                collections: [
                    NewGatewayCollection(title: "Indicators", readers: ["participants"], writers: ["participants"])
                ]),
            by: Principal.key("key_admin", role: .secretariatAdmin, member: nil))
        let collection = root.collections[0].id
        var marks: [String] = []
        for first in stride(from: 0, to: seeded, by: envelopeSize) {
            let status = try await concord.gateway.add(
                "bench", collection, envelope: envelope(first: first, count: envelopeSize), by: poster)
            marks.append(status.successes[0].version)
        }
        let firstPage = try await concord.gateway.read(
            "bench", collection, try TAXIIFilter(parameters: [("limit", "1")]), action: "taxii.objects", for: reader)
        precondition(firstPage.objects.count == 1)
        return GatewayFixture(concord: concord, collection: collection, marks: marks, seeded: seeded)
    }
}

actor GatewayFixtureHolder {
    private var fixture: GatewayFixture?
    private var posted = 0

    func get() async throws -> GatewayFixture {
        if fixture == nil { fixture = try await GatewayFixture.make(seeded: 100_000) }
        return fixture!
    }

    /// The first number of `count` indicators never posted before, so every POST adds them all.
    func unposted(_ count: Int) -> Int {
        defer { posted += count }
        return 1_000_000_000 + posted
    }
}

let gatewayFixture = GatewayFixtureHolder()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 10_000)

    let parsed = envelope(first: 0, count: 1000)
    Benchmark("Gateway ingest, envelope of 1000 indicators: parse, validate, observables") { benchmark in
        for _ in benchmark.scaledIterations {
            let (value, ranges) = try JSONValue.parse(parsed, keepingElementsOf: "objects")
            for (object, range) in zip(value["objects"]!.array!, ranges) {
                blackHole(
                    GatewayIngest.object(
                        object, json: Array(parsed[range]), collection: "c", addedBy: .party(.secretariat),
                        key: "key_bench", at: Date()))
            }
        }
    }

    // Target: at least 5,000 objects/s, so at most 200 ms per envelope of 1000.
    Benchmark(
        "Gateway POST, envelope of 1000 indicators, SQLite, journaled",
        configuration: .init(maxIterations: 40)
    ) { benchmark in
        let fixture = try await gatewayFixture.get()
        var envelopes: [[UInt8]] = []
        for _ in benchmark.scaledIterations {
            envelopes.append(envelope(first: await gatewayFixture.unposted(1000), count: 1000))
        }
        benchmark.startMeasurement()
        for body in envelopes {
            blackHole(
                try await fixture.concord.gateway.add(
                    "bench", fixture.collection, envelope: body, by: GatewayFixture.poster))
        }
    }

    // Target: at most 10 ms, and no growth with the collection (compare GatewayMeasure's sizes).
    Benchmark("Gateway page of 100 by added_after, 100k objects") { benchmark in
        let fixture = try await gatewayFixture.get()
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            let mark = fixture.marks[iteration * 7919 % fixture.marks.count]
            let filter = try TAXIIFilter(parameters: [("added_after", mark), ("limit", "100")])
            blackHole(
                try await fixture.concord.gateway.read(
                    "bench", fixture.collection, filter, action: "taxii.objects", for: GatewayFixture.reader))
        }
    }
}
