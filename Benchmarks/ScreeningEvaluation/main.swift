// Scores a labelled pairs file with PersonMatcher at its default threshold and prints precision,
// recall and F1, overall and per category, and the time per pair:
//
//     swift run -c release ScreeningEvaluation [PAIRS.csv] [--json] [--misses] [--repetitions N]
//         [--seconds S]
//
// PAIRS.csv defaults to Evaluation/persons/pairs.csv of the repository. The time per pair covers
// what a caller does with two raw descriptions: normalising both (transliteration included) and
// comparing them, one thread, in processor time, the fastest of the repetitions (default 20, and
// more until S seconds are spent). Each repetition starts with the normaliser's caches of recent
// names and words empty, so a name's first normalisation in a pass is counted in full and only
// its repeats within the pass are cached, as the reference's own caches behave within its pass.
// ICU's readings of Han characters and of syllables (Hangul, kana, ...) stay, as a table of a
// script's letters would. scripts/compare-screening.sh prints it beside the nomenklatura
// reference. --misses lists every pair called wrongly, with its explanation.

import ConcordCore
import ConcordMatching
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
let json = arguments.contains("--json")
arguments.removeAll { $0 == "--json" }
let misses = arguments.contains("--misses")
arguments.removeAll { $0 == "--misses" }
var repetitions = 20
if let index = arguments.firstIndex(of: "--repetitions"), index + 1 < arguments.count {
    repetitions = max(1, Int(arguments[index + 1]) ?? 5)
    arguments.removeSubrange(index...index + 1)
}
var seconds = 0.0
if let index = arguments.firstIndex(of: "--seconds"), index + 1 < arguments.count {
    seconds = max(0, Double(arguments[index + 1]) ?? 0)
    arguments.removeSubrange(index...index + 1)
}
let path =
    arguments.first
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Evaluation/persons/pairs.csv").path

let text: String
do {
    text = try String(contentsOfFile: path, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("cannot read \(path): \(error)\n".utf8))
    exit(1)
}
let pairs: [PersonPair]
do {
    pairs = try PersonPairsCSV.parse(text)
} catch {
    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
    exit(1)
}
let matcher = PersonMatcher()!

/// Processor time of this process: the machines these run on are shared, and wall time would
/// count other people's work. The reference script measures the same way.
func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

// Quality: one scoring of every pair.
let evaluation = PairEvaluation(pairs: pairs, matcher: matcher)

/// Processor time of one pass over the pairs, normalising both sides of each and comparing them.
func timeScoring(_ pairs: [PersonPair], with matcher: PersonMatcher, checksum: inout Double) -> UInt64 {
    var sum = 0.0
    let start = now()
    // By index: a loop variable would copy each pair, every string and array in it retained.
    for index in pairs.indices {
        sum += matcher.compare(PreparedPerson(pairs[index].a), PreparedPerson(pairs[index].b)).score
    }
    let time = now() - start
    checksum += sum
    return time
}

/// The same for persons normalised beforehand (as an index holds them): the comparison alone.
func timeComparing(
    _ pairs: [(PreparedPerson, PreparedPerson)], with matcher: PersonMatcher, checksum: inout Double
)
    -> UInt64
{
    var sum = 0.0
    let start = now()
    for (query, candidate) in pairs { sum += matcher.compare(query, candidate).score }
    let time = now() - start
    checksum += sum
    return time
}

/// The fastest of the passes: at least `repetitions` of them, and more until `seconds` of processor
/// time are spent, so that a comparison can give each program the same span of a shared machine.
@MainActor func fastest(_ pass: () -> UInt64) -> UInt64 {
    var (best, spent, count) = (UInt64.max, UInt64(0), 0)
    while count < repetitions || Double(spent) < seconds * 1e9 {
        let time = pass()
        (best, spent, count) = (min(best, time), spent + time, count + 1)
    }
    return best
}

// Every pass starts cold: its first sight of each name and word is normalised in full.
var checksum = 0.0
let best = fastest {
    NameNormalizer.forgetRecentNames()
    return timeScoring(pairs, with: matcher, checksum: &checksum)
}
let prepared = pairs.map { (PreparedPerson($0.a), PreparedPerson($0.b)) }
let bestCompare = fastest { timeComparing(prepared, with: matcher, checksum: &checksum) }
let microsecondsPerPair = Double(best) / 1000 / Double(max(1, pairs.count))
let compareMicroseconds = Double(bestCompare) / 1000 / Double(max(1, pairs.count))

func row(_ name: String, _ metrics: PairMetrics) -> [String: Any] {
    [
        "category": name, "pairs": metrics.count, "precision": metrics.precision, "recall": metrics.recall,
        "f1": metrics.f1, "truePositives": metrics.truePositives, "falsePositives": metrics.falsePositives,
        "falseNegatives": metrics.falseNegatives, "trueNegatives": metrics.trueNegatives,
    ]
}

if json {
    let object: [String: Any] = [
        "matcher": "concord", "threshold": matcher.threshold, "pairs": pairs.count,
        "overall": row("overall", evaluation.overall),
        "categories": evaluation.categories.map { row($0.name, $0.metrics) },
        "microsecondsPerPair": microsecondsPerPair, "compareMicrosecondsPerPair": compareMicroseconds,
    ]
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
} else {
    func format(_ value: Double) -> String { String(format: "%.3f", value) }
    func line(_ name: String, _ metrics: PairMetrics) -> String {
        name.padding(toLength: 18, withPad: " ", startingAt: 0)
            + String(
                format: "%6d %9.3f %7.3f %7.3f %5d %5d", metrics.count, metrics.precision, metrics.recall,
                metrics.f1, metrics.falsePositives, metrics.falseNegatives)
    }
    print("Concord PersonMatcher, threshold \(format(matcher.threshold)), \(pairs.count) pairs")
    print("category           pairs precision  recall      F1    FP    FN")
    for (name, metrics) in evaluation.categories { print(line(name, metrics)) }
    print(line("overall", evaluation.overall))
    print(
        String(
            format: "time per pair: %.2f µs normalising both sides and comparing, %.2f µs comparing prepared persons",
            microsecondsPerPair, compareMicroseconds))
}
if misses {
    // Every wrongly called pair with its explanation, for looking into what the matcher misses.
    for (pair, match) in zip(pairs, evaluation.matches) where pair.label.map({ $0 != match.match }) ?? false {
        print(
            "\(pair.category)\t\(pair.label == true ? "FN" : "FP")\t\(pair.a.names.joined(separator: "; "))"
                + "\t\(pair.b.names.joined(separator: "; "))\t\(match.summary)")
    }
}
if checksum.isNaN { print("") }
