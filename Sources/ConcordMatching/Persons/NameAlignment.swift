/// How a query token came to stand for a candidate token.
public enum AlignmentKind: String, Sendable, Hashable, Codable {
    /// The same spelling, both written in Latin letters.
    case exact
    /// The same spelling once romanised: one side was written in another script, or a variant
    /// romanisation scheme spells them alike.
    case transliteration
    /// Same phonetic key: spelled differently, sounds alike (Mohammed, Muhammad).
    case phonetic
    /// Same consonant skeleton: how Arabic and Hebrew script meet vowelled Latin spellings.
    case consonants
    /// Close in spelling (typing and reading errors), by Jaro-Winkler and edit distance.
    case fuzzy
    /// A single letter against a name that starts with it.
    case initial
    /// Two tokens on one side written as one on the other (Abdul Rahman, Abdulrahman).
    case joined
    /// One side has a particle attached (Alhassan, Hassan).
    case particle
}

/// One step of an alignment, as an officer reads it.
public struct TokenAlignment: Sendable, Hashable, Codable {
    /// Query tokens, as written with their romanisation when not in Latin letters.
    public let query: AlignedWords
    public let candidate: AlignedWords
    public let kind: AlignmentKind
    public let similarity: Double
}

/// The words on one side of an alignment: one token, or two written apart where the other side
/// writes them as one. Held without an array, because every explanation has several; in JSON,
/// an array of one or two strings.
public struct AlignedWords: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral, Codable {
    private let word: String
    private let secondWord: String?

    init(_ word: String, _ secondWord: String? = nil) {
        self.word = word
        self.secondWord = secondWord
    }

    public init(arrayLiteral words: String...) {
        precondition((1...2).contains(words.count), "one or two words")
        self.init(words[0], words.count > 1 ? words[1] : nil)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { secondWord == nil ? 1 : 2 }

    public subscript(position: Int) -> String {
        precondition(indices.contains(position), "index out of range")
        return position == 0 ? word : secondWord!
    }

    public init(from decoder: any Decoder) throws {
        let words = try decoder.singleValueContainer().decode([String].self)
        guard (1...2).contains(words.count) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "one or two words expected"))
        }
        self.init(words[0], words.count > 1 ? words[1] : nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Array(self))
    }
}

/// How one query name compares with one candidate name.
public struct NameComparison: Sendable, Hashable, Codable {
    public let score: Double
    public let alignments: [TokenAlignment]
    public let unmatchedQuery: [String]
    public let unmatchedCandidate: [String]
}

/// Order-free alignment of two normalised names.
///
/// Every query token and every pair of adjacent tokens (for names split on one side and joined
/// on the other) is compared with every candidate token or adjacent pair; the pairings are then
/// taken best first, each token used at most once. Names have a handful of tokens, so this
/// greedy assignment reaches the best one-to-one matching in practice, and it is what an
/// officer would do by eye. Order plays no part, so family-name-first and given-name-first
/// writings align alike.
public enum NameAlignment {
    /// Pairs below this similarity are not aligned.
    static let minimumSimilarity = 0.78

    public static func compare(_ query: NormalizedName, _ candidate: NormalizedName) -> NameComparison {
        comparison(align(query.tokens, candidate.tokens), query.tokens, candidate.tokens)
    }

    /// The chosen pairings and the score, without the words an explanation needs.
    struct Alignment {
        var chosen: [Pairing]
        var score: Double
    }

