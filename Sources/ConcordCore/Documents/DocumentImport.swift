import Foundation

/// How the lines of a bulk import are written.
public enum ImportFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line, each shaped like the body of `POST /v1/documents`.
    case ndjson
    /// A header naming the columns, then one document per line, with the same fields flattened.
    case csv

    /// The format a file name's extension says, if it says one.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "ndjson", "jsonl": self = .ndjson
        case "csv": self = .csv
        default: return nil
        }
    }
}

public enum ImportMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The good lines are recorded and the bad ones reported.
    case bestEffort = "best-effort"
    /// Nothing at all is recorded when any line is bad.
    case allOrNothing = "all-or-nothing"
}

/// A line an import refused, in the terms of the API's problems: a stable `type`, the JSON
/// pointer of the field at fault (the column, for CSV) and a reason.
public struct ImportLineError: Error, Sendable, Hashable, Codable {
    public var line: Int
    public var type: String
    public var field: String?
    public var detail: String

    public init(line: Int, _ slug: String, field: String? = nil, _ detail: String) {
        self.line = line
        self.type = "urn:concord:problem:\(slug)"
        self.field = field
        self.detail = detail
    }

    /// The record could not be stored: an active record of the same document already exists.
    public static func duplicateOfRecord(line: Int, lookupKey: String) -> ImportLineError {
        let parts = lookupKey.split(separator: "|", omittingEmptySubsequences: false)
        let document = parts.count == 3 ? "\(parts[1]) \(parts[2]) issued by \(parts[0])" : lookupKey
        return ImportLineError(
            line: line, "duplicate", "an active record of \(document) already exists")
    }
}

/// What an import did, line by line where it refused one.
public struct DocumentImportReport: Sendable, Hashable, Codable {
    public var member: MemberCode
    public var mode: ImportMode
    /// Lines that held a document; blank lines and the CSV header are not counted.
    public var read: Int
    public var recorded: Int
    public var rejected: Int
    /// The first refused lines, in line order.
    public var errors: [ImportLineError]
    /// Refused lines beyond those listed.
    public var moreErrors: Int

    public init(member: MemberCode, mode: ImportMode) {
        self.member = member
        self.mode = mode
        read = 0
        recorded = 0
        rejected = 0
        errors = []
        moreErrors = 0
    }
}

/// Turns the lines of an import into new records of one member, or into the reason each line is
/// refused. Every line is judged exactly as `POST /v1/documents` judges a body, the policy
/// included; on top, a line may not repeat the document of an earlier line.
///
/// Pure: the caller reads the input and stores the records.
public struct DocumentImport {
    public enum Outcome: Sendable {
        case record(StoredRecord)
        case rejected(ImportLineError)
        /// A blank line or the CSV header: nothing to record, nothing wrong.
        case skipped
    }

    public let member: MemberCode
    public let format: ImportFormat
    let principal: Principal
    let time: TravelDocuments.RecordingTime
    private let decoder = ConcordJSON.decoder()
    private let encoder = ConcordJSON.encoder()
    private var header: CSVHeader?
    private var ids: TimeOrderedIDs
    /// The first line of each document seen, by a 128-bit fingerprint of its key: a set of the
    /// keys themselves would cost several times the memory at ten million lines, and two keys
    /// sharing a fingerprint is a 1 in 10^20 event.
    private var firstLines: [KeyFingerprint: Int] = [:]

    /// `principal` must act for `member`; each line is asked of the policy as that principal.
    public init(member: MemberCode, format: ImportFormat, principal: Principal, now: Date) {
        self.member = member
        self.format = format
        self.principal = principal
        self.time = TravelDocuments.RecordingTime(now)
        self.ids = TimeOrderedIDs(now: now)
    }

