// Measures the document index at a given size, in one process:
//
//     swift run -c release IndexMeasure [RECORDS] [SNAPSHOT-FILE] [--bulk-only]
//
// RECORDS defaults to 10,000,000. Prints the time to build the index one record at a time
// (skipped with --bulk-only) and in one go (as from the store), resident memory per record
// (from /proc), lookups per second on one core over a mix of 90% misses and 10% hits, the time
// to write the snapshot file and to load it back after evicting it from the page cache, and
// the latency of one main-memory read on small and on large pages, which would bound lookups
// if each waited for the one before. A measurement tool, not a test: nothing here asserts.

import ConcordCore
import ConcordMatching
import Foundation

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") }
let bulkOnly = CommandLine.arguments.contains("--bulk-only")
let records = arguments.first.map { Int($0.replacingOccurrences(of: "_", with: ""))! } ?? 10_000_000
let snapshotPath = arguments.dropFirst().first ?? NSTemporaryDirectory() + "index-measure.snapshot"

/// Deterministic document numbers, as in the DocumentChecks benchmarks.
let alphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789".utf8)
func documentNumber(_ value: Int) -> String {
    var value = UInt64(value) &* 0x9e37_79b9_7f4a_7c15
    var bytes = [UInt8](repeating: 0, count: 9)
    for position in 0..<9 {
        bytes[position] = alphabet[Int(value % UInt64(alphabet.count))]
        value /= UInt64(alphabet.count)
    }
    return String(decoding: bytes, as: UTF8.self)
}

let issuers = ["FRA", "D", "ITA", "ESP", "BRA", "JPN", "KEN", "CAN"].map { IssuerCode($0)! }
let owners = issuers.map { $0.member! }
let restrictions = [Restrictions.none, Restrictions(notifyOwner: true)]

func key(_ value: Int) -> DocumentKey {
    try! DocumentKey(issuer: issuers[value % issuers.count], type: .passport, number: documentNumber(value))
}

func recordID(_ value: Int) -> RecordID {
    var state = UInt64(value) &+ 0x1234_5678
    func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    // The words' bytes in little-endian order, as UUID text (as earlier versions made it).
    let (a, b) = (next(), next())
    return RecordID(uuidBits: (a.byteSwapped, b.byteSwapped))
}

/// How much of this process's memory sits in 2 MB pages, from /proc/self/smaps_rollup.
func largePageBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("AnonHugePages:") })
    else { return 0 }
    return (Int(line.split(separator: " ")[1]) ?? 0) * 1024
}

/// Resident memory of this process, from /proc/self/statm.
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// CPU time of this thread: the machine is shared, and wall-clock time would count the time
/// other processes had the core. Both are printed; rates use CPU time.
func threadSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

nonisolated(unsafe) var lastWallSeconds = 0.0

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    let cpu = threadSeconds()
    try body()
    let elapsed = ContinuousClock.now - start
    lastWallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return threadSeconds() - cpu
}

func wall() -> String { "wall \(format(lastWallSeconds)) s" }

func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

say("records: \(records), cores: \(ProcessInfo.processInfo.activeProcessorCount), snapshot: \(snapshotPath)")

// The queries: 90% keys never recorded, 10% recorded ones, in a random order.
var generator = SystemRandomNumberGenerator()
let queryCount = 1 << 20
let queryValues = (0..<queryCount).map { n in
    n % 10 == 0 ? Int.random(in: 0..<records, using: &generator) : records + n
}
let queries = queryValues.map(key)
let baseline = residentBytes()

/// Each record of `values` in turn, with its number, id, key, owner and restrictions.
func forEachRecord(
    in values: Range<Int> = 0..<records, _ body: (Int, RecordID, DocumentKey, MemberCode, Restrictions) -> Void
) {
    for value in values {
        body(value, recordID(value), key(value), owners[value % owners.count], restrictions[value % 10 == 0 ? 1 : 0])
    }
}
let reviewDate = Date(timeIntervalSince1970: 1_900_000_000)

// Both builds below make each record's id and key as they go, as a store hands them over;
// making them alone takes this long, to be set against the build times.
var made = 0
let makingSeconds = seconds {
    forEachRecord { _, id, key, _, _ in made &+= id.rawValue.utf8.count &+ key.number.utf8.count }
}
say("making the records' ids and keys alone: \(format(makingSeconds, 1)) s (checksum \(made))")

/// Resident memory per record since `baseline`, and how much of it is in 2 MB pages.
func memoryLine(_ index: DocumentIndex) -> String {
    let resident = residentBytes() - baseline
    return "memory: \(format(Double(resident) / Double(records))) bytes/record resident"
        + " (\(format(Double(resident) / 1e9)) GB, \(format(Double(largePageBytes()) / 1e9)) GB of it in 2 MB pages),"
        + " \(format(index.bytesPerEntry)) bytes/record by the index's own count"
}

