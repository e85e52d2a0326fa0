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

        public var key: String { type.key(value) }
    }

    /// What the index keeps of a signature besides its value. Record ids are UUIDs (as the bank
    /// makes them) kept in 16 bytes; categories are numbered, since a bank has few.
    struct Facts: Sendable, Equatable {
        var id: UUID?
        var category: UInt32
        var reviewDate: Date
    }

    /// A cryptographic digest's bytes, up to 32, as four big-endian words.
    struct Digest: Sendable, Hashable {
        var type: SignatureType
        var words: (UInt64, UInt64, UInt64, UInt64)

        init?(type: SignatureType, hex: String) {
            guard type != .pdq, hex.utf8.count == type.hexLength else { return nil }
            let padded = Array(hex.utf8) + Array(repeating: UInt8(ascii: "0"), count: 64 - hex.utf8.count)
            var parsed: [UInt64] = []
            for start in stride(from: 0, to: 64, by: 16) {
                let digits = padded[start..<start + 16]
                guard digits.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }),
                    let word = UInt64(String(decoding: digits, as: UTF8.self), radix: 16)
                else { return nil }
                parsed.append(word)
            }
            self.type = type
            words = (parsed[0], parsed[1], parsed[2], parsed[3])
        }

        var hex: String {
            let digits = [words.0, words.1, words.2, words.3].map { word in
                let text = String(word, radix: 16)
                return String(repeating: "0", count: 16 - text.count) + text
            }.joined()
            return String(digits.prefix(type.hexLength))
        }

        static func == (lhs: Digest, rhs: Digest) -> Bool {
            lhs.type == rhs.type && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
                && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(type)
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
            hasher.combine(words.3)
        }
    }

    /// A PDQ signature by its entry number in `pdq`, which holds its hash.
    struct Slot: Sendable {
        var facts: Facts
        var live: Bool
    }

    private var pdq = PDQIndex()
    private var slots: [Slot] = []
    /// Live PDQ signatures' entry numbers, by hash.
    private var pdqEntries = PDQEntryNumbers()
    private var digests: [Digest: Facts] = [:]
    private var categories: [String] = []
    private var categoryNumbers: [String: UInt32] = [:]

    public init() {}

    /// Builds an index from many entries with one PDQ rebuild.
    public init(_ entries: some Sequence<Entry>) {
        var hashes: [PDQHash] = []
        for entry in entries {
            if entry.type != .pdq {
                upsert(entry)
                continue
            }
            guard let hash = PDQHash(hex: entry.value) else { continue }
            slots.append(Slot(facts: makeFacts(entry), live: true))
            hashes.append(hash)
        }
        let first = pdq.insert(contentsOf: hashes)
        assert(first == 0, "a PDQ index built in bulk starts empty")
        // A value given twice is the later entry's.
        for (number, hash) in hashes.enumerated() {
            if let old = pdqEntries.entry(of: hash, in: pdq) {
                slots[old].live = false
                pdq.remove(entry: old)
            }
            pdqEntries.set(number, for: hash, in: pdq)
        }
    }

    public var count: Int { pdqEntries.count + digests.count }

    /// Whether PDQ signatures added one at a time have piled up enough to rebuild the PDQ
    /// tables: `install(rebuiltPDQTables())`. A rebuild takes seconds at millions of
    /// signatures, so a shared index works the tables out while it goes on answering.
    public var wantsPDQRebuild: Bool { pdq.wantsRebuild }

    public func rebuiltPDQTables() -> PDQIndex.Tables { pdq.rebuiltTables() }

    public mutating func install(_ tables: PDQIndex.Tables) { pdq.install(tables) }

    private mutating func makeFacts(_ entry: Entry) -> Facts {
        let category: UInt32
        if let known = categoryNumbers[entry.category] {
            category = known
        } else {
            category = UInt32(categories.count)
            categories.append(entry.category)
            categoryNumbers[entry.category] = category
        }
        return Facts(
            id: entry.id.flatMap { UUID(uuidString: $0.rawValue) }, category: category, reviewDate: entry.reviewDate)
    }

    private func makeEntry(type: SignatureType, value: String, _ facts: Facts) -> Entry {
        Entry(
            id: facts.id.map { RecordID(rawValue: $0.uuidString.lowercased()) }, type: type, value: value,
            category: categories[Int(facts.category)], reviewDate: facts.reviewDate)
    }

    /// Adds a signature, replacing the one with the same value.
    public mutating func upsert(_ entry: Entry) {
        let facts = makeFacts(entry)
        if entry.type != .pdq {
            guard let digest = Digest(type: entry.type, hex: entry.value) else { return }
            digests[digest] = facts
            return
        }
        guard let hash = PDQHash(hex: entry.value) else { return }
        if let old = pdqEntries.entry(of: hash, in: pdq) {
            if slots[old].facts == facts { return }
            // Same hash: only the facts change, in place.
            slots[old].facts = facts
            return
        }
        let number = pdq.insert(hash)
        // Entry numbers are handed out in order; a gap (never expected) is filled with dead slots.
        while slots.count <= number { slots.append(Slot(facts: facts, live: false)) }
        slots[number] = Slot(facts: facts, live: true)
        pdqEntries.set(number, for: hash, in: pdq)
    }

    /// Removes the signature with this value; with an id, only if it is that record's, so that a
    /// withdrawn record never takes out a newer one sharing its value.
    public mutating func remove(type: SignatureType, value: String, id: RecordID? = nil) {
        let uuid = id.flatMap { UUID(uuidString: $0.rawValue) }
        if type != .pdq {
            guard let digest = Digest(type: type, hex: value), let facts = digests[digest],
                id == nil || facts.id == uuid
            else { return }
            digests[digest] = nil
            return
        }
        guard let hash = PDQHash(hex: value), let number = pdqEntries.entry(of: hash, in: pdq),
            id == nil || slots[number].facts.id == uuid
        else { return }
        pdqEntries.remove(hash, in: pdq)
        slots[number].live = false
        pdq.remove(entry: number)
    }

    /// The signature with exactly this value, if it is still within its review date.
    public func entry(type: SignatureType, value: String, at now: Date) -> Entry? {
        let facts: Facts?
        if type == .pdq {
            facts = PDQHash(hex: value).flatMap { pdqEntries.entry(of: $0, in: pdq) }.map { slots[$0].facts }
        } else {
            facts = Digest(type: type, hex: value).flatMap { digests[$0] }
        }
        guard let facts, facts.reviewDate > now else { return nil }
        return makeEntry(type: type, value: value.lowercased(), facts)
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
            return pdqMatches(variants, radius: radius, at: now)
        }
    }

    /// Each signature found for the variants of a query once, at its smallest distance.
    private func pdqMatches(_ variants: [(PDQDihedral, PDQHash)], radius: Int, at now: Date) -> [SignatureMatch] {
        var best: [Int: (distance: Int, variant: PDQDihedral)] = [:]
        for (variant, hash) in variants {
            for found in pdq.matches(of: hash, within: radius) {
                if let known = best[found.entry], known.distance <= found.distance { continue }
                best[found.entry] = (found.distance, variant)
            }
        }
        return best.compactMap { element -> SignatureMatch? in
            let (number, match) = element
            guard number < slots.count, slots[number].live, slots[number].facts.reviewDate > now else {
                return nil
            }
            return SignatureMatch(
                type: .pdq, value: pdq.hash(ofEntry: number).hex,
                category: categories[Int(slots[number].facts.category)], distance: match.distance,
                variant: match.variant.rawValue)
        }.sorted { ($0.distance, $0.value) < ($1.distance, $1.value) }
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

    /// The result for each query.
    public static func results(
        of queries: [Query], in index: SignatureIndex, radius: Int, at now: Date
    ) -> [SignatureQueryResult] {
        queries.map { query in
            if case .unusable(let reason) = query {
                return SignatureQueryResult(usable: false, reason: reason, matches: [])
            }
            return SignatureQueryResult(usable: true, matches: index.matches(query, radius: radius, at: now))
        }
    }
}
