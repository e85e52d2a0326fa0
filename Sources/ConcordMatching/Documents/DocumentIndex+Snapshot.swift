import ConcordCore

/// Snapshots: the index as bytes, so a node restarts without reading every record again.
///
/// Only bytes in and out live here; files are the server's business. Format version 1, all
/// integers little-endian:
///
///     magic "CCDOCIDX", format version u32, segment bits u32,
///     journal position i64, journal hash (u16 length, UTF-8),
///     entry count u64, policy count u32, the policies,
///     xxHash64 of every byte so far, u64,
///     for each segment: entry count u32, then its entries in slot order, 24 bytes each:
///         fingerprint u32, record id as 4 × u32 (big-endian word order), review day u16, policy u16,
///     xxHash64 of every byte before it, u64.
///
/// A policy is the owner (u8 length, UTF-8), visibility u8 (0 all members, 1 only the listed
/// ones, 2 all but the listed ones), member count u16, the members (u8 length, UTF-8 each) and
/// notify-owner u8. Members are written as codes, not as positions in the membership table, so
/// a snapshot survives a change of membership.
///
/// The header has a checksum of its own so that a corrupted entry count is caught before it is
/// used to size anything. Entries are written without the table's empty slots and laid out
/// again on reading, which is one sequential pass because they come in fingerprint order.
extension DocumentIndex {
    /// The last journal entry an index reflects: a node that loads the snapshot catches up from
    /// there. The hash lets the node check that the snapshot belongs to its store's journal.
    public struct SnapshotPosition: Sendable, Hashable {
        public var journalPosition: Int64
        public var journalHash: String

        public init(journalPosition: Int64, journalHash: String) {
            self.journalPosition = journalPosition
            self.journalHash = journalHash
        }
    }

    public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
        case notASnapshot
        case unsupportedVersion(UInt32)
        case truncated
        case checksumMismatch
        case malformed(String)