var index = DocumentIndex()
if !bulkOnly {
    let buildSeconds = seconds {
        forEachRecord { value, id, key, owner, restrictions in
            index.upsert(id: id, key: key, owner: owner, restrictions: restrictions, reviewDate: reviewDate)
            if value > 0 && value % 10_000_000 == 0 { say("  built \(value / 1_000_000)M") }
        }
    }
    say(
        "build, one record at a time: \(format(buildSeconds, 1)) s"
            + " (\(format(Double(records) / buildSeconds / 1e6)) M records/s)")
    say(memoryLine(index))
}

// The same records in one go, as loading from the store builds the index; lookups below use
// this index, laid out as after a start from the store or from a snapshot.
// As in the server, records are prepared a page at a time (there on the threads that read
// the store) and added on one thread; each step is timed on its own.
// The builder is local to this function and consumed by `build()`, so that what it gathered is
// freed once the index is built, before memory is measured. It is used outside closures:
// consuming a variable a closure captures corrupted the heap with this compiler (Swift 6.3).
func buildInOneGo() -> DocumentIndex {
    var builder = DocumentIndex.Builder()
    var (prepareSeconds, addSeconds) = (0.0, 0.0)
    for pageStart in stride(from: 0, to: records, by: 1 << 20) {
        var page: [DocumentIndex.Builder.Prepared] = []
        prepareSeconds += seconds {
            page.reserveCapacity(1 << 20)
            forEachRecord(in: pageStart..<min(pageStart + 1 << 20, records)) { _, id, key, owner, restrictions in
                page.append(.init(id: id, key: key, owner: owner, restrictions: restrictions, reviewDate: reviewDate))
            }
        }
        let addStart = threadSeconds()
        for prepared in page { builder.add(prepared) }
        addSeconds += threadSeconds() - addStart
    }
    // Laying out runs on every core, so its wall-clock time is the one that counts.
    let layoutStart = ContinuousClock.now
    let built = (consume builder).build()
    lastWallSeconds = Double((ContinuousClock.now - layoutStart) / .milliseconds(1)) / 1e3
    say(
        "build in one go (DocumentIndex.Builder): preparing \(format(prepareSeconds, 1)) s, adding"
            + " \(format(addSeconds, 1)) s (\(format(Double(records) / addSeconds / 1e6)) M records/s),"
            + " laying out \(wall())")
    return built
}
index = buildInOneGo()
if bulkOnly { say(memoryLine(index)) }

func lookups(_ index: DocumentIndex, passes: Int) -> (perSecond: Double, found: Int) {
    var found = 0
    let elapsed = seconds {
        for _ in 0..<passes {
            for query in queries where index.contains(query) { found += 1 }
        }
    }
    return (Double(passes * queryCount) / elapsed, found / passes)
}

/// Slower per lookup than `contains` mostly for this loop's sake: the compiler copies each key
/// (retaining and releasing its strings) around a call that takes a closure.
func candidates(_ index: DocumentIndex, passes: Int) -> Double {
    var found = 0
    let elapsed = seconds {
        for _ in 0..<passes {
            for query in queries { index.forEachCandidate(of: query) { _ in found += 1 } }
        }
    }
    return Double(passes * queryCount) / elapsed
}

func batchLookups(_ index: DocumentIndex, passes: Int, batch: Int) -> Double {
    var found = 0
    let batches = stride(from: 0, to: queryCount, by: batch).map { Array(queries[$0..<$0 + batch]) }
    let elapsed = seconds {
        for _ in 0..<passes {
            for keys in batches { index.forEachCandidate(ofEach: keys) { _, _ in found += 1 } }
        }
    }
    return Double(passes * queryCount) / elapsed
}

_ = lookups(index, passes: 1)
let (containsRate, hits) = lookups(index, passes: 5)
let containsWall = wall()
let candidateRate = candidates(index, passes: 3)
say(
    "lookups per CPU-second, one thread, 90% misses: contains \(format(containsRate / 1e6)) M/s (\(containsWall)"
        + " for 5 × \(queryCount)), forEachCandidate \(format(candidateRate / 1e6)) M/s (\(wall()) for 3 passes);"
        + " hits per pass \(hits)")
// The lookups above take keys already made, as a check holds them once its request is read.
// Making a key normalises its number and works out its digest; here both are timed together.
let queryTexts = queryValues.map { (issuers[$0 % issuers.count], documentNumber($0)) }
var textHits = 0
let textSeconds = try seconds {
    for (issuer, number) in queryTexts
    where index.contains(try DocumentKey(issuer: issuer, type: .passport, number: number)) {
        textHits += 1
    }
}
precondition(textHits == hits, "keys made from text answer differently")
say(
    "keys made from their text and looked up, one thread: \(format(Double(queryCount) / textSeconds / 1e6)) M/s"
        + " (\(wall()) for \(queryCount))")
