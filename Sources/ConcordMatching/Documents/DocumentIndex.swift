import ConcordCore
import Foundation

/// Active travel documents in memory, keyed by (issuer, type, number).
///
/// The index answers "no" exactly and cheaply, which is what almost every check at a border
/// gets. A match in the index is a candidate: it carries what the policy needs (owner and
/// restrictions) and the record id, and the caller confirms it against the stored record.
/// Keys are kept as 64-bit fingerprints rather than strings so an entry stays a few tens of bytes.
public struct DocumentIndex: Sendable {
    public struct Candidate: Sendable, Hashable {
        public let id: RecordID
        public let owner: MemberCode
        public let restrictions: Restrictions
        /// The review date rounded up to a whole day, so that the index never hides a record
        /// that is still served; callers decide exactly once they hold the record.
        public let reviewDay: Int

        /// What the policy needs to judge the candidate at `now`.
        public func facts(at now: Date) -> RecordFacts {
            RecordFacts(
                kind: .travelDocument, owner: owner, restrictions: restrictions, status: .active,
                pastReview: Double(reviewDay) * 86_400 <= now.timeIntervalSince1970)
        }
    }

    /// 32 bytes: the key's fingerprint, the record id, and what the policy needs.
    struct Entry {
        var fingerprint: UInt64
        var idHigh: UInt64
        var idLow: UInt64
        /// Index of the owner among the members; `dead` once the entry was removed.
        var owner: UInt16
        /// Days since 1970 (until 2149), rounded up.
        var reviewDay: UInt16
        var restrictions: UInt32

        static let dead = UInt16.max
        var live: Bool { owner != Entry.dead }
    }

    /// Open addressing with linear probing; a slot holds an entry index plus one, zero is empty.
    private var slots: [UInt32]
    private var entries: [Entry] = []
    private var restrictionTable: [Restrictions] = [.none]
    private var restrictionNumbers: [Restrictions: UInt32] = [.none: 0]
    public private(set) var count = 0

    public init(expectedCount: Int = 1024) {
        slots = Array(repeating: 0, count: DocumentIndex.slotCount(for: expectedCount))
        entries.reserveCapacity(expectedCount)
    }

    /// Adds or replaces the entry of a record under its key.
    public mutating func upsert(
        id: RecordID, key: DocumentKey, owner: MemberCode, restrictions: Restrictions,
        reviewDate: Date = .distantFuture
    ) {
        let (high, low) = DocumentIndex.split(id)
        remove(id: id, key: key)
        if (entries.count + 1) * 2 > slots.count { rebuild(minimumCount: (count + 1) * 2) }
        let entry = Entry(
            fingerprint: DocumentIndex.fingerprint(key), idHigh: high, idLow: low,
            owner: UInt16(Members.index(of: owner)), reviewDay: DocumentIndex.day(roundingUp: reviewDate),
            restrictions: intern(restrictions))
        entries.append(entry)
        place(entryNumber: entries.count - 1, fingerprint: entry.fingerprint)
        count += 1
    }

    public mutating func remove(id: RecordID, key: DocumentKey) {
        let (high, low) = DocumentIndex.split(id)
        let fingerprint = DocumentIndex.fingerprint(key)
        var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
        while slots[slot] != 0 {
            let number = Int(slots[slot] - 1)
            if entries[number].live, entries[number].fingerprint == fingerprint,
                entries[number].idHigh == high, entries[number].idLow == low
            {
                entries[number].owner = Entry.dead
                count -= 1
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        if entries.count > 1024 && count * 2 < entries.count { rebuild(minimumCount: count) }
    }

    /// Calls `body` for every live entry whose key fingerprint equals that of `key`. Allocates
    /// nothing unless there is a candidate.
    public func forEachCandidate(of key: DocumentKey, _ body: (Candidate) throws -> Void) rethrows {
        let fingerprint = DocumentIndex.fingerprint(key)
        var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
        while slots[slot] != 0 {
            let entry = entries[Int(slots[slot] - 1)]
            if entry.live && entry.fingerprint == fingerprint {
                try body(candidate(entry))
            }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    public func contains(_ key: DocumentKey) -> Bool {
        var found = false
        forEachCandidate(of: key) { _ in found = true }
        return found
    }

    /// Memory held per live entry, for benchmarks and metrics.
    public var bytesPerEntry: Double {
        let bytes = slots.count * MemoryLayout<UInt32>.stride + entries.capacity * MemoryLayout<Entry>.stride
        return count == 0 ? 0 : Double(bytes) / Double(count)
    }

    private func candidate(_ entry: Entry) -> Candidate {
        Candidate(
            id: DocumentIndex.join(entry.idHigh, entry.idLow), owner: Members.code(atIndex: Int(entry.owner)),
            restrictions: restrictionTable[Int(entry.restrictions)], reviewDay: Int(entry.reviewDay))
    }

    static func day(roundingUp date: Date) -> UInt16 {
        let days = (date.timeIntervalSince1970 / 86_400).rounded(.up)
        return UInt16(max(0, min(days, Double(UInt16.max - 1))))
    }

    private mutating func place(entryNumber: Int, fingerprint: UInt64) {
        var slot = Int(truncatingIfNeeded: fingerprint) & (slots.count - 1)
        while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = UInt32(entryNumber + 1)
    }

    /// Drops dead entries and resizes; dead entries otherwise stay as probe obstacles.
    private mutating func rebuild(minimumCount: Int) {
        let live = entries.filter(\.live)
        let capacity = max(minimumCount, live.count)
        entries = []
        entries.reserveCapacity(capacity)
        slots = Array(repeating: 0, count: DocumentIndex.slotCount(for: capacity))
        for entry in live {
            entries.append(entry)
            place(entryNumber: entries.count - 1, fingerprint: entry.fingerprint)
        }
    }

    private mutating func intern(_ restrictions: Restrictions) -> UInt32 {
        if let number = restrictionNumbers[restrictions] { return number }
        let number = UInt32(restrictionTable.count)
        restrictionTable.append(restrictions)
        restrictionNumbers[restrictions] = number
        return number
    }

    /// A power of two at least twice the count, so probes stay short.
    private static func slotCount(for count: Int) -> Int {
        var slots = 16
        while slots < count * 2 { slots *= 2 }
        return slots
    }

    /// FNV-1a over issuer, type and number with a separator, then a 64-bit finaliser so that
    /// the low bits used for slots are well mixed.
    static func fingerprint(_ key: DocumentKey) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        for byte in key.issuer.rawValue.utf8 { mix(byte) }
        mix(0x7c)
        for byte in key.type.rawValue.utf8 { mix(byte) }
        mix(0x7c)
        for byte in key.number.utf8 { mix(byte) }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// Record ids are UUIDs; kept as two words rather than as strings.
    static func split(_ id: RecordID) -> (UInt64, UInt64) {
        guard let uuid = UUID(uuidString: id.rawValue) else {
            preconditionFailure("record ids are UUIDs: \(id)")
        }
        let bytes = uuid.uuid
        let high = [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5, bytes.6, bytes.7]
            .reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = [bytes.8, bytes.9, bytes.10, bytes.11, bytes.12, bytes.13, bytes.14, bytes.15]
            .reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (high, low)
    }

    static func join(_ high: UInt64, _ low: UInt64) -> RecordID {
        func byte(_ word: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (56 - 8 * index)) }
        let uuid = UUID(
            uuid: (
                byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3),
                byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7)
            ))
        return RecordID(rawValue: uuid.uuidString.lowercased())
    }
}