        public var description: String {
            switch self {
            case .notASnapshot: "not a document index snapshot (wrong magic)"
            case .unsupportedVersion(let version):
                "document index snapshot format version \(version) is not supported (this build reads version \(DocumentIndex.snapshotVersion))"
            case .truncated: "document index snapshot is truncated"
            case .checksumMismatch: "document index snapshot is corrupted (checksum mismatch)"
            case .malformed(let reason): "document index snapshot is malformed: \(reason)"
            }
        }
    }

    public static let snapshotVersion: UInt32 = 1
    static let snapshotMagic: [UInt8] = Array("CCDOCIDX".utf8)
    static let snapshotEntryBytes = 24

    /// Writes the snapshot, handing its bytes to `write` in pieces of about a megabyte.
    public func writeSnapshot(
        at position: SnapshotPosition, to write: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try withoutActuallyEscaping(write) { write in
            let out = SnapshotWriter(write)
            defer { out.close() }
            try out.bytes(Self.snapshotMagic)
            try out.integer(Self.snapshotVersion)
            try out.integer(UInt32(Self.segmentBits))
            try out.integer(position.journalPosition)
            try out.text(position.journalHash, lengthBytes: 2)
            try out.integer(UInt64(count))
            try out.integer(UInt32(policies.count))
            for policy in policies {
                try out.text(policy.owner.rawValue, lengthBytes: 1)
                let (visibility, members): (UInt8, Set<MemberCode>) =
                    switch policy.restrictions.visibility {
                    case .allMembers: (0, [])
                    case .onlyListed(let members): (1, members)
                    case .allExcept(let members): (2, members)
                    }
                try out.integer(visibility)
                try out.integer(UInt16(members.count))
                for member in members.sorted() { try out.text(member.rawValue, lengthBytes: 1) }
                try out.integer(UInt8(policy.restrictions.notifyOwner ? 1 : 0))
            }
            try out.checksum()
            for segment in segments {
                try out.integer(UInt32(segment.count))
                for slot in 0..<segment.capacity where segment.fingerprints[slot] != 0 {
                    try out.entry(segment.fingerprints[slot], segment.payloads[slot])
                }
            }
            try out.checksum()
            try out.flush()
        }
    }

    /// Reads a snapshot from `read`, which fills the buffer it is given as far as it can and
    /// returns how many bytes it put there, 0 at the end. Throws `SnapshotError` for anything
    /// but a complete, intact snapshot of this format version.
    public static func readSnapshot(
        from read: (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws -> (index: DocumentIndex, position: SnapshotPosition) {
        try withoutActuallyEscaping(read) { read in
            let input = SnapshotReader(read)
            defer { input.close() }
            guard try input.bytes(snapshotMagic.count, orNotASnapshot: true) == snapshotMagic else {
                throw SnapshotError.notASnapshot
            }
            let version: UInt32 = try input.integer()
            guard version == snapshotVersion else { throw SnapshotError.unsupportedVersion(version) }
            let bits: UInt32 = try input.integer()
            guard bits == segmentBits else {
                throw SnapshotError.malformed("\(bits) segment bits where this build uses \(segmentBits)")
            }
            let journalPosition: Int64 = try input.integer()
            let journalHash = try input.text(lengthBytes: 2)
            let total: UInt64 = try input.integer()
            let policyCount: UInt32 = try input.integer()
            guard policyCount <= UInt32(UInt16.max) + 1 else {
                throw SnapshotError.malformed("\(policyCount) policies")
            }
            var policies: [Policy] = []
            for _ in 0..<policyCount {
                let owner = try member(input.text(lengthBytes: 1))
                let visibility: UInt8 = try input.integer()
                let memberCount: UInt16 = try input.integer()
                var members: Set<MemberCode> = []
                for _ in 0..<memberCount { members.insert(try member(input.text(lengthBytes: 1))) }
                let notify: UInt8 = try input.integer()
                let restricted: Restrictions.Visibility
                switch visibility {
                case 0: restricted = .allMembers
                case 1: restricted = .onlyListed(members)
                case 2: restricted = .allExcept(members)
                default: throw SnapshotError.malformed("visibility \(visibility)")
                }
                guard notify <= 1 else { throw SnapshotError.malformed("notify-owner flag \(notify)") }
                policies.append(
                    Policy(owner: owner, restrictions: Restrictions(visibility: restricted, notifyOwner: notify == 1)))
            }
            try input.checksum()

            var segments: [Segment] = []
            segments.reserveCapacity(segmentCount)
            var remaining = total
            for number in 0..<segmentCount {
                let entries: UInt32 = try input.integer()
                guard UInt64(entries) <= remaining else {
                    throw SnapshotError.malformed("segment \(number) holds more entries than the snapshot")
                }
                remaining -= UInt64(entries)
                let segment = Segment(size: Segment.size(for: Int(entries), load: Segment.builtLoad))
                var previous: UInt32 = 0
                var left = Int(entries)
                while left > 0 {
                    let batch = min(left, SnapshotReader.bufferSize / snapshotEntryBytes)
                    let base = try input.bytes(batch * snapshotEntryBytes)
                    for offset in stride(from: 0, to: batch * snapshotEntryBytes, by: snapshotEntryBytes) {
                        func word(_ at: Int) -> UInt32 {
                            UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset + at, as: UInt32.self))
                        }
                        let fingerprint = word(0)
                        let halves = word(20)
                        let payload = Payload(
                            id: (word(4), word(8), word(12), word(16)),
                            reviewDay: UInt16(truncatingIfNeeded: halves),
                            policy: UInt16(truncatingIfNeeded: halves >> 16))
                        guard fingerprint != 0, fingerprint >= previous, Int(payload.policy) < policies.count else {
                            throw SnapshotError.malformed("segment \(number) has an entry out of order")
                        }
                        previous = fingerprint
                        segment.append(fingerprint, payload)
                    }
                    left -= batch
                }
                segments.append(segment)
            }
            guard remaining == 0 else { throw SnapshotError.malformed("fewer entries than the header says") }
            try input.checksum()
            try input.expectEnd()
            return (
                DocumentIndex(segments: segments, policies: policies, count: Int(total)),
                SnapshotPosition(journalPosition: journalPosition, journalHash: journalHash)
            )
        }
    }

    private static func member(_ code: String) throws -> MemberCode {
        guard let member = MemberCode(code) else { throw SnapshotError.malformed("unknown member '\(code)'") }
        return member
    }
}

