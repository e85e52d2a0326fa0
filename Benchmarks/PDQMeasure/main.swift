import ConcordMatching
import Foundation

// Times PDQ hashing of decoded pixels, without decoding:
//   PDQMeasure FILE [REPETITIONS]
// FILE holds "WIDTH HEIGHT\n" then RGB bytes (scripts/compare-pdq.sh writes one). Prints the
// hash, then milliseconds per hash (median and best) on one thread.

let arguments = CommandLine.arguments
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
print(String(format: "concord pdq %dx%d: median %.3f ms, best %.3f ms over %d", width, height, times[times.count / 2], times[0], repetitions))
