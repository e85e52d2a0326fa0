import ConcordCore
import Foundation

/// The signature bank in memory: a PDQ index for perceptual hashes and exact sets for the
/// cryptographic ones. The node keeps one current from the store's change feed; a partner
/// builds one from its verified hash list. Both match with `SignatureMatching`'s rules.
public struct SignatureIndex: Sendable {
    public struct Entry: Sendable, Hashable {
        /// The bank record; nil in a partner's copy, which never learns ids.
        public var id: RecordID?
        public var type: SignatureType
        /// Normalised (lowercase hex).
        public var value: String
        public var category: String
        /// After this the signature matches nothing.
        public var reviewDate: Date

        public init(id: RecordID?, type: SignatureType, value: String, category: String, reviewDate: Date) {
            self.id = id
            self.type = type
            self.value = value
            self.category = category
            self.reviewDate = reviewDate
        }

        public var key: String { "\(type.rawValue):\(value)" }
    }

    private var pdq = PDQIndex()
    /// By PDQ entry number; nil once removed.
    private var pdqEntries: [Entry?] = []
    /// Every entry by `type:value`, with its PDQ entry number.
    private var byKey: [String: (entry: Entry, pdq: Int?)] = [:]

    public init() {}

    /// Builds an index from many entries with one PDQ rebuild.
    public init(_ entries: some Sequence<Entry>) {
        var hashes: [PDQHash] = []
        for entry in entries {
            if let old = byKey[entry.key], let number = old.pdq { pdqEntries[number] = nil }
            guard entry.type == .pdq else {
                byKey[entry.key] = (entry, nil)
                continue
            }
            guard let hash = PDQHash(hex: entry.value) else { continue }
            byKey[entry.key] = (entry, pdqEntries.count)
            pdqEntries.append(entry)
            hashes.append(hash)
        }
        pdq.insert(contentsOf: hashes)
        for (number, entry) in pdqEntries.enumerated() where entry == nil { pdq.remove(entry: number) }
    }

    public var count: Int { byKey.count }

    /// Adds a signature, replacing the one with the same value.
    public mutating func upsert(_ entry: Entry) {
        if let old = byKey[entry.key] {
            if old.entry == entry { return }
            removeKey(entry.key)
        }
        guard entry.type == .pdq else {
            byKey[entry.key] = (entry, nil)
            return
        }
        guard let hash = PDQHash(hex: entry.value) else { return }
        let number = pdq.insert(hash)
        if pdqEntries.count <= number {
            pdqEntries.append(contentsOf: repeatElement(nil, count: number + 1 - pdqEntries.count))
        }
        pdqEntries[number] = entry
        byKey[entry.key] = (entry, number)
    }

    /// Removes the signature with this value; with an id, only if it is that record's, so that a
    /// withdrawn record never takes out a newer one sharing its value.
    public mutating func remove(type: SignatureType, value: String, id: RecordID? = nil) {
        let key = "\(type.rawValue):\(value)"
        guard let old = byKey[key], id == nil || old.entry.id == id else { return }
        removeKey(key)
    }

    private mutating func removeKey(_ key: String) {
        guard let old = byKey.removeValue(forKey: key) else { return }
        if let number = old.pdq {
            pdq.remove(entry: number)
            pdqEntries[number] = nil
        }
    }

    /// The signature with exactly this value, if it is still within its review date.
    public func entry(type: SignatureType, value: String, at now: Date) -> Entry? {
        guard let found = byKey["\(type.rawValue):\(value)"]?.entry, found.reviewDate > now else { return nil }
        return found
    }

    /// Every match of a query, nearest first; for PDQ, each signature once, at the smallest
    /// distance over the query's symmetries.
    public func matches(_ query: SignatureMatching.Query, radius: Int, at now: Date) -> [SignatureMatch] {
        switch query {
        case .unusable:
            return []
        case .exact(let type, let value):
            guard let found = entry(type: type, value: value, at: now) else { return [] }
            return [SignatureMatch(type: type, value: found.value, category: found.category, distance: 0)]
        case .pdq(let variants):
            var best: [Int: (distance: Int, variant: PDQDihedral)] = [:]
            for (variant, hash) in variants {
                for found in pdq.matches(of: hash, within: radius) {
                    if let known = best[found.entry], known.distance <= found.distance { continue }
                    best[found.entry] = (found.distance, variant)
                }
            }
            return best.compactMap { element -> SignatureMatch? in
                let (number, match) = element
                guard number < pdqEntries.count, let entry = pdqEntries[number], entry.reviewDate > now else {
                    return nil
                }
                return SignatureMatch(
                    type: .pdq, value: entry.value, category: entry.category, distance: match.distance,
                    variant: match.variant.rawValue)
            }.sorted { ($0.distance, $0.value) < ($1.distance, $1.value) }
        }
    }
}

