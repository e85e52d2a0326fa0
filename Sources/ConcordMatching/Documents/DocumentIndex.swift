import ConcordCore
import Foundation

/// Active travel documents in memory, keyed by (issuer, type, number).
///
/// The index answers "no" exactly and cheaply, which is what almost every check at a border
/// gets. A match in the index is a candidate: it carries what the policy needs (owner and
/// restrictions) and the record id, and the caller confirms it against the stored record.
///
/// The budget is 32 bytes a record at 100 million records, table slack included, so an entry
/// is 24 bytes and the table must stay at least three quarters full:
///
/// - A key comes hashed to 64 bits (`DocumentKey.digest`, worked out when the key is made), so a
///   lookup is little more than its one read from memory, and the processor overlaps the reads
///   of consecutive lookups. The top 10 bits pick one of 1,024 segments and are not stored; 32
///   other bits are stored as the fingerprint. A false candidate therefore needs 42
///   equal bits: at 100 million records about one miss in 40,000 costs the caller a store read.
/// - Within a segment the home slot is derived from the fingerprint alone (`fp * size >> 32`),
///   so a segment can be resized, and entries shifted back after a removal, from what it holds,
///   without the keys, which the index does not keep.
/// - Slots are kept in fingerprint order (ordered linear probing, the Robin Hood invariant
///   for a monotone home function). A miss stops at the first larger fingerprint, so even at
///   90% load a miss reads a handful of consecutive 4-byte fingerprints, usually one cache line.
///   A single lookup reads eight of them at once (`SegmentView.mayHold`), which settles nearly
///   every miss without a branch on the slots. Removal shifts the following displaced entries
///   back by one, so no tombstones pile up.
/// - Fingerprints sit in their own array, ahead of a 20-byte payload array with the same slot
///   numbers in the same block: misses, most of the traffic, never touch the payloads. From
///   about 80 million records on, a segment's block starts with a 2 MB page (`LargeTables`),
///   which shortens the walk through the page tables that a miss's one random read needs.
/// - The table does not wrap around: clusters that run past the last home slot spill into a
///   small overflow area, and one always-empty slot at the very end ends every scan without a
///   bounds check.
/// - Segments grow one at a time by about 15%, so growing never holds two copies of the whole
///   table and the load factor stays between 0.8 and 0.92 while records are added. They are
///   also the unit of copy-on-write: a snapshot writer can hold a copy of the index while the
///   follower keeps applying writes, copying only the segments it touches.
/// - Owner and restrictions are interned together as a 16-bit policy number: a few hundred
///   owners and a handful of restriction sets cover millions of records.
public struct DocumentIndex: Sendable {
    public struct Candidate: Sendable, Hashable {
        /// The record id's two words. The id is spelled out only when asked for: its text costs
        /// an allocation, and an allocation's atomic operations wait for every read before
        /// them, which would stop the lookups that follow a hit from overlapping.
        let idBits: Payload.IDBits
        public var id: RecordID { RecordID(uuidBits: (idBits.high, idBits.low)) }
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

    /// Owner and restrictions together, interned to a `UInt16`.
    struct Policy: Hashable, Sendable {
        var owner: MemberCode
        var restrictions: Restrictions
    }

    static let segmentBits = 10
    static let segmentCount = 1 << segmentBits

    /// Owns the tables; copied on write one segment at a time.
    var segments: [Segment]
    /// Where each segment's arrays are, kept beside `segments` so a lookup reads plain values
    /// and never retains a segment: reference counting is atomic, and an atomic operation
    /// waits for the cache misses before it, so it would undo the overlap of batch lookups.
    /// Refreshed after every change to a segment.
    var views: [SegmentView]
    var policies: [Policy] = []
    var policyNumbers: [Policy: UInt16] = [:]
    public private(set) var count = 0

    public init(expectedCount: Int = 1024) {
        // Small indexes allocate segments on first use; only a large expected count pays for
        // its table up front.
        let perSegment = expectedCount / Self.segmentCount
        let reserved = perSegment >= 8 ? perSegment : 0
        segments = (0..<Self.segmentCount).map { _ in
            Segment(size: Segment.size(for: reserved, load: Segment.builtLoad))
        }
        views = segments.map(\.view)
    }

