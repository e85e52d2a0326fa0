/// Entry numbers in a `PDQIndex` by hash, for finding a signature by its exact value.
///
/// A dictionary keyed by whole hashes holds each hash a second time beside the index's own
/// copy, in 40 bytes a bucket (hash and number). This one is keyed by the hash's 64-bit hash
/// value (seeded per process, so that no one can choose hashes that collide) and confirms a
/// find by reading the hash back from the index, in 12 bytes a bucket. The rare hash whose key
/// another already holds goes in a dictionary of whole hashes, so that no value is ever lost or
/// mistaken.
struct PDQEntryNumbers: Sendable {
    private var byKey: [Int: UInt32] = [:]
    private var others: [PDQHash: Int] = [:]
    /// The key of a hash; tests choose one that collides often.
    var key: @Sendable (PDQHash) -> Int = { $0.hashValue }

    var count: Int { byKey.count + others.count }

    /// The entry recorded for `hash`, if any.
    func entry(of hash: PDQHash, in index: PDQIndex) -> Int? {
        if let entry = keyed(hash, in: index) { return entry }
        return others[hash]
    }

    /// Records `entry` as `hash`'s, in place of any entry recorded for it before.
    mutating func set(_ entry: Int, for hash: PDQHash, in index: PDQIndex) {
        let key = key(hash)
        if let held = byKey[key], index.hash(ofEntry: Int(held)) != hash {
            others[hash] = entry
        } else {
            byKey[key] = UInt32(entry)
            // It may have gone to the others while another hash held its key.
            others[hash] = nil
        }
    }

    mutating func remove(_ hash: PDQHash, in index: PDQIndex) {
        if keyed(hash, in: index) != nil {
            byKey[key(hash)] = nil
        } else {
            others[hash] = nil
        }
    }

    /// The entry under `hash`'s key, if it is `hash`'s.
    private func keyed(_ hash: PDQHash, in index: PDQIndex) -> Int? {
        guard let entry = byKey[key(hash)].map(Int.init), index.hash(ofEntry: entry) == hash else { return nil }
        return entry
    }
}
