import ConcordCore
import ConcordMatching
import Foundation
import Synchronization

// Times PDQ hashing of decoded pixels, without decoding:
//   PDQMeasure FILE [REPETITIONS]
// FILE holds "WIDTH HEIGHT\n" then RGB bytes (scripts/compare-pdq.sh writes one). Prints the
// hash, then milliseconds per hash (median and best) on one thread.
//
// Or times the Hamming index, radius 31, on 32-byte hashes from files: one query at a time on
// one thread, then on each of two threads. Each is the best (and median) of PASSES passes
// through the queries, 5 unless the environment says otherwise:
//   PDQMeasure --index SIGNATURES_FILE QUERIES_FILE
//
// Or prints the memory of the signature bank as a node holds it (`SignatureIndex`: record ids,
// categories and review dates, the Hamming index, and the lookup by value), per PDQ signature:
//   PDQMeasure --bank SIGNATURES_FILE

let arguments = CommandLine.arguments
if arguments.count == 4, arguments[1] == "--index" {
    measureIndex(signatures: arguments[2], queries: arguments[3])
    exit(0)
}
if arguments.count == 3, arguments[1] == "--bank" {
    measureBank(signatures: arguments[2])
    exit(0)
}
guard arguments.count >= 2, let data = FileManager.default.contents(atPath: arguments[1]),
    let newline = data.firstIndex(of: UInt8(ascii: "\n"))
else {
    FileHandle.standardError.write(Data("usage: PDQMeasure FILE [REPETITIONS]\n".utf8))
    exit(2)
}
let size = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ").compactMap { Int($0) }
let (width, height) = (size[0], size[1])
let rgb = Array(data[(newline + 1)...])
let repetitions = arguments.count > 2 ? Int(arguments[2]) ?? 50 : 50

var times: [Double] = []
var result = PDQ.hash(rgb: rgb, width: width, height: height)
for _ in 0..<repetitions {
    let start = ContinuousClock.now
    result = PDQ.hash(rgb: rgb, width: width, height: height)
    let elapsed = ContinuousClock.now - start
    times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
}
times.sort()
print("hash \(result.hash.hex) quality \(result.quality)")
print(
    String(
        format: "concord pdq %dx%d: median %.3f ms, best %.3f ms over %d", width, height, times[times.count / 2],
        times[0], repetitions))

/// Reads 32-byte hashes, as scripts/compare-hamming.sh writes them.
func readHashes(_ path: String) -> [PDQHash] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(2)
    }
    return data.withUnsafeBytes { raw in
        (0..<(raw.count / 32)).map { record in
            func word(_ w: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: record * 32 + w * 8, as: UInt64.self) }
            return PDQHash(words: (word(0), word(1), word(2), word(3)))
        }
    }
}

func measureIndex(signatures: String, queries: String) {
    let hashes = readHashes(signatures)
    let probes = readHashes(queries)
    let before = residentBytes()
    let buildStart = ContinuousClock.now
    var index = PDQIndex()
    index.insert(contentsOf: hashes)
    let build = ContinuousClock.now - buildStart
    let bytes = Double(residentBytes() - before) / Double(hashes.count)
    // Each way is timed over several passes through the queries: a shared machine's speed
    // drifts, so the best and the median pass are printed, not one pass's luck.
    let passes = max(1, Int(ProcessInfo.processInfo.environment["PASSES"] ?? "") ?? 5)
    func rates(_ pass: () -> Int) -> (best: Double, median: Double, found: Int) {
        var found = 0
        let times = (0..<passes).map { _ in
            let clock = ContinuousClock.now
            found = pass()
            let elapsed = ContinuousClock.now - clock
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }.sorted()
        return (Double(probes.count) / times[0], Double(probes.count) / times[passes / 2], found)
    }
    let single = rates { probes.reduce(0) { $0 + index.matches(of: $1, within: 31).count } }
    // Half the queries on each of two threads, as the server answers two partners at once:
    // the index is read by both at the same time.
    let shared = index
    let halves = [Array(probes.prefix(probes.count / 2)), Array(probes.dropFirst(probes.count / 2))]
    let pairs = rates {
        let found = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            found.add(halves[half].reduce(0) { $0 + shared.matches(of: $1, within: 31).count }, ordering: .relaxed)
        }
        return found.load(ordering: .relaxed)
    }
    print("concord PDQIndex: build \(build), \(String(format: "%.1f", bytes)) bytes/signature resident")
    for (way, rate) in [("on one thread", single), ("on two threads, half the queries on each", pairs)] {
        print(
            "concord PDQIndex: \(Int(rate.best)) queries/s \(way), radius 31 (median \(Int(rate.median)) "
                + "over \(passes) passes of \(probes.count) queries; \(rate.found) matches)")
    }
}

func measureBank(signatures: String) {
    let hashes = readHashes(signatures)
    let reviewDate = Date(timeIntervalSinceNow: 365 * 86_400)
    let before = residentBytes()
    // The entries are made one at a time, as a node reads them from its store.
    let bank = SignatureIndex(
        hashes.lazy.map {
            SignatureIndex.Entry(id: .random(), type: .pdq, value: $0.hex, category: "baseline", reviewDate: reviewDate)
        })
    let bytes = Double(residentBytes() - before) / Double(hashes.count)
    print(
        "concord SignatureIndex: \(bank.count) PDQ signatures, \(String(format: "%.1f", bytes)) bytes/signature resident"
    )
}

func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Int(line.split(separator: " ")[1])
    else { return 0 }
    return kilobytes * 1024
}