/// The matching rules, the same on the node and in a partner's local copy.
public enum SignatureMatching {
    public static let defaultRadius = 31
    /// The largest radius a request may ask for: beyond it PDQ matches mostly unrelated images,
    /// and the index is exact up to it.
    public static let maximumRadius = 47
    /// Hashes per request, dihedral variants included.
    public static let maximumHashes = 1000

    public enum Query: Sendable {
        case exact(SignatureType, String)
        /// The query's own hash first, then the variants it sent.
        case pdq([(PDQDihedral, PDQHash)])
        /// A PDQ hash of too low a quality to mean anything.
        case unusable(String)
    }

    /// The radius a request asks for, or the default; refused outside 0...`maximumRadius`.
    public static func radius(_ requested: Int?) throws(DomainError) -> Int {
        let radius = requested ?? defaultRadius
        guard (0...maximumRadius).contains(radius) else {
            throw DomainError.invalid(
                field: "radius",
                "\(radius) is outside 0...\(maximumRadius); the default is \(defaultRadius)")
        }
        return radius
    }

    /// Validates a request's hashes, naming the first field at fault.
    public static func queries(_ hashes: [SignatureQuery]) throws(DomainError) -> [Query] {
        guard !hashes.isEmpty else { throw DomainError.invalid(field: "hashes", "send at least one hash") }
        let total = hashes.reduce(0) { $0 + $1.hashCount }
        guard total <= maximumHashes else {
            throw DomainError.invalid(
                field: "hashes",
                "\(total) hashes (dihedral variants included); at most \(maximumHashes) per request")
        }
        var queries: [Query] = []
        queries.reserveCapacity(hashes.count)
        for (position, query) in hashes.enumerated() {
            queries.append(try self.query(query, field: "hashes/\(position)"))
        }
        return queries
    }

    public static func query(_ query: SignatureQuery, field: String) throws(DomainError) -> Query {
        let value = try query.type.validate(query.value, field: "\(field)/value")
        guard query.type == .pdq else {
            guard query.quality == nil, query.dihedral == nil else {
                throw DomainError.invalid(field: field, "quality and dihedral are for pdq hashes only")
            }
            return .exact(query.type, value)
        }
        guard let quality = query.quality else {
            throw DomainError.invalid(field: "\(field)/quality", "a pdq hash needs the quality (0-100) its hasher gave")
        }
        guard (0...100).contains(quality) else {
            throw DomainError.invalid(field: "\(field)/quality", "between 0 and 100")
        }
        var variants: [(PDQDihedral, PDQHash)] = [(.original, PDQHash(hex: value)!)]
        for (name, text) in (query.dihedral ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let variant = PDQDihedral(rawValue: name), variant != .original else {
                throw DomainError.invalid(
                    field: "\(field)/dihedral/\(name)",
                    "variants are " + PDQDihedral.allCases.dropFirst().map(\.rawValue).joined(separator: ", "))
            }
            let hex = try SignatureType.pdq.validate(text, field: "\(field)/dihedral/\(name)")
            variants.append((variant, PDQHash(hex: hex)!))
        }
        guard quality >= PDQResult.minimumUsefulQuality else {
            return .unusable("quality \(quality) is below \(PDQResult.minimumUsefulQuality); the hash is unusable")
        }
        return .pdq(variants)
    }

    /// The result for one query.
    public static func result(
        of query: Query, in index: SignatureIndex, radius: Int, at now: Date
    )
        -> SignatureQueryResult
    {
        if case .unusable(let reason) = query {
            return SignatureQueryResult(usable: false, reason: reason, matches: [])
        }
        return SignatureQueryResult(usable: true, matches: index.matches(query, radius: radius, at: now))
    }
}