    static func align(_ query: [NameToken], _ candidate: [NameToken]) -> Alignment {
        var chosen: [Pairing] = []
        chosen.reserveCapacity(min(query.count, candidate.count))
        // The pairings (tokens one to one, and two joined on either side) and which tokens are
        // taken, on the stack: this runs for every candidate a search scores.
        let (queryPairs, candidatePairs) = (max(0, query.count - 1), max(0, candidate.count - 1))
        let most = query.count * candidate.count + queryPairs * candidate.count + query.count * candidatePairs
        withUnsafeTemporaryAllocation(of: Pairing.self, capacity: most) { buffer in
            var edges = UnsafeMutableBufferPointer(rebasing: buffer[..<pairings(query, candidate, into: buffer)])
            edges.sort {
                ($0.similarity, -$0.tokenCount, -$0.queryStart) > ($1.similarity, -$1.tokenCount, -$1.queryStart)
            }
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: query.count + candidate.count) { used in
                used.initialize(repeating: false)
                let offset = query.count
                for edge in edges where !edge.queryRange.contains(where: { used[$0] }) {
                    guard !edge.candidateRange.contains(where: { used[offset + $0] }) else { continue }
                    for index in edge.queryRange { used[index] = true }
                    for index in edge.candidateRange { used[offset + index] = true }
                    chosen.append(edge)
                }
            }
        }
        chosen.sort { $0.queryStart < $1.queryStart }
        return Alignment(chosen: chosen, score: score(chosen, query, candidate))
    }

    static func comparison(_ alignment: Alignment, _ query: [NameToken], _ candidate: [NameToken]) -> NameComparison {
        func unmatched(_ tokens: [NameToken], _ range: (Pairing) -> Range<Int>) -> [String] {
            var words: [String] = []
            for index in tokens.indices where !alignment.chosen.contains(where: { range($0).contains(index) }) {
                words.append(tokens[index].display)
            }
            return words
        }
        return NameComparison(
            score: alignment.score,
            alignments: alignment.chosen.map { edge in
                TokenAlignment(
                    query: words(query, edge.queryStart, edge.queryCount),
                    candidate: words(candidate, edge.candidateStart, edge.candidateCount),
                    kind: edge.kind, similarity: rounded(edge.similarity))
            },
            unmatchedQuery: unmatched(query, \.queryRange), unmatchedCandidate: unmatched(candidate, \.candidateRange))
    }

    static func words(_ tokens: [NameToken], _ start: Int, _ count: Int) -> AlignedWords {
        AlignedWords(tokens[start].display, count > 1 ? tokens[start + 1].display : nil)
    }

    /// Name score in 0...1: the weighted share of tokens aligned, mostly on the side better
    /// covered (a missing middle name costs little), partly on the other (so extra names do
    /// cost something). A single aligned name or initial against a fuller name is weak evidence
    /// and is scaled down.
    static func score(_ chosen: [Pairing], _ query: [NameToken], _ candidate: [NameToken]) -> Double {
        let queryWeight = query.reduce(0) { $0 + $1.weight }
        let candidateWeight = candidate.reduce(0) { $0 + $1.weight }
        guard queryWeight > 0, candidateWeight > 0 else { return 0 }
        var queryCovered = 0.0
        var candidateCovered = 0.0
        var alignedNames = 0
        for edge in chosen {
            queryCovered += edge.similarity * edge.queryRange.reduce(0) { $0 + query[$1].weight }
            candidateCovered += edge.similarity * edge.candidateRange.reduce(0) { $0 + candidate[$1].weight }
            if edge.queryRange.contains(where: { query[$0].kind != .particle }) { alignedNames += 1 }
        }
        let queryShare = queryCovered / queryWeight
        let candidateShare = candidateCovered / candidateWeight
        var score = 0.75 * max(queryShare, candidateShare) + 0.25 * min(queryShare, candidateShare)
        let fuller = max(query.count(where: { $0.kind == .name }), candidate.count(where: { $0.kind == .name }))
        if alignedNames <= 1 && fuller >= 2 { score *= 0.8 }
        return rounded(min(1, score))
    }

    struct Pairing {
        var queryStart: Int
        var queryCount: Int
        var candidateStart: Int
        var candidateCount: Int
        var similarity: Double
        var kind: AlignmentKind

        var queryRange: Range<Int> { queryStart..<queryStart + queryCount }
        var candidateRange: Range<Int> { candidateStart..<candidateStart + candidateCount }
        var tokenCount: Int { queryCount + candidateCount }
    }

    /// Writes every pairing similar enough to align into `edges`, which has room for all there
    /// can be, and returns how many it wrote.
    static func pairings(
        _ query: [NameToken], _ candidate: [NameToken], into edges: UnsafeMutableBufferPointer<Pairing>
    ) -> Int {
        var count = 0
        func add(_ pairing: Pairing) {
            (edges.baseAddress! + count).initialize(to: pairing)
            count += 1
        }
        // Tokens read in place: a copy of each would cost a reference count.
        query.withUnsafeBufferPointer { query in
            candidate.withUnsafeBufferPointer { candidate in
                for i in query.indices {
                    let left = Unmanaged.passUnretained(query[i].parts)
                    for j in candidate.indices {
                        let right = Unmanaged.passUnretained(candidate[j].parts)
                        let match = left._withUnsafeGuaranteedRef { l in
                            right._withUnsafeGuaranteedRef { r in TokenComparison.compare(l, r) }
                        }
                        if match.similarity >= minimumSimilarity { add(Pairing(i, 1, j, 1, match)) }
                    }
                }
            }
        }
        // Two adjacent tokens joined, made only once a token on the other side may be them.
        for i in query.indices.dropLast() {
            var joined: NameToken??
            for j in candidate.indices where TokenComparison.mayJoin(query[i], query[i + 1], as: candidate[j]) {
                if joined == nil { joined = TokenComparison.cachedJoined(query[i], query[i + 1]) }
                guard let token = joined ?? nil else { break }
                let match = TokenComparison.compare(token, candidate[j])
                if match.similarity >= minimumSimilarity { add(Pairing(i, 2, j, 1, joinedMatch(match))) }
            }
        }
        for j in candidate.indices.dropLast() {
            var joined: NameToken??
            for i in query.indices where TokenComparison.mayJoin(candidate[j], candidate[j + 1], as: query[i]) {
                if joined == nil { joined = TokenComparison.cachedJoined(candidate[j], candidate[j + 1]) }
                guard let token = joined ?? nil else { break }
                let match = TokenComparison.compare(query[i], token)
                if match.similarity >= minimumSimilarity { add(Pairing(i, 1, j, 2, joinedMatch(match))) }
            }
        }
        return count
    }

    static func joinedMatch(_ match: TokenComparison.Match) -> TokenComparison.Match {
        TokenComparison.Match(similarity: match.similarity * 0.98, kind: .joined)
    }

    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}