/// Bytes out, a megabyte at a time, with a running checksum.
private final class SnapshotWriter {
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 8)
    private let capacity = 1 << 20
    private var used = 0
    private var hasher = XXHash64()

    init(_ sink: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.sink = sink }

    func close() { buffer.deallocate() }

    func flush() throws {
        guard used > 0 else { return }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: used)
        hasher.update(bytes)
        used = 0
        try sink(bytes)
    }

    @inline(__always)
    private func room(_ count: Int) throws {
        if used + count > capacity { try flush() }
    }

    func bytes(_ bytes: [UInt8]) throws {
        try room(bytes.count)
        bytes.withUnsafeBytes { (buffer + used).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        used += bytes.count
    }

    func integer<Value: FixedWidthInteger>(_ value: Value) throws {
        try room(MemoryLayout<Value>.size)
        (buffer + used).storeBytes(of: value.littleEndian, as: Value.self)
        used += MemoryLayout<Value>.size
    }

    func text(_ text: String, lengthBytes: Int) throws {
        let bytes = Array(text.utf8)
        if lengthBytes == 1 { try integer(UInt8(bytes.count)) } else { try integer(UInt16(bytes.count)) }
        try self.bytes(bytes)
    }

    @inline(__always)
    func entry(_ fingerprint: UInt32, _ payload: Payload) throws {
        try room(DocumentIndex.snapshotEntryBytes)
        let at = buffer + used
        at.storeBytes(of: fingerprint.littleEndian, toByteOffset: 0, as: UInt32.self)
        at.storeBytes(of: payload.id0.littleEndian, toByteOffset: 4, as: UInt32.self)
        at.storeBytes(of: payload.id1.littleEndian, toByteOffset: 8, as: UInt32.self)
        at.storeBytes(of: payload.id2.littleEndian, toByteOffset: 12, as: UInt32.self)
        at.storeBytes(of: payload.id3.littleEndian, toByteOffset: 16, as: UInt32.self)
        at.storeBytes(of: payload.reviewDay.littleEndian, toByteOffset: 20, as: UInt16.self)
        at.storeBytes(of: payload.policy.littleEndian, toByteOffset: 22, as: UInt16.self)
        used += DocumentIndex.snapshotEntryBytes
    }

    /// The checksum of everything written so far.
    func checksum() throws {
        try flush()
        try integer(hasher.finalize())
    }
}

/// Bytes in, with a running checksum over what has been consumed.
private final class SnapshotReader {
    static let bufferSize = 1 << 20
    private let source: (UnsafeMutableRawBufferPointer) throws -> Int
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 8)
    private var start = 0
    private var end = 0
    private var hasher = XXHash64()

    init(_ source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.source = source
    }

    func close() { buffer.deallocate() }

    /// The next `count` bytes (at most the buffer size), consumed and checksummed.
    func bytes(_ count: Int) throws -> UnsafeRawPointer {
        let at = try available(count)
        hasher.update(UnsafeRawBufferPointer(start: at, count: count))
        return at
    }

    func bytes(_ count: Int, orNotASnapshot: Bool) throws -> [UInt8] {
        do {
            return Array(UnsafeRawBufferPointer(start: try bytes(count), count: count))
        } catch DocumentIndex.SnapshotError.truncated where orNotASnapshot {
            throw DocumentIndex.SnapshotError.notASnapshot
        }
    }

    func integer<Value: FixedWidthInteger>() throws -> Value {
        Value(littleEndian: try bytes(MemoryLayout<Value>.size).loadUnaligned(as: Value.self))
    }

    func text(lengthBytes: Int) throws -> String {
        let length = lengthBytes == 1 ? Int(try integer() as UInt8) : Int(try integer() as UInt16)
        return String(decoding: UnsafeRawBufferPointer(start: try bytes(length), count: length), as: UTF8.self)
    }

    /// Compares the stored checksum with that of everything consumed before it.
    func checksum() throws {
        let expected = hasher.finalize()
        let stored = UInt64(littleEndian: try bytes(8).loadUnaligned(as: UInt64.self))
        guard stored == expected else { throw DocumentIndex.SnapshotError.checksumMismatch }
    }

    /// Nothing may follow the last checksum.
    func expectEnd() throws {
        guard start == end, try fill(into: 0) == 0 else {
            throw DocumentIndex.SnapshotError.malformed("bytes after the end")
        }
    }

    private func available(_ count: Int) throws -> UnsafeRawPointer {
        precondition(count <= Self.bufferSize)
        if end - start < count {
            if start > 0 {
                (buffer).copyMemory(from: buffer + start, byteCount: end - start)
                end -= start
                start = 0
            }
            while end < count {
                let read = try fill(into: end)
                guard read > 0 else { throw DocumentIndex.SnapshotError.truncated }
                end += read
            }
        }
        let at = buffer + start
        start += count
        return UnsafeRawPointer(at)
    }

    private func fill(into offset: Int) throws -> Int {
        let room = UnsafeMutableRawBufferPointer(start: buffer + offset, count: Self.bufferSize - offset)
        guard room.count > 0 else { return 0 }
        return try source(room)
    }
}