    init(segments: [Segment], policies: [Policy], count: Int) {
        precondition(segments.count == Self.segmentCount)
        self.segments = segments
        self.views = segments.map(\.view)
        self.policies = policies
        self.count = count
        for (number, policy) in policies.enumerated() where policyNumbers[policy] == nil {
            policyNumbers[policy] = UInt16(number)
        }
    }

    /// Adds or replaces the entry of a record under its key.
    public mutating func upsert(
        id: RecordID, key: DocumentKey, owner: MemberCode, restrictions: Restrictions,
        reviewDate: Date = .distantFuture
    ) {
        let (segmentNumber, fingerprint) = Self.locate(key)
        let payload = Payload(
            id: Self.words(id), reviewDay: Self.day(roundingUp: reviewDate),
            policy: policyNumber(Policy(owner: owner, restrictions: restrictions)))
        let segment = uniqueSegment(segmentNumber)
        defer { views[segmentNumber] = segment.view }
        if let slot = segment.slot(of: fingerprint, id: payload) {
            segment.payloads[slot] = payload
        } else {
            segment.insert(fingerprint, payload)
            count += 1
        }
    }

    public mutating func remove(id: RecordID, key: DocumentKey) {
        let (segmentNumber, fingerprint) = Self.locate(key)
        let probe = Payload(id: Self.words(id), reviewDay: 0, policy: 0)
        // Look before making the segment unique: removing what is not there must not copy.
        guard views[segmentNumber].slot(of: fingerprint, id: probe) != nil else { return }
        let segment = uniqueSegment(segmentNumber)
        defer { views[segmentNumber] = segment.view }
        guard let slot = segment.slot(of: fingerprint, id: probe) else { return }
        segment.remove(at: slot)
        count -= 1
    }

    /// Calls `body` for every entry whose key fingerprint equals that of `key`. Allocates
    /// nothing unless there is a candidate.
    public func forEachCandidate(of key: DocumentKey, _ body: (Candidate) throws -> Void) rethrows {
        let (segmentNumber, fingerprint) = Self.locate(key)
        let segment = views[segmentNumber]
        let home = segment.home(fingerprint)
        guard segment.mayHold(fingerprint, from: home) else { return }
        var slot = segment.firstSlot(of: fingerprint, from: home)
        while segment.fingerprints[slot] == fingerprint {
            try body(candidate(segment.payloads[slot]))
            slot += 1
        }
    }

    /// Calls `body` with the position of the key and the candidate for every candidate of
    /// every key. In a large index each lookup is one cache miss. One lookup after another,
    /// the misses overlap only as far as the processor looks ahead, which a hit's work cuts
    /// short; here the keys go in groups whose first fingerprint slots are all read before any
    /// is looked at, so the misses of a group overlap whatever the hits cost. Allocates nothing
    /// unless there is a candidate.
    public func forEachCandidate(
        ofEach keys: [DocumentKey], _ body: (Int, Candidate) throws -> Void
    ) rethrows {
        try withUnsafeTemporaryAllocation(of: Probe.self, capacity: Self.batchSize) { probes in
            var position = 0
            while position < keys.count {
                let count = min(Self.batchSize, keys.count - position)
                for n in 0..<count {
                    let (segmentNumber, fingerprint) = Self.locate(keys[position + n])
                    let segment = views[segmentNumber]
                    let home = segment.home(fingerprint)
                    probes[n] = Probe(
                        segment: segmentNumber, fingerprint: fingerprint, slot: home,
                        first: segment.fingerprints + home)
                }
                // The reads that miss, issued back to back.
                for n in 0..<count { probes[n].found = probes[n].first.pointee }
                for n in 0..<count {
                    let probe = probes[n]
                    // Most keys stop here: an empty home slot or a larger fingerprint.
                    if probe.found == 0 || probe.found > probe.fingerprint { continue }
                    let segment = views[probe.segment]
                    var slot = segment.firstSlot(of: probe.fingerprint, from: probe.slot)
                    while segment.fingerprints[slot] == probe.fingerprint {
                        try body(position + n, candidate(segment.payloads[slot]))
                        slot += 1
                    }
                }
                position += count
            }
        }
    }