extension NameAlignment.Pairing {
    init(
        _ queryStart: Int, _ queryCount: Int, _ candidateStart: Int, _ candidateCount: Int,
        _ match: TokenComparison.Match
    ) {
        self.init(
            queryStart: queryStart, queryCount: queryCount, candidateStart: candidateStart,
            candidateCount: candidateCount, similarity: match.similarity, kind: match.kind)
    }
}

/// Similarity of two tokens, with the reason.
public enum TokenComparison {
    public struct Match: Sendable, Hashable {
        public let similarity: Double
        public let kind: AlignmentKind
    }

    // The similarity each kind of evidence is worth. Equal sound keys are strong but not
    // certain. Equal skeletons are nearly as strong when one side is Arabic or Hebrew, which
    // write no more than consonants and long vowels, but weak between Latin spellings, whose
    // vowels were there to compare and differ (Mohammed, Mahmoud).
    static let phoneticSimilarity = 0.93
    static let respellingSimilarity = 0.93
    static let scriptSkeletonSimilarity = 0.92
    static let latinSkeletonSimilarity = 0.8
    static let initialSimilarity = 0.85
    static let sameInitialSimilarity = 0.9
    static let particleSimilarity = 0.95
    static let fuzzySpellings = 3
    static let keyFuzzyFloor = 0.68

    static let none = Match(similarity: 0, kind: .fuzzy)

    /// The similarity of two tokens and its kind. Similarities below
    /// `NameAlignment.minimumSimilarity`, which no caller aligns, come back as `none`: that
    /// lets most pairs of unrelated names skip the edit distance.
    public static func compare(_ left: NameToken, _ right: NameToken) -> Match {
        compare(left.parts, right.parts)
    }

    /// The parts are borrowed, never copied: every array below is read in place, without a
    /// reference count per access, which is what most of the time here went to.
    static func compare(_ l: borrowing NameToken.Parts, _ r: borrowing NameToken.Parts) -> Match {
        if l.kind == .initial || r.kind == .initial {
            return compareInitials(l, r)
        }
        return l.withSpellings { ls in r.withSpellings { rs in compare(l, ls, r, rs) } }
    }

