import Benchmark
import ConcordCore
import ConcordMatching
import Foundation

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

let indexedCount = 10_000_000

/// Ten million documents, built on first use.
let index: DocumentIndex = {
    var index = DocumentIndex()
    for value in 0..<indexedCount {
        index.upsert(id: .random(), key: key(value), owner: owners[value % owners.count], restrictions: .none)
    }
    return index
}()

/// 90% misses and 10% hits, spread over the whole table.
let mixedKeys = (0..<65_536).map { n in n % 10 == 0 ? key(n &* 7_919 % indexedCount) : key(indexedCount + n) }

/// The same keys in batches of 16, as a batch check hands them to the index.
let batches = stride(from: 0, to: mixedKeys.count, by: 16).map { Array(mixedKeys[$0..<$0 + 16]) }

let snapshotBytes: [UInt8] = {
    var bytes: [UInt8] = []
    try! index.writeSnapshot(at: .init(journalPosition: 1, journalHash: "bench")) { bytes.append(contentsOf: $0) }
    return bytes
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(5), maxIterations: 1_000_000)

    Benchmark("Index lookup, 10M documents, 90% misses", configuration: .init(scalingFactor: .mega)) { benchmark in
        _ = index.count
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            blackHole(index.contains(mixedKeys[iteration & 65_535]))
        }
    }

    Benchmark("Index candidates, 10M documents, 90% misses", configuration: .init(scalingFactor: .mega)) {
        benchmark in
        _ = index.count
        benchmark.startMeasurement()
        for iteration in benchmark.scaledIterations {
            index.forEachCandidate(of: mixedKeys[iteration & 65_535]) { blackHole($0) }
        }
    }

    Benchmark(
        "Index batch lookup, 10M documents, 90% misses, batches of 16", configuration: .init(scalingFactor: .mega)
    ) { benchmark in
        _ = index.count
        benchmark.startMeasurement()
        var iteration = 0
        while iteration < benchmark.scaledIterations.count {
            index.forEachCandidate(ofEach: batches[(iteration / 16) & 4_095]) { blackHole($1) }
            iteration += 16
        }
    }

    Benchmark("Index bytes per document, 10M documents", configuration: .init(metrics: [.custom("bytes")])) {
        benchmark in
        benchmark.measurement(.custom("bytes"), Int(index.bytesPerEntry.rounded()))
    }

    Benchmark("Index snapshot write, 10M documents", configuration: .init(maxIterations: 5)) { benchmark in
        _ = index.count
        benchmark.startMeasurement()
        var written = 0
        try index.writeSnapshot(at: .init(journalPosition: 1, journalHash: "bench")) { written += $0.count }
        blackHole(written)
    }

    Benchmark("Index snapshot load, 10M documents", configuration: .init(maxIterations: 5)) { benchmark in
        _ = snapshotBytes.count
        benchmark.startMeasurement()
        var offset = 0
        let loaded = try DocumentIndex.readSnapshot { buffer in
            let piece = min(buffer.count, snapshotBytes.count - offset)
            snapshotBytes.withUnsafeBytes {
                buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: piece)
            }
            offset += piece
            return piece
        }
        blackHole(loaded.index.count)
    }
}
