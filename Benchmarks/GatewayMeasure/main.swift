// Measures a Gateway collection as it grows, in one process, through the same service the
// TAXII endpoints call (JSON parsing, STIX validation, the policy, the journal, SQLite):
//
//     swift run -c release GatewayMeasure [OBJECTS] [ENVELOPE]
//
// OBJECTS defaults to 1,000,000 and ENVELOPE (objects per POST) to 1,000. Indicators are
// posted envelope by envelope; at 10,000, 100,000 and 1,000,000 objects it prints the rate of
// the posts since the last checkpoint, and the latency of 200 pages of 100 objects read with
// `added_after` at random points of the collection (p50, p99), which must not grow with the
// collection. A measurement tool, not a test: nothing here asserts.

import ConcordCore
import ConcordServer
import ConcordStore
import Foundation
import Logging
import MeasureSupport

let total = commandLineNumber(1, 1_000_000)
let envelopeSize = commandLineNumber(2, 1000)

func uuid(_ random: inout Generator) -> String {
    var bytes = (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    bytes[6] = bytes[6] & 0x0F | 0x40
    bytes[8] = bytes[8] & 0x3F | 0x80
    let hex = bytes.map { String(format: "%02x", $0) }.joined()
    let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
        String(
            hex[
                hex.index(
                    hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)]
        )
    }
    return parts.joined(separator: "-")
}

/// An indicator for an address, a domain or a file hash, as feeds send them.
func indicator(_ random: inout Generator) -> String {
    let pattern: String
    switch random.next() % 3 {
    case 0:
        pattern =
            "[ipv4-addr:value = '\(random.next() % 223 + 1).\(random.next() % 256).\(random.next() % 256).\(random.next() % 256)']"
    case 1:
        pattern = "[domain-name:value = 'h\(random.next() % 10_000_000).example.net']"
    default:
        let hash = (0..<4).map { _ in String(format: "%016llx", random.next()) }.joined()
        pattern = "[file:hashes.'SHA-256' = '\(hash)']"
    }
    return """
        {"type":"indicator","spec_version":"2.1","id":"indicator--\(uuid(&random))",\
        "created":"2024-05-01T12:00:00.000Z","modified":"2024-05-01T12:00:00.000Z","name":"measured",\
        "pattern":"\(pattern)","pattern_type":"stix","valid_from":"2024-05-01T12:00:00Z",\
        "object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}
        """
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-measure-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: folder) }
let store = try SQLiteStore(folder: folder)
var logger = Logger(label: "measure")
logger.logLevel = .warning
let concord = try await Concord.start(store: store, logger: logger)
let admin = Principal.key("key_admin", role: .secretariatAdmin, member: nil)
let poster = Principal.key("key_fra", role: .ncbOfficer, member: MemberCode("FRA"))
let reader = Principal.key("key_deu", role: .ncbOfficer, member: MemberCode("DEU"))
let root = try await concord.gateway.putRoot(
    name: "measure",
    NewGatewayRoot(
        title: "Measure",
        participants: [.party(.secretariat), .party(.member(MemberCode("FRA")!)), .party(.member(MemberCode("DEU")!))],
        collections: [NewGatewayCollection(title: "Indicators", readers: ["participants"], writers: ["participants"])]),
    by: admin)
let collection = root.collections[0].id

print(
    "Gateway collection up to \(total) objects, \(envelopeSize) per POST, \(ProcessInfo.processInfo.activeProcessorCount) cores"
)
print("objects     POST objects/s   of which ingest µs/object   page of 100 p50   p99")
var random = Generator(state: 7)
var added = 0
var segmentAdded = 0
var postSeconds = 0.0
/// Parsing and validation alone, without the store, timed on every tenth envelope: the part of
/// a POST that does not depend on the collection's size.
var ingestSeconds = 0.0
var ingestSampled = 0
/// Times just before each envelope was posted: `added_after` one of them starts a page at
/// that envelope's first object.
var marks: [String] = []
let checkpoints = Set([10_000, 100_000, 1_000_000, total].filter { $0 <= total })
while added < total {
    let count = min(envelopeSize, total - added)
    let body = Array(
        ("{\"objects\":[" + (0..<count).map { _ in indicator(&random) }.joined(separator: ",") + "]}").utf8)
    if added % (envelopeSize * 10) == 0 {
        let started = Date()
        let (value, ranges) = try JSONValue.parse(body, keepingElementsOf: "objects")
        for (object, range) in zip(value["objects"]!.array!, ranges) {
            _ = GatewayIngest.object(
                object, json: Array(body[range]), collection: collection, addedBy: .party(.member(MemberCode("FRA")!)),
                key: "key_fra", at: Date())
        }
        ingestSeconds += Date().timeIntervalSince(started)
        ingestSampled += count
    }
    marks.append(STIXTimestamp(Date()).text)
    let started = Date()
    let status = try await concord.gateway.add("measure", collection, envelope: body, by: poster)
    postSeconds += Date().timeIntervalSince(started)
    precondition(status.failures.isEmpty, "refused: \(status.failures.first!.message ?? "")")
    added += count
    segmentAdded += count
    guard checkpoints.contains(added) else { continue }
    let rate = Double(segmentAdded) / postSeconds
    var latencies: [Double] = []
    for _ in 0..<200 {
        let mark = marks[Int(random.next() % UInt64(marks.count))]
        let filter = try TAXIIFilter(parameters: [("added_after", mark), ("limit", "100")])
        let started = Date()
        let page = try await concord.gateway.read("measure", collection, filter, action: "taxii.objects", for: reader)
        latencies.append(Date().timeIntervalSince(started) * 1000)
        precondition(!page.objects.isEmpty)
    }
    latencies.sort()
    print(
        String(
            format: "%-11d %-16.0f %-27.1f %-17.2f %.2f ms", added, rate, ingestSeconds / Double(ingestSampled) * 1e6,
            percentile(latencies, 0.5), percentile(latencies, 0.99)))
    segmentAdded = 0
    postSeconds = 0
    ingestSeconds = 0
    ingestSampled = 0
}
try await store.close()
