import Benchmark
import ConcordCore
import ConcordMatching
import ConcordServer
import ConcordStore
import Foundation
import Logging

/// Deterministic document numbers, so every run measures the same data.
func documentNumber(_ value: Int) -> String {
    let alphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
    var value = UInt64(value) &* 0x9e37_79b9_7f4a_7c15
    return String(
        (0..<9).map { _ in
            defer { value /= UInt64(alphabet.count) }
            return alphabet[Int(value % UInt64(alphabet.count))]
        })
}

let issuers = ["FRA", "D", "ITA", "ESP", "BRA", "JPN", "KEN", "CAN"].map { IssuerCode($0)! }
let owners = issuers.map { $0.member! }

func key(_ value: Int) -> DocumentKey {
    try! DocumentKey(issuer: issuers[value % issuers.count], type: .passport, number: documentNumber(value))
}

let indexedCount = 1_000_000

/// One million documents, built once for the lookup benchmarks.
let index: DocumentIndex = {
    var index = DocumentIndex(expectedCount: indexedCount)
    for value in 0..<indexedCount {
        index.upsert(id: .random(), key: key(value), owner: owners[value % owners.count], restrictions: .none)
    }
    return index
}()

let hitKeys = (0..<1024).map { key($0 * 977 % indexedCount) }
let missKeys = (0..<1024).map { key(indexedCount + $0) }

/// A node on a SQLite store holding 100,000 documents, for the check handler.
struct CheckFixture: Sendable {
    let concord: Concord
    let request: DocumentCheckRequest
    let principal = Principal.key("key_bench", role: .frontline, member: MemberCode("ITA"))

    static func make(documents: Int) async throws -> CheckFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concord-bench-\(UUID())")
        let store = try SQLiteStore(folder: folder)
        let now = Date()
        let officer = Principal.key("key_seed", role: .ncbOfficer, member: MemberCode("FRA"))
        for start in stride(from: 0, to: documents, by: 10_000) {
            let records = try (start..<min(start + 10_000, documents)).map { value in
                let key = key(value)
                return try TravelDocuments.record(
                    NewTravelDocument(issuer: key.issuer, type: .passport, number: key.number, status: .stolen),
                    owner: key.issuer.member!, id: .random(), now: now
                ).stored()
            }
            try await store.apply(
                records.map(Change.insert),
                journal: JournalDraft(
                    category: .write, time: now, principal: officer, action: "document.record",
                    targets: records.map(\.envelope.id.rawValue), purpose: .borderManagement, outcome: "seeded"))
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let concord = try await Concord.start(store: store, logger: logger)
        // A passenger list: 100 documents, two of them recorded.
        let queries = (0..<100).map { value -> DocumentQuery in
            let key = key(value < 2 ? value * 5_000 : documents + value)
            return DocumentQuery(issuer: key.issuer, type: .passport, number: key.number)
        }
        return CheckFixture(concord: concord, request: DocumentCheckRequest(documents: queries))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(5), maxIterations: 1_000_000)

    Benchmark("Index lookup, 1M documents, miss", configuration: .init(scalingFactor: .kilo)) { benchmark in
        _ = index.count
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            blackHole(index.contains(missKeys[iteration & 1023]))
        }
    }

    Benchmark("Index lookup, 1M documents, hit", configuration: .init(scalingFactor: .kilo)) { benchmark in
        _ = index.count
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            blackHole(index.contains(hitKeys[iteration & 1023]))
        }
    }

    Benchmark("Index bytes per document, 1M documents", configuration: .init(metrics: [.custom("bytes")])) {
        benchmark in
        benchmark.measurement(.custom("bytes"), Int(index.bytesPerEntry.rounded()))
    }

    Benchmark(
        "Check handler, batch of 100 (2 hits), 100k documents, journaled",
        configuration: .init(maxDuration: .seconds(10), setup: { try await checkFixture.set() })
    ) { benchmark in
        let fixture = try await checkFixture.get()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await fixture.concord.documents.check(fixture.request, by: fixture.principal))
        }
    }
}

/// Built once, on first use, because seeding 100,000 documents takes a while.
actor CheckFixtureHolder {
    private var fixture: CheckFixture?
    func set() async throws {
        if fixture == nil { fixture = try await CheckFixture.make(documents: 100_000) }
    }
    func get() async throws -> CheckFixture {
        try await set()
        return fixture!
    }
}

let checkFixture = CheckFixtureHolder()
