import ConcordCore
import Foundation

extension DocumentIndex {
    /// Builds an index from many entries at once, as loading from the store does.
    ///
    /// Inserting one entry at a time into tables that keep fingerprint order shifts part of a
    /// cluster on every insert, and at tens of millions of entries most of those shifts and
    /// probes miss the cache. The builder instead gathers each segment's entries, sorts them
    /// by fingerprint, and lays every table out in one sequential pass, at its built load.
    /// Memory peaks while both the gathered entries (28 bytes each) and the finished tables
    /// are held, about twice the index.
    ///
    /// The same record under the same key given twice keeps the later entry, as `upsert`
    /// would: a record written while the store is read may come back twice.
    public struct Builder: Sendable {
        /// One gathered entry and when it came, which decides between duplicates.
        struct Entry: Sendable {
            var fingerprint: UInt32
            var arrival: UInt32
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
                (segment, fingerprint) = DocumentIndex.locate(key)
                payload = Payload(
                    id: DocumentIndex.words(id), reviewDay: DocumentIndex.day(roundingUp: reviewDate), policy: 0)
                policy = Policy(owner: owner, restrictions: restrictions)
            }
        }

        private var entries = [[Entry]](repeating: [], count: DocumentIndex.segmentCount)
        private var policies: [Policy] = []
        private var policyNumbers: [Policy: UInt16] = [:]
        private var arrivals: UInt32 = 0

        public init() {}

        public mutating func add(
            id: RecordID, key: DocumentKey, owner: MemberCode, restrictions: Restrictions,
            reviewDate: Date = .distantFuture
        ) {
            add(Prepared(id: id, key: key, owner: owner, restrictions: restrictions, reviewDate: reviewDate))
        }

        public mutating func add(_ prepared: Prepared) {
            var payload = prepared.payload
            // Every policy of a fresh build is in use, so there is nothing to compact.
            payload.policy = DocumentIndex.number(of: prepared.policy, in: &policies, &policyNumbers)
            entries[prepared.segment].append(
                Entry(fingerprint: prepared.fingerprint, arrival: arrivals, payload: payload))
            arrivals &+= 1
        }

        /// The index of every entry added; the builder is used up.
        public consuming func build() -> DocumentIndex {
            var segments: [Segment] = []
            segments.reserveCapacity(DocumentIndex.segmentCount)
            var count = 0
            for number in entries.indices {
                var gathered: [Entry] = []
                swap(&gathered, &entries[number])
                gathered.sort {
                    ($0.fingerprint, $0.payload.id0, $0.payload.id1, $0.payload.id2, $0.payload.id3, $0.arrival)
                        < ($1.fingerprint, $1.payload.id0, $1.payload.id1, $1.payload.id2, $1.payload.id3, $1.arrival)
                }
                // Of equal fingerprints and records, the last is the latest.
                var kept = 0
                for (position, entry) in gathered.enumerated() {
                    let next = position + 1
                    if next < gathered.count, gathered[next].fingerprint == entry.fingerprint,
                        gathered[next].payload.sameRecord(as: entry.payload)
                    {
                        continue
                    }
                    gathered[kept] = entry
                    kept += 1
                }
                let segment = Segment(size: Segment.size(for: kept, load: Segment.builtLoad))
                for entry in gathered[..<kept] { segment.append(entry.fingerprint, entry.payload) }
                segments.append(segment)
                count += kept
            }
            return DocumentIndex(segments: segments, policies: policies, count: count)
        }
    }
}
