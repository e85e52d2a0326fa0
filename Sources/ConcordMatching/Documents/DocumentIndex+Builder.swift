import ConcordCore
import Foundation

extension DocumentIndex {
    /// Builds an index from many entries at once, as loading from the store does.
    ///
    /// Inserting one entry at a time into tables that keep fingerprint order shifts part of a
    /// cluster on every insert, and at tens of millions of entries most of those shifts and
    /// probes miss the cache. The builder instead gathers each segment's entries, sorts them
    /// by fingerprint, and lays every table out in one sequential pass, at its built load.
    /// Memory peaks while both the gathered entries (24 bytes each) and the finished tables
    /// are held, about twice the index.
    ///
    /// The same record under the same key given twice keeps the later entry, as `upsert`
    /// would, so a caller need not guard against handing a record over twice.
    public struct Builder: Sendable {
        /// One gathered entry; its place in its segment's list is when it came.
        struct Entry: Sendable {
            var fingerprint: UInt32
            var payload: Payload
        }

        /// A record's entry worked out apart from any builder: where its key goes and its
        /// payload but for the policy's number. Preparing is most of the work of adding, and
        /// needs no builder, so records can be prepared on as many threads as read them.
        public struct Prepared: Sendable {
            let segment: Int
            let fingerprint: UInt32
            let payload: Payload
            let policy: Policy

            public init(
                id: RecordID, key: DocumentKey, owner: MemberCode, restrictions: Restrictions,
                reviewDate: Date = .distantFuture
            ) {
                self.init(
                    uuidBits: DocumentIndex.uuidBits(of: id), key: key, owner: owner, restrictions: restrictions,
                    reviewDate: reviewDate)
            }

            /// For ids already read as numbers, as the stores read them at start.
            public init(
                uuidBits: (high: UInt64, low: UInt64), key: DocumentKey, owner: MemberCode,
                restrictions: Restrictions, reviewDate: Date
            ) {
                (segment, fingerprint) = DocumentIndex.locate(key)
                payload = Payload(
                    id: DocumentIndex.words(uuidBits), reviewDay: DocumentIndex.day(roundingUp: reviewDate), policy: 0)
                policy = Policy(owner: owner, restrictions: restrictions)
            }
        }

        private var entries = [[Entry]](repeating: [], count: DocumentIndex.segmentCount)
        private var policies: [Policy] = []
        private var policyNumbers: [Policy: UInt16] = [:]
        /// Records come in runs of one owner and restrictions, so the last policy's number
        /// spares hashing the policy for most entries.
        private var lastPolicy: (policy: Policy, number: UInt16)?

        /// `expectedCount` (an estimate; more or fewer may come) sizes each segment's list at
        /// once. Lists that grow by doubling would copy every entry about once more, and at
        /// tens of millions of entries much of a load's time would go to the kernel handing
        /// out fresh pages for each larger copy.
        public init(expectedCount: Int = 0) {
            let mean = Double(max(0, expectedCount)) / Double(DocumentIndex.segmentCount)
            // Keys spread evenly over the segments, so a segment's count is about the mean,
            // give or take its square root; six of those cover any segment in practice.
            let capacity = mean < 1 ? 0 : Int(mean + 6 * mean.squareRoot())
            for segment in entries.indices { entries[segment].reserveCapacity(capacity) }
        }

        public mutating func add(
            id: RecordID, key: DocumentKey, owner: MemberCode, restrictions: Restrictions,
            reviewDate: Date = .distantFuture
        ) {
            add(Prepared(id: id, key: key, owner: owner, restrictions: restrictions, reviewDate: reviewDate))
        }

        public mutating func add(_ prepared: Prepared) {
            var payload = prepared.payload
            if let lastPolicy, lastPolicy.policy == prepared.policy {
                payload.policy = lastPolicy.number
            } else {
                // Every policy of a fresh build is in use, so there is nothing to compact.
                payload.policy = DocumentIndex.number(of: prepared.policy, in: &policies, &policyNumbers)
                lastPolicy = (prepared.policy, payload.policy)
            }
            entries[prepared.segment].append(Entry(fingerprint: prepared.fingerprint, payload: payload))
        }

        /// The index of every entry added; the builder is used up. Segments are laid out on
        /// every core at once, each by one thread: they share nothing.
        public consuming func build() -> DocumentIndex {
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))
            var segments = [Segment?](repeating: nil, count: DocumentIndex.segmentCount)
            entries.withUnsafeMutableBufferPointer { allEntries in
                segments.withUnsafeMutableBufferPointer { allSegments in
                    // Each worker reads and writes only the elements of its own segments.
                    nonisolated(unsafe) let (entries, segments) = (allEntries, allSegments)
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        var order: [UInt64] = []
                        var kept: [Int] = []
                        for number in stride(from: worker, to: entries.count, by: workers) {
                            var gathered: [Entry] = []
                            swap(&gathered, &entries[number])
                            segments[number] = Self.layOut(gathered, &order, &kept)
                        }
                    }
                }
            }
            let built = segments.map { $0! }
            return DocumentIndex(segments: built, policies: policies, count: built.reduce(0) { $0 + $1.count })
        }

        /// One segment's table from its entries in the order they came; `order` and `kept`
        /// are scratch, kept from one segment to the next.
        private static func layOut(_ gathered: [Entry], _ order: inout [UInt64], _ kept: inout [Int]) -> Segment {
            // Sorted as plain integers of fingerprint and position: several times faster than
            // sorting the entries, and equal fingerprints stay in the order they came.
            order.removeAll(keepingCapacity: true)
            for (position, entry) in gathered.enumerated() {
                order.append(UInt64(entry.fingerprint) << 32 | UInt64(position))
            }
            order.sort()
            kept.removeAll(keepingCapacity: true)
            for (rank, key) in order.enumerated() {
                let position = Int(truncatingIfNeeded: key & 0xffff_ffff)
                // A later entry of the same record under the same fingerprint replaces this one.
                let replaced = order[(rank + 1)...].prefix { $0 >> 32 == key >> 32 }.contains {
                    gathered[Int(truncatingIfNeeded: $0 & 0xffff_ffff)].payload.sameRecord(
                        as: gathered[position].payload)
                }
                if !replaced { kept.append(position) }
            }
            let segment = Segment(size: Segment.size(for: kept.count, load: Segment.builtLoad))
            for position in kept { segment.append(gathered[position].fingerprint, gathered[position].payload) }
            return segment
        }
    }
}