    /// Judges one line (without its line break). Throws only when the CSV header is unusable,
    /// which makes every line unreadable.
    public mutating func consume(_ line: ArraySlice<UInt8>, number: Int) throws(ImportLineError) -> Outcome {
        var line = line
        if number == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .skipped }
        let request: NewTravelDocument
        switch format {
        case .ndjson:
            if let plain = DocumentJSONFastPath.decode(line) {
                request = plain
            } else {
                do {
                    request = try decoder.decode(NewTravelDocument.self, from: Data(line))
                } catch let error as DecodingError {
                    let failure = DecodingFailure(error)
                    return .rejected(
                        ImportLineError(line: number, failure.kind.rawValue, field: failure.field, failure.detail))
                } catch {
                    return .rejected(ImportLineError(line: number, "malformed-json", "\(error)"))
                }
            }
        case .csv:
            guard let header else {
                header = try CSVHeader(line, number: number)
                return .skipped
            }
            do {
                request = try header.request(from: line)
            } catch {
                return .rejected(ImportLineError(line: number, error.slug, field: error.field, error.detail))
            }
        }
        return record(request, line: number)
    }

    private mutating func record(_ request: NewTravelDocument, line: Int) -> Outcome {
        let stored: StoredRecord
        do {
            let owner = try TravelDocuments.owner(of: request.issuer)
            let facts = RecordFacts(
                kind: .travelDocument, owner: owner, restrictions: request.restrictions ?? .none, status: .active)
            switch Policy.decide(principal, .importRecords, .newRecord(facts)) {
            case .allow:
                break
            case .deny(.notOwner):
                return .rejected(
                    ImportLineError(
                        line: line, "forbidden", field: "/issuer",
                        "documents issued by \(request.issuer.rawValue) belong to \(owner.rawValue); "
                            + "this import records documents of \(member.rawValue)"))
            case .deny:
                return .rejected(ImportLineError(line: line, "forbidden", "your role may not record documents"))
            }
            let record = try TravelDocuments.record(request, owner: owner, id: ids.next(), at: time)
            stored = try record.stored(encoder: encoder)
        } catch let error as DomainError {
            guard case .invalid(let field, let detail) = error else {
                return .rejected(ImportLineError(line: line, "invalid-field", "\(error)"))
            }
            return .rejected(
                ImportLineError(line: line, "invalid-field", field: DecodingFailure.pointer(field), detail))
        } catch {
            return .rejected(ImportLineError(line: line, "invalid-field", "\(error)"))
        }
        let fingerprint = KeyFingerprint(stored.lookupKey ?? "")
        if let first = firstLines[fingerprint] {
            return .rejected(ImportLineError(line: line, "duplicate-line", "the same document as line \(first)"))
        }
        firstLines[fingerprint] = line
        return .record(stored)
    }
}

/// Two independently seeded hashes of a document key.
struct KeyFingerprint: Hashable {
    let high: UInt64
    let low: UInt64

    init(_ key: String) {
        var key = key
        var first = Hasher()
        var second = Hasher()
        first.combine(0x9E37_79B9_7F4A_7C15 as UInt64)
        second.combine(0xC2B2_AE3D_27D4_EB4F as UInt64)
        key.withUTF8 { bytes in
            first.combine(bytes: UnsafeRawBufferPointer(bytes))
            second.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
        high = UInt64(bitPattern: Int64(first.finalize()))
        low = UInt64(bitPattern: Int64(second.finalize()))
    }
}

/// Record ids for a bulk import: version 7 UUIDs whose leading bits are the time and then a
/// counter, so that the ids of one import sort in the order they are made. Stores index ids in
/// B-trees; ids that arrive in order land on the tree's last page instead of a random one each,
/// which is what keeps millions of inserts fast. The counter starts at a random point and 32
/// bits stay random, so imports started in the same millisecond do not collide.
struct TimeOrderedIDs {
    private let milliseconds: UInt64
    private var counter: UInt64
    private var random = SystemRandomNumberGenerator()

    init(now: Date) {
        milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        counter = random.next() & ((1 << 41) - 1)
    }

    mutating func next() -> RecordID {
        counter = (counter + 1) & ((1 << 42) - 1)
        // 48 bits of time, version 7, the top 12 bits of the counter; then the variant, the
        // other 30 bits of the counter and 32 random bits.
        let high = milliseconds << 16 | 0x7000 | (counter >> 30)
        let low = 0x8000_0000_0000_0000 | (counter & ((1 << 30) - 1)) << 32 | (random.next() & 0xFFFF_FFFF)
        return RecordID(rawValue: TimeOrderedIDs.format(high, low))
    }

    static func format(_ high: UInt64, _ low: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? high : low
                let shift = UInt64(60 - (nibble % 16) * 4)
                buffer[position] = digits[Int((word >> shift) & 0xF)]
                position += 1
            }
            return position
        }
    }
}
