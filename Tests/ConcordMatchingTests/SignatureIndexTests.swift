import ConcordCore
import Foundation
import Testing

@testable import ConcordMatching

@Suite struct SignatureIndexTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let later = now + 86_400

    static func random(_ seed: inout UInt64) -> PDQHash {
        func next() -> UInt64 {
            seed &+= 0x9e37_79b9_7f4a_7c15
            var z = seed
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        return PDQHash(words: (next(), next(), next(), next()))
    }

    static func flip(_ hash: PDQHash, _ bits: Int) -> PDQHash {
        var words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
        for bit in 0..<bits { words[bit % 4] ^= 1 << UInt64(bit) }
        return PDQHash(words: (words[0], words[1], words[2], words[3]))
    }

    /// Record ids are UUIDs, as the bank makes them; `number` picks one.
    static func id(_ number: Int) -> RecordID {
        RecordID(rawValue: String(format: "00000000-0000-4000-8000-%012d", number))
    }

    static func entry(_ hash: PDQHash, id: Int, review: Date = later) -> SignatureIndex.Entry {
        SignatureIndex.Entry(id: Self.id(id), type: .pdq, value: hash.hex, category: "baseline", reviewDate: review)
    }

    /// `count` random hashes, each followed by its near-duplicates (as real banks hold them),
    /// `nearDuplicates` bits away.
    static func bank(_ count: Int, nearDuplicates: [Int], _ seed: inout UInt64) -> [PDQHash] {
        var hashes: [PDQHash] = []
        for _ in 0..<count {
            let base = random(&seed)
            hashes.append(base)
            for bits in nearDuplicates { hashes.append(flip(base, bits)) }
        }
        return hashes
    }

    @Test("PDQ matches agree with a brute-force scan, at every radius the API allows")
    func exactAgainstBruteForce() {
        var seed: UInt64 = 11
        let hashes = Self.bank(300, nearDuplicates: [3, 17, 30, 33, 46], &seed)
        let index = SignatureIndex(hashes.enumerated().map { Self.entry($0.element, id: $0.offset) })
        for radius in [0, 10, 31, SignatureMatching.maximumRadius] {
            for query in hashes.prefix(60).map({ Self.flip($0, 2) }) {
                let found = index.matches(.pdq([(.original, query)]), radius: radius, at: Self.now)
                let expected = Set(hashes.filter { $0.distance(to: query) <= radius }.map(\.hex))
                #expect(Set(found.map(\.value)) == expected)
                #expect(found.allSatisfy { PDQHash(hex: $0.value)!.distance(to: query) == $0.distance })
            }
        }
    }

    @Test("PDQ signatures added one at a time go into the tables when asked, and match the same before and after")
    func pdqRebuild() {
        var seed: UInt64 = 41
        let hashes = Self.bank(1_500, nearDuplicates: [6, 25], &seed)
        var index = SignatureIndex(hashes.prefix(200).enumerated().map { Self.entry($0.element, id: $0.offset) })
        for (number, hash) in hashes.enumerated().dropFirst(200) {
            index.upsert(Self.entry(hash, id: number))
        }
        let wanted = index.wantsPDQRebuild
        #expect(wanted)
        let queries = stride(from: 0, to: hashes.count, by: 97).map {
            SignatureMatching.Query.pdq([(.original, Self.flip(hashes[$0], 3))])
        }
        let before = queries.map { index.matches($0, radius: 31, at: Self.now) }
        index.install(index.rebuiltPDQTables())
        let stillWanted = index.wantsPDQRebuild
        #expect(!stillWanted)
        #expect(queries.map { index.matches($0, radius: 31, at: Self.now) } == before)
        #expect(before.allSatisfy { $0.count >= 2 })
    }

    @Test("a request's results follow its queries: exact, unusable and PDQ with variants, each as it matches alone")
    func requests() {
        var seed: UInt64 = 23
        let hashes = Self.bank(4000, nearDuplicates: [9, 29], &seed)
        var entries = hashes.enumerated().map { Self.entry($0.element, id: $0.offset) }
        entries.append(
            SignatureIndex.Entry(
                id: Self.id(99_999), type: .md5, value: String(repeating: "b", count: 32), category: "baseline",
                reviewDate: Self.later))
        let index = SignatureIndex(entries)
        var queries: [SignatureMatching.Query] = [
            .exact(.md5, String(repeating: "b", count: 32)), .unusable("quality 10 is below 50"),
        ]
        for (number, hash) in hashes.prefix(400).enumerated() where number % 3 == 0 {
            queries.append(.pdq([(.original, Self.flip(hash, 5)), (.rotate90, Self.random(&seed))]))
            queries.append(.pdq([(.original, Self.random(&seed))]))
        }
        let results = SignatureMatching.results(of: queries, in: index, radius: 31, at: Self.now)
        #expect(results.count == queries.count)
        for (query, result) in zip(queries, results) {
            if case .unusable(let reason) = query {
                #expect(!result.usable && result.reason == reason && result.matches.isEmpty)
            } else {
                #expect(result.usable && result.matches == index.matches(query, radius: 31, at: Self.now))
            }
        }
        #expect(results.filter { !$0.matches.isEmpty }.count >= 134)
    }

    @Test("a variant matches at its own distance, and each signature is reported once, at the smallest")
    func variants() {
        var seed: UInt64 = 5
        let stored = Self.random(&seed)
        let index = SignatureIndex([Self.entry(stored, id: 1)])
        let query = SignatureMatching.Query.pdq([
            (.original, Self.random(&seed)), (.rotate90, Self.flip(stored, 12)), (.flipX, Self.flip(stored, 4)),
        ])
        let found = index.matches(query, radius: 31, at: Self.now)
        #expect(found.count == 1)
        #expect(found.first?.distance == 4)
        #expect(found.first?.variant == "flip-x")
    }

    @Test("withdrawn or past-review signatures stop matching; an old record never removes a newer one")
    func removals() {
        var seed: UInt64 = 9
        let hash = Self.random(&seed)
        var index = SignatureIndex()
        index.upsert(Self.entry(hash, id: 1))
        index.remove(type: .pdq, value: hash.hex, id: Self.id(1))
        #expect(index.matches(.pdq([(.original, hash)]), radius: 31, at: Self.now).isEmpty)
        index.upsert(Self.entry(hash, id: 2))
        index.remove(type: .pdq, value: hash.hex, id: Self.id(1))
        #expect(index.matches(.pdq([(.original, hash)]), radius: 31, at: Self.now).count == 1)
        #expect(index.entry(type: .pdq, value: hash.hex, at: Self.now)?.id == Self.id(2))
        index.upsert(Self.entry(hash, id: 2, review: Self.now - 1))
        #expect(index.matches(.pdq([(.original, hash)]), radius: 31, at: Self.now).isEmpty)
        index.upsert(
            SignatureIndex.Entry(
                id: nil, type: .md5, value: String(repeating: "a", count: 32), category: "c", reviewDate: Self.later))
        #expect(index.matches(.exact(.md5, String(repeating: "a", count: 32)), radius: 0, at: Self.now).count == 1)
        #expect(index.count == 2)
        // Digests of every type round-trip through the compact form.
        for type in [SignatureType.md5, .sha1, .sha256] {
            let value = String(
                "0123456789abcdef0fedcba987654321deadbeefcafef00d0011223344556677".prefix(type.hexLength))
            index.upsert(
                SignatureIndex.Entry(id: Self.id(9), type: type, value: value, category: "c", reviewDate: Self.later))
            let found = index.entry(type: type, value: value, at: Self.now)
            #expect(found?.value == value)
            #expect(found?.id == Self.id(9))
            #expect(found?.category == "c")
            index.remove(type: type, value: value, id: Self.id(8))
            #expect(index.entry(type: type, value: value, at: Self.now) != nil)
            index.remove(type: type, value: value, id: Self.id(9))
            #expect(index.entry(type: type, value: value, at: Self.now) == nil)
        }
    }

    @Test("requests are validated: radius, count, quality and variant names")
    func validation() throws {
        #expect(try SignatureMatching.radius(nil) == 31)
        #expect(try SignatureMatching.radius(47) == 47)
        #expect(throws: DomainError.self) { try SignatureMatching.radius(48) }
        #expect(throws: DomainError.self) { try SignatureMatching.radius(-1) }
        #expect(SignatureMatching.maximumRadius <= PDQIndex.maximumRadius)
        let md5 = SignatureQuery(type: .md5, value: String(repeating: "A", count: 32))
        #expect(try SignatureMatching.queries(Array(repeating: md5, count: 1000)).count == 1000)
        #expect(throws: DomainError.self) { try SignatureMatching.queries(Array(repeating: md5, count: 1001)) }
        #expect(throws: DomainError.self) { try SignatureMatching.queries([]) }
        let hex = String(repeating: "0f", count: 32)
        guard
            case .unusable = try SignatureMatching.query(
                SignatureQuery(type: .pdq, value: hex, quality: 49), field: "q")
        else {
            Issue.record("quality 49 must be unusable")
            return
        }
        guard case .pdq = try SignatureMatching.query(SignatureQuery(type: .pdq, value: hex, quality: 50), field: "q")
        else {
            Issue.record("quality 50 must be usable")
            return
        }
        #expect(throws: DomainError.self) {
            try SignatureMatching.query(SignatureQuery(type: .pdq, value: hex), field: "q")
        }
        #expect(throws: DomainError.self) {
            try SignatureMatching.query(
                SignatureQuery(type: .pdq, value: hex, quality: 90, dihedral: ["original": hex]), field: "q")
        }
        #expect(throws: DomainError.self) {
            try SignatureMatching.query(
                SignatureQuery(type: .md5, value: String(hex.prefix(32)), quality: 90), field: "q")
        }
    }
}
