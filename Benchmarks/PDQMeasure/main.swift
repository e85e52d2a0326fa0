import ConcordMatching
import Foundation

// Times PDQ hashing of decoded pixels, without decoding:
//   PDQMeasure FILE [REPETITIONS]
// FILE holds "WIDTH HEIGHT\n" then RGB bytes (scripts/compare-pdq.sh writes one). Prints the
// hash, then milliseconds per hash (median and best) on one thread.
//
// Or times the Hamming index on random signatures, radius 31, one thread:
//   PDQMeasure --index SIGNATURES [QUERIES]

let arguments = CommandLine.arguments
if arguments.count >= 3, arguments[1] == "--index", let signatures = Int(arguments[2]) {
    measureIndex(signatures: signatures, queries: arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000)
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

func measureIndex(signatures: Int, queries: Int) {
    var state: UInt64 = 42
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let hashes = (0..<signatures).map { _ in PDQHash(words: (next(), next(), next(), next())) }
    let before = residentBytes()
    let buildStart = ContinuousClock.now
    var index = PDQIndex()
    index.insert(contentsOf: hashes)
    let build = ContinuousClock.now - buildStart
    let bytes = Double(residentBytes() - before) / Double(signatures)
    // Half the queries have a stored signature within 20 bits, half are unrelated.
    let probes: [PDQHash] = (0..<queries).map { position in
        guard position % 2 == 0 else { return PDQHash(words: (next(), next(), next(), next())) }
        var words = hashes[Int(next() % UInt64(signatures))].words
        for _ in 0..<20 { words.0 ^= 1 << (next() % 64) }
        return PDQHash(words: words)
    }
    let clock = ContinuousClock.now
    var found = 0
    for probe in probes { found += index.matches(of: probe, within: 31).count }
    let elapsed = ContinuousClock.now - clock
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("signatures \(signatures): build \(build), \(String(format: "%.1f", bytes)) bytes/signature resident")
    print(
        String(
            format: "queries at radius 31: %.0f per second on one thread (%d queries, %d matches)",
            Double(queries) / seconds, queries, found))
}

func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Int(line.split(separator: " ")[1])
    else { return 0 }
    return kilobytes * 1024
}