    static let batchSize = 16

    /// One key of a batch on its way through `forEachCandidate(ofEach:)`.
    struct Probe {
        var segment: Int
        var fingerprint: UInt32
        var slot: Int
        var first: UnsafeMutablePointer<UInt32>
        var found: UInt32 = 0
    }

    public func contains(_ key: DocumentKey) -> Bool {
        let (segmentNumber, fingerprint) = Self.locate(key)
        let segment = views[segmentNumber]
        let home = segment.home(fingerprint)
        guard segment.mayHold(fingerprint, from: home) else { return false }
        return segment.fingerprints[segment.firstSlot(of: fingerprint, from: home)] == fingerprint
    }

    /// Memory held per live entry, for benchmarks and metrics: the tables, the segment
    /// descriptors and the interned policies.
    public var bytesPerEntry: Double {
        guard count > 0 else { return 0 }
        var bytes = segments.count * (MemoryLayout<Segment>.stride + Segment.objectBytes)
        for segment in segments { bytes += segment.capacity * Segment.bytesPerSlot }
        bytes += policies.count * (MemoryLayout<Policy>.stride * 2 + 32)
        return Double(bytes) / Double(count)
    }

    // MARK: - Entries

    func candidate(_ payload: Payload) -> Candidate {
        let policy = policies[Int(payload.policy)]
        return Candidate(
            idBits: payload.idBits, owner: policy.owner, restrictions: policy.restrictions,
            reviewDay: Int(payload.reviewDay))
    }

    private mutating func uniqueSegment(_ number: Int) -> Segment {
        if !isKnownUniquelyReferenced(&segments[number]) { segments[number] = segments[number].copy() }
        return segments[number]
    }

    private mutating func policyNumber(_ policy: Policy) -> UInt16 {
        if policyNumbers[policy] == nil, policies.count > Int(UInt16.max) { compactPolicies() }
        return Self.number(of: policy, in: &policies, &policyNumbers)
    }

    /// The number of a policy in an interned table, adding it when it is new.
    static func number(of policy: Policy, in policies: inout [Policy], _ numbers: inout [Policy: UInt16]) -> UInt16 {
        if let number = numbers[policy] { return number }
        precondition(
            policies.count <= Int(UInt16.max),
            "the document index holds at most 65,536 distinct combinations of owner and restrictions")
        let number = UInt16(policies.count)
        policies.append(policy)
        numbers[policy] = number
        return number
    }

    /// Drops policies no entry uses any more and renumbers the rest; only needed once 65,536
    /// combinations have been seen, so it may walk the whole table.
    private mutating func compactPolicies() {
        var used = [Bool](repeating: false, count: policies.count)
        for segment in segments {
            for slot in 0..<segment.capacity where segment.fingerprints[slot] != 0 {
                used[Int(segment.payloads[slot].policy)] = true
            }
        }
        var renumbered = [UInt16](repeating: 0, count: policies.count)
        var kept: [Policy] = []
        for (number, policy) in policies.enumerated() where used[number] {
            renumbered[number] = UInt16(kept.count)
            kept.append(policy)
        }
        for number in segments.indices {
            let segment = uniqueSegment(number)
            for slot in 0..<segment.capacity where segment.fingerprints[slot] != 0 {
                segment.payloads[slot].policy = renumbered[Int(segment.payloads[slot].policy)]
            }
            views[number] = segment.view
        }
        policies = kept
        policyNumbers = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, UInt16($0.offset)) })
    }

    static func day(roundingUp date: Date) -> UInt16 {
        let days = (date.timeIntervalSince1970 / 86_400).rounded(.up)
        return UInt16(max(0, min(days, Double(UInt16.max - 1))))
    }

    // MARK: - Keys

    /// The segment and the stored fingerprint of a key, from bits of its digest. Fingerprint 0
    /// marks an empty slot, so keys that hash to it use 1.
    @inline(__always)
    static func locate(_ key: DocumentKey) -> (segment: Int, fingerprint: UInt32) {
        let fingerprint = UInt32(truncatingIfNeeded: key.digest)
        return (Int(truncatingIfNeeded: key.digest >> (64 - UInt64(segmentBits))), fingerprint == 0 ? 1 : fingerprint)
    }

    // MARK: - Record ids

    /// Record ids are UUIDs, kept as four words rather than as strings.
    static func words(_ id: RecordID) -> (UInt32, UInt32, UInt32, UInt32) {
        words(uuidBits(of: id))
    }

    static func uuidBits(of id: RecordID) -> (high: UInt64, low: UInt64) {
        guard let bits = id.uuidBits else { preconditionFailure("record ids are UUIDs: \(id)") }
        return bits
    }

    static func words(_ bits: (high: UInt64, low: UInt64)) -> (UInt32, UInt32, UInt32, UInt32) {
        let (high, low) = bits
        return (
            UInt32(truncatingIfNeeded: high >> 32), UInt32(truncatingIfNeeded: high),
            UInt32(truncatingIfNeeded: low >> 32), UInt32(truncatingIfNeeded: low)
        )
    }
}