    private static func compare(
        _ l: NameToken.Parts, _ ls: SpellingBytes, _ r: NameToken.Parts, _ rs: SpellingBytes
    ) -> Match {
        let romanised = l.script != .latin || r.script != .latin
        if equal(ls[0], rs[0]) {
            return Match(similarity: 1, kind: romanised ? .transliteration : .exact)
        }
        if l.isConsonantal || r.isConsonantal {
            // Only consonants compare: equal skeletons, or close ones.
            if l.skeletonMask.mayShare(r.skeletonMask) && sharesAny(l.skeletons, r.skeletons) {
                return Match(similarity: scriptSkeletonSimilarity, kind: .consonants)
            }
            var best = 0.0
            for var a in l.skeletons {
                for var b in r.skeletons {
                    let floor = max(best, NameAlignment.minimumSimilarity / 0.85)
                    let similarity = a.withUTF8 { a in
                        b.withUTF8 { b in
                            fuzzy(a, TokenSimilarity.letters(a), b, TokenSimilarity.letters(b), atLeast: floor)
                        }
                    }
                    best = max(best, similarity)
                }
            }
            return best > 0 ? Match(similarity: best * 0.85, kind: .fuzzy) : none
        }
        if l.spellingMask.mayShare(r.spellingMask), let shared = sharedSpelling(l, ls, r, rs) {
            return Match(similarity: shared, kind: .transliteration)
        }
        if l.sharesSurname(with: r) { return Match(similarity: 0.95, kind: .transliteration) }
        // Vowel-blind keys make short names collide (Ali, Ola): a key match counts only when the
        // spellings are not far apart as well.
        let soundsAlike = l.phoneticMask.mayShare(r.phoneticMask) && sharesAny(l.phoneticKeys, r.phoneticKeys)
        // A one-consonant skeleton (Ali, Eli, Leo) says nothing between Latin spellings.
        let sameConsonants =
            l.longSkeletonMask.mayShare(r.longSkeletonMask) && sharesAny(l.skeletons, r.skeletons, longerThan: 1)
        // Over the first few spellings only, which keeps scoring fast for Cyrillic's schemes.
        // Without a key in common, only a spelling similar enough to be aligned by itself counts.
        let needed = soundsAlike || sameConsonants ? keyFuzzyFloor : NameAlignment.minimumSimilarity / 0.95
        var spelling = 0.0
        for i in 0..<min(fuzzySpellings, ls.count) {
            for j in 0..<min(fuzzySpellings, rs.count) {
                let (a, b) = (ls[i], rs[j])
                guard !areDistinctNames(a, b) else { continue }
                spelling = max(spelling, fuzzy(a, ls.letters(i), b, rs.letters(j), atLeast: max(needed, spelling)))
            }
        }
        var best = none
        func consider(_ similarity: Double, _ kind: AlignmentKind) {
            if similarity > best.similarity { best = Match(similarity: similarity, kind: kind) }
        }
        consider(spelling * 0.95, .fuzzy)
        if spelling >= keyFuzzyFloor {
            if soundsAlike { consider(phoneticSimilarity, .phonetic) }
            if sameConsonants { consider(latinSkeletonSimilarity, .consonants) }
        }
        if particleAttached(ls[0], rs[0]) || particleAttached(rs[0], ls[0]) {
            consider(particleSimilarity, .particle)
        }
        return best.similarity >= NameAlignment.minimumSimilarity ? best : none
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }

    /// Whether the lists have a string in common, of more than `longerThan` bytes.
    static func sharesAny(_ left: [String], _ right: [String], longerThan length: Int = 0) -> Bool {
        for a in left where a.utf8.count > length {
            for b in right where a == b { return true }
        }
        return false
    }

    /// The similarity of a spelling both tokens have: a scheme's spelling of a word written in
    /// its own script is near certain; a respelling of a word that came in Latin letters
    /// (`LatinRespelling`) is a reading of the scheme it seems to use, as strong as a sound key.
    static func sharedSpelling(
        _ left: NameToken.Parts, _ ls: SpellingBytes, _ right: NameToken.Parts, _ rs: SpellingBytes
    ) -> Double? {
        var best: Double?
        for i in 0..<ls.count {
            for j in 0..<rs.count where equal(ls[i], rs[j]) {
                let respelled = (i > 0 && left.script == .latin) || (j > 0 && right.script == .latin)
                if !respelled { return 0.98 }
                best = respellingSimilarity
            }
        }
        return best
    }

    /// Spellings close in letters that name different people, which no typing error explains:
    /// - one is the other with a suffix of two letters or more (Martin and Martinez, Petr and
    ///   Petrov): suffixes derive new family names and patronymics;
    /// - short syllables that differ in a final n against ng (Chen and Cheng, Wang and Wan,
    ///   Lin and Ling): Chinese, Korean and Vietnamese romanisations write two distinct finals.
    static func areDistinctNames(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let (shorter, longer) = a.count <= b.count ? (a, b) : (b, a)
        let extra = longer.count - shorter.count
        guard extra > 0, longer.starts(with: shorter) else { return false }
        if extra >= 2 { return true }
        return longer.count <= 6 && longer.last == UInt8(ascii: "g") && shorter.last == UInt8(ascii: "n")
    }