// The latency of one lookup's miss: reads of random slots of an array as large as the index's
// fingerprints, each address depending on the previous read, so that no two misses overlap.
// Lookups do not depend on each other, and a lookup is short enough that the processor starts
// the next ones while its read is outstanding; lookups past this rate are reads overlapping.
// Measured on 4 KB pages and on 2 MB pages, which large indexes ask for.
func dependentReadNanoseconds(slots: Int, largePages: Bool) -> Double {
    let huge = 2 << 20
    let length = (slots * 4 + huge - 1) & ~(huge - 1)
    let mapping = mmap(nil, length + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
    precondition(mapping != MAP_FAILED, "cannot map the table")
    defer { munmap(mapping, length + huge) }
    let aligned = UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: mapping) + huge - 1) & ~(huge - 1))!
    _ = madvise(aligned, length, largePages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)
    let table = aligned.bindMemory(to: UInt32.self, capacity: slots)
    for slot in 0..<slots { table[slot] = UInt32(truncatingIfNeeded: slot &* 2_654_435_761) }
    var state: UInt64 = 0x9e37_79b9_7f4a_7c15
    var last: UInt32 = 0
    let reads = 4_000_000
    let elapsed = seconds {
        for _ in 0..<reads {
            state = (state ^ UInt64(last)) &* 0xff51_afd7_ed55_8ccd
            state ^= state >> 29
            last = table[Int(truncatingIfNeeded: ((state >> 32) &* UInt64(slots)) >> 32)]
        }
    }
    precondition(last != 1, "keeps the reads")
    return elapsed / Double(reads) * 1e9
}
for largePages in [false, true] {
    let dependentRead = dependentReadNanoseconds(slots: Int(Double(records) / 0.88), largePages: largePages)
    say(
        "memory latency, \(largePages ? "2 MB" : "4 KB") pages: one dependent random read over"
            + " \(format(Double(records) / 0.88 * 4 / 1e6, 0)) MB takes \(format(dependentRead, 0)) ns,"
            + " so lookups that each waited for the one before would top out near"
            + " \(format(1e3 / dependentRead)) M/s on this machine"
    )
}
for batch in [16, 128] {
    let rate = batchLookups(index, passes: 3, batch: batch)
    say(
        "batch lookups per CPU-second, one thread, batches of \(batch): \(format(rate / 1e6)) M/s (\(wall()) for 3 passes)"
    )
}

var snapshotBytes = 0
let writeSeconds = try seconds {
    let descriptor = open(snapshotPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(descriptor >= 0, "cannot create \(snapshotPath)")
    try index.writeSnapshot(at: .init(journalPosition: Int64(records), journalHash: "measure")) { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "cannot write \(snapshotPath)")
            offset += written
        }
        snapshotBytes += bytes.count
    }
    fsync(descriptor)
    close(descriptor)
}
say(
    "snapshot write (with fsync): \(format(writeSeconds)) s CPU, \(wall()), \(format(Double(snapshotBytes) / 1e9)) GB,"
        + " \(format(Double(snapshotBytes) / Double(max(records, 1)))) bytes/record")

let count = index.count
index = DocumentIndex()
let evicted = open(snapshotPath, O_RDONLY)
let evictedFromCache = posix_fadvise(evicted, 0, 0, Int32(POSIX_FADV_DONTNEED)) == 0
close(evicted)

var loaded = DocumentIndex()
let loadSeconds = try seconds {
    let descriptor = open(snapshotPath, O_RDONLY)
    precondition(descriptor >= 0, "cannot open \(snapshotPath)")
    defer { close(descriptor) }
    loaded = try DocumentIndex.readSnapshot { buffer in read(descriptor, buffer.baseAddress!, buffer.count) }.index
}
precondition(loaded.count == count, "the snapshot lost records")
say(
    "snapshot load (\(evictedFromCache ? "evicted from the page cache first" : "page cache not evicted")):"
        + " \(format(loadSeconds)) s CPU, \(wall()), \(format(Double(count) / lastWallSeconds / 1e6)) M records/s")
let (loadedRate, loadedHits) = lookups(loaded, passes: 3)
precondition(loadedHits == hits, "the loaded index answers differently")
say(
    "lookups after load, one thread: contains \(format(loadedRate / 1e6)) M/s per CPU-second; same answers;"
        + " \(format(Double(largePageBytes()) / 1e9)) GB in 2 MB pages")
unlink(snapshotPath)