/// The 20 bytes a slot holds besides its fingerprint.
struct Payload: Sendable {
    var id0: UInt32
    var id1: UInt32
    var id2: UInt32
    var id3: UInt32
    /// Days since 1970 (until 2149), rounded up.
    var reviewDay: UInt16
    /// Index into the interned owner-and-restrictions table.
    var policy: UInt16

    init(id: (UInt32, UInt32, UInt32, UInt32), reviewDay: UInt16, policy: UInt16) {
        (id0, id1, id2, id3) = id
        self.reviewDay = reviewDay
        self.policy = policy
    }

    struct IDBits: Sendable, Hashable {
        var high: UInt64
        var low: UInt64
    }

    var idBits: IDBits {
        IDBits(high: UInt64(id0) << 32 | UInt64(id1), low: UInt64(id2) << 32 | UInt64(id3))
    }

    @inline(__always)
    func sameRecord(as other: Payload) -> Bool {
        id0 == other.id0 && id1 == other.id1 && id2 == other.id2 && id3 == other.id3
    }
}

/// What lookups need of a segment, as plain values. It points into memory that the segments
/// of the same index value own, and that no one writes while they are shared.
struct SegmentView: @unchecked Sendable {
    let fingerprints: UnsafeMutablePointer<UInt32>
    let payloads: UnsafeMutablePointer<Payload>
    let size: Int

    /// Slots read at once from a home: every table has this many from its last home slot on
    /// (`Segment.overflow(for:)`), the empty one included.
    static let window = 8

    @inline(__always)
    func home(_ fingerprint: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(fingerprint) &* UInt64(size)) >> 32)
    }

    /// False when `fingerprint` is surely not held: no slot of the window from its home holds
    /// it, and its run ends within the window at an empty slot or a larger fingerprint. Worked
    /// out without branching on what the slots hold, so that a processor predicting the usual
    /// "not held" goes on to the next lookup while this one's cache miss is outstanding, where
    /// the scan of `firstSlot`, whose length varies, would stop it at every misprediction.
    @inline(__always)
    func mayHold(_ fingerprint: UInt32, from home: Int) -> Bool {
        var equal: UInt32 = 0
        var ended: UInt32 = 0
        for offset in 0..<Self.window {
            let found = fingerprints[home + offset]
            equal |= found == fingerprint ? 1 : 0
            // Fingerprints are never 0, so this is true of an empty slot and of a larger one.
            ended |= found &- 1 >= fingerprint ? 1 : 0
        }
        return equal != 0 || ended == 0
    }

    /// The first slot holding `fingerprint`, or where it would go: the scan passes smaller
    /// fingerprints displaced from earlier homes and stops at a larger one or an empty slot.
    @inline(__always)
    func firstSlot(of fingerprint: UInt32) -> Int {
        firstSlot(of: fingerprint, from: home(fingerprint))
    }

    @inline(__always)
    func firstSlot(of fingerprint: UInt32, from home: Int) -> Int {
        var slot = home
        while true {
            let found = fingerprints[slot]
            if found == 0 || found >= fingerprint { return slot }
            slot += 1
        }
    }

    func slot(of fingerprint: UInt32, id: Payload) -> Int? {
        var slot = firstSlot(of: fingerprint)
        while fingerprints[slot] == fingerprint {
            if payloads[slot].sameRecord(as: id) { return slot }
            slot += 1
        }
        return nil
    }
}