    /// Mean of Jaro-Winkler and edit similarity: the first forgives transpositions and rewards a
    /// shared start, the second counts every edit. Zero without computing either when one
    /// token is more than half again as long as the other.
    ///
    /// Zero as well when the result would be below `atLeast`: the bound from the letters the
    /// words share (`TokenSimilarity.fuzzyBound`, from each word's `letters`) rules out most
    /// pairs first, then Jaro-Winkler, and the edit distance is left out when even no edits at
    /// all could not lift the mean that far.
    static func fuzzy(
        _ a: UnsafeBufferPointer<UInt8>, _ lettersA: UInt32, _ b: UnsafeBufferPointer<UInt8>, _ lettersB: UInt32,
        atLeast floor: Double
    ) -> Double {
        let (shorter, longer) = (min(a.count, b.count), max(a.count, b.count))
        guard 2 * longer <= 3 * shorter, TokenSimilarity.fuzzyBound(a, lettersA, b, lettersB) >= floor else {
            return 0
        }
        let jaroWinkler = TokenSimilarity.jaroWinkler(a, b)
        // The edit similarity is at most shorter / longer.
        guard (jaroWinkler + Double(shorter) / Double(longer)) / 2 >= floor else { return 0 }
        let similarity = (jaroWinkler + TokenSimilarity.editSimilarity(a, b)) / 2
        return similarity >= floor ? similarity : 0
    }

    static func compareInitials(_ left: NameToken.Parts, _ right: NameToken.Parts) -> Match {
        let sharesInitial = left.spellings.contains { spelling in
            right.spellings.contains { $0.utf8.first == spelling.utf8.first }
        }
        guard sharesInitial else { return none }
        let both = left.kind == .initial && right.kind == .initial
        return Match(similarity: both ? sameInitialSimilarity : initialSimilarity, kind: .initial)
    }

    /// Whether `long` is a particle written onto `short` (alhassan, hassan).
    static func particleAttached(_ long: UnsafeBufferPointer<UInt8>, _ short: UnsafeBufferPointer<UInt8>) -> Bool {
        let extra = long.count - short.count
        guard (1...NameNormalizer.longestParticle).contains(extra), long.last == short.last,
            long[extra...].elementsEqual(short)
        else {
            return false
        }
        return NameNormalizer.particles.contains(String(decoding: long[..<extra], as: UTF8.self))
    }

    /// `joined`, remembered for the two tokens it joins. The same neighbours meet many tokens
    /// on the other side (every candidate a query is scored against, every pair a name is in),
    /// and making the joined token's spellings and keys costs far more than comparing it.
    static func cachedJoined(_ first: NameToken, _ second: NameToken) -> NameToken? {
        recentJoins.value(for: TokenPair(first: first.parts, second: second.parts)) { joined(first, second) }
    }

    static let recentJoins = RecentResults<TokenPair, NameToken?>(limit: 1 << 14)

    /// Two tokens by identity: tokens are shared objects, made once a word. The key holds both,
    /// so neither can be freed and its address reused while the entry lasts.
    struct TokenPair: Hashable, Sendable {
        let first: NameToken.Parts
        let second: NameToken.Parts

        static func == (left: TokenPair, right: TokenPair) -> Bool {
            left.first === right.first && left.second === right.second
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(ObjectIdentifier(first))
            hasher.combine(ObjectIdentifier(second))
        }
    }

    /// Two adjacent tokens as one word, for names written apart on one side and together on
    /// the other; nil for consonantal scripts and initials, which are not written joined.
    static func joined(_ first: NameToken, _ second: NameToken) -> NameToken? {
        guard !first.isConsonantal, !second.isConsonantal, first.kind != .initial, second.kind != .initial else {
            return nil
        }
        // Every pairing of the first few spellings: Hsiao-ping joined is xiaoping only when
        // hsiao's pinyin spelling is joined.
        var spellings: [String] = []
        for a in first.spellings.prefix(fuzzySpellings) {
            for b in second.spellings.prefix(fuzzySpellings) { spellings.append(a + b) }
        }
        return NameToken(
            joined: Transliteration.unique(spellings), original: first.original + " " + second.original,
            script: first.script == second.script ? first.script : .other)
    }

    /// Cheap test before joining two tokens to compare with `other`: a spelling of each side
    /// starts with the same letter, and the lengths are similar.
    static func mayJoin(_ first: NameToken, _ second: NameToken, as other: NameToken) -> Bool {
        let (first, second, other) = (first.outline, second.outline, other.outline)
        guard !other.isConsonantal, other.kind != .initial else { return false }
        guard abs(first.length + second.length - other.length) <= 3 else { return false }
        return first.initials & other.initials != 0
    }
}