/// One 1/1024th of the index: an ordered linear-probing table of its own.
///
/// Invariants: a live slot has a non-zero fingerprint; every entry sits at or after its home
/// slot with no empty slot in between; fingerprints never decrease from one live slot to the
/// next; the last slot is always empty. Shared between copies of an index until one of them
/// writes (the index checks `isKnownUniquelyReferenced` first), hence unchecked Sendable.
final class Segment: @unchecked Sendable {
    /// Home slots are `0..<size`; `size..<capacity - 1` takes clusters that run past the end.
    private(set) var size: Int
    private(set) var capacity: Int
    private(set) var count = 0
    private(set) var fingerprints: UnsafeMutablePointer<UInt32>
    private(set) var payloads: UnsafeMutablePointer<Payload>
    /// Where the next entry appended in fingerprint order may go; only while building.
    private var appendFloor = 0

    static let bytesPerSlot = MemoryLayout<UInt32>.stride + MemoryLayout<Payload>.stride
    /// What one segment object costs besides its slots (header, fields, malloc headers).
    static let objectBytes = 80

    /// Loads at which segments grow, what they grow or shrink to, when they shrink, and what
    /// tables built in one go (from a snapshot, or for an expected count) start at. At 24 bytes
    /// a slot, 0.8 is 30 bytes a record; 0.92 keeps a miss at a few probes.
    static let maximumLoad = 0.92
    static let grownLoad = 0.8
    static let minimumLoad = 0.55
    static let builtLoad = 0.88

    /// The slots every empty segment points at, a lookup's window of them: a fingerprint of 0
    /// ends every scan at once, so lookups need no special case for segments without a table.
    nonisolated(unsafe) private static let noSlots: UnsafeMutablePointer<UInt32> = {
        let slots = UnsafeMutablePointer<UInt32>.allocate(capacity: SegmentView.window)
        slots.initialize(repeating: 0, count: SegmentView.window)
        return slots
    }()
    nonisolated(unsafe) private static let noPayloads = UnsafeMutablePointer<Payload>.allocate(capacity: 1)

    /// An empty table with `size` home slots.
    init(size: Int) {
        self.size = size
        capacity = 0
        fingerprints = Segment.noSlots
        payloads = Segment.noPayloads
        if size > 0 { allocate(capacity: size + Segment.overflow(for: size) + 1) }
    }

    deinit { release() }

    static func size(for count: Int, load: Double) -> Int {
        count == 0 ? 0 : max(count + 1, Int((Double(count) / load).rounded(.up)))
    }

    /// Room past the last home slot: a cluster near the end runs a few dozen slots beyond it
    /// at high load. Too little only costs a reallocation; never less than a lookup's window.
    static func overflow(for size: Int) -> Int { SegmentView.window + size / 512 }

    var view: SegmentView { SegmentView(fingerprints: fingerprints, payloads: payloads, size: size) }

    @inline(__always)
    func home(_ fingerprint: UInt32) -> Int { view.home(fingerprint) }

    @inline(__always)
    func firstSlot(of fingerprint: UInt32) -> Int { view.firstSlot(of: fingerprint) }

    func slot(of fingerprint: UInt32, id: Payload) -> Int? { view.slot(of: fingerprint, id: id) }

    /// Inserts an entry that is not there yet, after any with the same fingerprint, shifting
    /// the rest of its cluster one slot on.
    func insert(_ fingerprint: UInt32, _ payload: Payload) {
        if Double(count + 1) > Double(size) * Segment.maximumLoad {
            resize(to: Segment.size(for: count + 1, load: Segment.grownLoad))
        }
        var slot = firstSlot(of: fingerprint)
        while fingerprints[slot] == fingerprint { slot += 1 }
        var end = slot
        while fingerprints[end] != 0 { end += 1 }
        if end >= capacity - 1 { reallocate(capacity: capacity + Segment.overflow(for: size) + 1) }
        if end > slot {
            memmove(fingerprints + slot + 1, fingerprints + slot, (end - slot) * MemoryLayout<UInt32>.stride)
            memmove(payloads + slot + 1, payloads + slot, (end - slot) * MemoryLayout<Payload>.stride)
        }
        fingerprints[slot] = fingerprint
        payloads[slot] = payload
        count += 1
    }

    /// Backward-shift deletion: the displaced entries after the slot move back by one, up to
    /// the first empty slot or entry at its home, which leaves the table as if the removed
    /// entry had never been inserted.
    func remove(at slot: Int) {
        var end = slot + 1
        while fingerprints[end] != 0 && home(fingerprints[end]) < end { end += 1 }
        if end > slot + 1 {
            memmove(fingerprints + slot, fingerprints + slot + 1, (end - slot - 1) * MemoryLayout<UInt32>.stride)
            memmove(payloads + slot, payloads + slot + 1, (end - slot - 1) * MemoryLayout<Payload>.stride)
        }
        fingerprints[end - 1] = 0
        count -= 1
        if count == 0 || (size > 16 && Double(count) < Double(size) * Segment.minimumLoad) {
            resize(to: Segment.size(for: count, load: Segment.grownLoad))
        }
    }

    /// Appends an entry to a table being built in fingerprint order: each goes to its home or
    /// just after the previous one, whichever is later.
    @inline(__always)
    func append(_ fingerprint: UInt32, _ payload: Payload) {
        let slot = max(home(fingerprint), appendFloor)
        if slot >= capacity - 1 { reallocate(capacity: slot + Segment.overflow(for: size) + 2) }
        fingerprints[slot] = fingerprint
        payloads[slot] = payload
        appendFloor = slot + 1
        count += 1
    }

    /// Lays the entries out again over `newSize` home slots. Slots are in fingerprint order,
    /// so this is one sequential pass.
    func resize(to newSize: Int) {
        let fresh = Segment(size: newSize)
        for slot in 0..<capacity where fingerprints[slot] != 0 {
            fresh.append(fingerprints[slot], payloads[slot])
        }
        release()
        (size, capacity, count, fingerprints, payloads) =
            (fresh.size, fresh.capacity, fresh.count, fresh.fingerprints, fresh.payloads)
        fresh.abandon()
    }

    func copy() -> Segment {
        let copy = Segment(size: 0)
        copy.size = size
        copy.count = count
        if capacity > 0 {
            copy.allocate(capacity: capacity)
            copy.fingerprints.update(from: fingerprints, count: capacity)
            copy.payloads.initialize(from: payloads, count: capacity)
        }
        return copy
    }

    // MARK: - Memory

    /// Fingerprints and payloads share one block, fingerprints first: in a large index the
    /// block starts with a 2 MB page (`LargeTables`), so a miss, which reads fingerprints only,
    /// walks one level of page tables less, or none when the processor has the page cached.
    private func allocate(capacity: Int) {
        let block = LargeTables.allocate(byteCount: capacity * Segment.bytesPerSlot)
        fingerprints = block.bindMemory(to: UInt32.self, capacity: capacity)
        fingerprints.initialize(repeating: 0, count: capacity)
        payloads = (block + capacity * MemoryLayout<UInt32>.stride).bindMemory(to: Payload.self, capacity: capacity)
        self.capacity = capacity
    }

    /// Grows the overflow area, keeping every slot where it is.
    private func reallocate(capacity newCapacity: Int) {
        let (oldFingerprints, oldPayloads, oldCapacity) = (fingerprints, payloads, capacity)
        allocate(capacity: newCapacity)
        if oldCapacity > 0 {
            fingerprints.update(from: oldFingerprints, count: oldCapacity)
            payloads.initialize(from: oldPayloads, count: oldCapacity)
            Segment.free(oldFingerprints, capacity: oldCapacity)
        }
    }

    private func release() {
        guard capacity > 0 else { return }
        Segment.free(fingerprints, capacity: capacity)
    }

    private static func free(_ fingerprints: UnsafeMutablePointer<UInt32>, capacity: Int) {
        LargeTables.deallocate(UnsafeMutableRawPointer(fingerprints), byteCount: capacity * bytesPerSlot)
    }

    /// Forgets the memory, now owned by another segment.
    private func abandon() {
        capacity = 0
        fingerprints = Segment.noSlots
        payloads = Segment.noPayloads
    }
}
