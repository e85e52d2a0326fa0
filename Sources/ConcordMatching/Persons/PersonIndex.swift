import ConcordCore

/// Persons in memory for screening: candidates by name keys, then scored by `PersonMatcher`.
///
/// Two levels keep lookups away from the population:
/// - **The vocabulary**: every distinct name token once, with inverted indexes from its
///   spellings, phonetic keys, consonant skeletons and character trigrams to token numbers. A
///   query token finds its spelling variants, sound-alikes, other-script forms and typing
///   errors here, among tokens, and each is confirmed with `TokenComparison` before it counts.
/// - **Holders**: for each vocabulary token, the 32-bit numbers of the persons whose names
///   contain it. Only the holders of confirmed tokens are read; the rest of the population is
///   never touched.
///
/// Query names are looked up rarest first; a name held by a crowd only adds to persons that
/// rarer names reached. Persons reached are ranked by how much of the query's names they hold
/// (best similarity per query token) and by whether the birth year agrees; the best
/// `shortlist` are scored in full.
///
/// Memory: a person costs a holder entry per token, its token numbers, its id and its
/// qualifiers; words and tokens are interned, so common names cost once however many hold
/// them. A token whose last holder leaves stays in the vocabulary (a few dozen bytes).
///
/// `upsert` and `remove` by record id make the index follow a change feed.
public struct PersonIndex: Sendable {
    public struct Candidate: Sendable, Hashable {
        public let id: RecordID
        public let match: PersonMatch
    }

    public struct SearchResult: Sendable {
        /// Best first.
        public let candidates: [Candidate]
        /// Persons reached through the name keys: the work done, far below the population. It
        /// counts persons the caller may not see, so it is a measure for tests and benchmarks,
        /// never to be shown to the caller.
        public let personsReached: Int
        /// Persons scored in full.
        public let personsScored: Int
    }

    /// What a person needs for scoring, compactly: names as token numbers.
    struct Record: Sendable {
        var id: RecordID
        /// Token numbers, names separated by `nameSeparator`.
        var tokens: [UInt32]
        var dateOfBirth: PartialDate?
        var sex: Sex?
        var nationalities: [MemberCode]
        var identifiers: [PersonIdentifier]
    }

    static let nameSeparator = UInt32.max
    /// Holders beyond which a query name only adds to persons rarer names reached (the limit
    /// grows with the index, at one person in 200).
    static let crowdHolders = 2_000

    var vocabulary: [NameToken] = []
    var vocabularyNumbers: [NameToken: UInt32] = [:]
    /// Token numbers each distinct word of a name gave, so a word is normalised once.
    var wordTokens: [String: [UInt32]] = [:]
    var holders: [[UInt32]] = []
    var bySpelling: [String: [UInt32]] = [:]
    var byPhonetic: [String: [UInt32]] = [:]
    var bySkeleton: [String: [UInt32]] = [:]
    var byTrigram: [UInt32: [UInt32]] = [:]

    var records: [Record?] = []
    /// Date of birth by person number, packed by `packedDate`: ranking reads it for every
    /// person reached, and a plain array of numbers costs no reference counting.
    var birthDates: [UInt32] = []
    var numbers: [RecordID: UInt32] = [:]
    var freeNumbers: [UInt32] = []

    public init() {}

    public var count: Int { numbers.count }

    // MARK: Changes

    /// Adds a person or replaces what the index holds for it.
    public mutating func upsert(id: RecordID, _ person: PersonDescription) {
        remove(id: id)
        var tokens: [UInt32] = []
        for name in person.names {
            let nameTokens = NameNormalizer.words(of: name).flatMap { tokenNumbers(ofWord: $0) }
            guard !nameTokens.isEmpty else { continue }
            if !tokens.isEmpty { tokens.append(Self.nameSeparator) }
            tokens += nameTokens
        }
        let number = freeNumbers.popLast() ?? UInt32(records.count)
        let record = Record(
            id: id, tokens: tokens, dateOfBirth: person.dateOfBirth, sex: person.sex,
            nationalities: person.nationalities, identifiers: person.identifiers)
        let born = Self.packedDate(person.dateOfBirth)
        if Int(number) == records.count {
            records.append(record)
            birthDates.append(born)
        } else {
            records[Int(number)] = record
            birthDates[Int(number)] = born
        }
        numbers[id] = number
        for token in Set(tokens) where token != Self.nameSeparator {
            // Kept in ascending order: a fresh number goes at the end, a reused one in its place.
            let slot = Int(token)
            if let last = holders[slot].last, last > number {
                holders[slot].insert(number, at: holders[slot].firstPosition(notBelow: number))
            } else {
                holders[slot].append(number)
            }
        }
    }

    public mutating func remove(id: RecordID) {
        guard let number = numbers.removeValue(forKey: id), let record = records[Int(number)] else { return }
        for token in Set(record.tokens) where token != Self.nameSeparator {
            let slot = Int(token)
            let position = holders[slot].firstPosition(notBelow: number)
            if position < holders[slot].count && holders[slot][position] == number {
                holders[slot].remove(at: position)
            }
        }
        records[Int(number)] = nil
        freeNumbers.append(number)
    }

    mutating func tokenNumbers(ofWord word: String) -> [UInt32] {
        if let known = wordTokens[word] { return known }
        let numbers = NameNormalizer.tokens(ofWord: word).map { intern($0) }
        wordTokens[word] = numbers
        return numbers
    }

    mutating func intern(_ token: NameToken) -> UInt32 {
        if let number = vocabularyNumbers[token] { return number }
        let number = UInt32(vocabulary.count)
        vocabulary.append(token)
        vocabularyNumbers[token] = number
        holders.append([])
        for spelling in token.spellings { bySpelling[spelling, default: []].append(number) }
        for key in Set(token.phoneticKeys) { byPhonetic[key, default: []].append(number) }
        for skeleton in token.skeletons { bySkeleton[skeleton, default: []].append(number) }
        if !token.isConsonantal {
            for gram in Set(Self.trigrams(token.text)) { byTrigram[gram, default: []].append(number) }
        }
        return number
    }

    /// Character trigrams of a token padded with a boundary mark, packed into 24 bits.
    static func trigrams(_ text: String) -> [UInt32] {
        let boundary = UInt32(UInt8(ascii: " "))
        var letters: [UInt32] = [boundary]
        for byte in text.utf8 { letters.append(UInt32(byte)) }
        letters.append(boundary)
        var grams: [UInt32] = []
        for start in 0..<max(0, letters.count - 2) {
            let gram: UInt32 = letters[start] << 16 | letters[start + 1] << 8 | letters[start + 2]
            grams.append(gram)
        }
        return grams
    }

    // MARK: Search

    /// Working memory of searches, kept by the caller between searches (one per thread) so a
    /// search does not clear arrays as large as the population.
    public struct Scratch: Sendable {
        var reached: [Float] = []
        var stamps: [UInt32] = []
        var touched: [UInt32] = []
        var stamp: UInt32 = 0
        var gramCounts: [UInt8] = []
        var gramTouched: [UInt32] = []

        public init() {}

        mutating func fit(persons: Int, tokens: Int) {
            if reached.count < persons {
                reached += [Float](repeating: 0, count: persons - reached.count)
                stamps += [UInt32](repeating: 0, count: persons - stamps.count)
            }
            if gramCounts.count < tokens { gramCounts += [UInt8](repeating: 0, count: tokens - gramCounts.count) }
        }

        mutating func nextStamp() -> UInt32 {
            if stamp == UInt32.max {
                stamp = 0
                for index in stamps.indices { stamps[index] = 0 }
            }
            stamp += 1
            return stamp
        }
    }

    /// Candidates for `query`, best first: at most `limit`, from the best `shortlist` reached
    /// through name keys. `isVisible` is asked before a person is scored, so persons the
    /// caller may not see are neither scored, returned nor counted among those scored.
    public func search(
        _ query: PreparedPerson, matcher: PersonMatcher, limit: Int = 10, shortlist: Int = 64,
        scratch: inout Scratch, isVisible: (RecordID) -> Bool = { _ in true }
    ) -> SearchResult {
        scratch.fit(persons: records.count, tokens: vocabulary.count)
        defer {
            for person in scratch.touched { scratch.reached[Int(person)] = 0 }
            scratch.touched.removeAll(keepingCapacity: true)
        }
        var lookups: [(confirmed: [(Double, UInt32)], holders: Int, written: Bool)] = []
        for (token, written) in lookupTokens(query) {
            let confirmed = confirmedTokens(token, scratch: &scratch)
            lookups.append((confirmed, confirmed.reduce(0) { $0 + holders[Int($1.1)].count }, written))
        }
        // Rarest first. A name held by a crowd (Mohammed, Wang) only adds to persons a rarer
        // name of the query reached: on its own it would reach thousands that the rest of the
        // name rules out, and a person sharing only that name cannot reach the threshold. The
        // rarest name as written adds its holders however many they are; joined and split
        // forms never stand in for it, because they reach only the persons who write the name
        // the same way (Albaghdadi reaches no one who wrote البغدادي).
        lookups.sort { $0.holders < $1.holders }
        let crowd = max(Self.crowdHolders, records.count / 200)
        var writtenAdded = false
        // While only crowds are left to boost, the persons reached do not change: they are
        // walked in order beside each sorted holder list, so a crowd costs a sequential read
        // instead of a random access per holder.
        var reachedInOrder: [UInt32]?
        for lookup in lookups {
            let stamp = scratch.nextStamp()
            let addsPersons = lookup.holders <= crowd || (lookup.written && !writtenAdded)
            if lookup.written && addsPersons { writtenAdded = true }
            if !addsPersons {
                if reachedInOrder == nil { reachedInOrder = scratch.touched.sorted() }
                for (similarity, vocabularyNumber) in lookup.confirmed {
                    Self.forEachShared(holders[Int(vocabularyNumber)], reachedInOrder ?? []) { person in
                        guard scratch.stamps[Int(person)] != stamp else { return }
                        scratch.stamps[Int(person)] = stamp
                        scratch.reached[Int(person)] += Float(similarity)
                    }
                }
                continue
            }
            reachedInOrder = nil
            for (similarity, vocabularyNumber) in lookup.confirmed {
                for person in holders[Int(vocabularyNumber)] where scratch.stamps[Int(person)] != stamp {
                    scratch.stamps[Int(person)] = stamp
                    if scratch.reached[Int(person)] == 0 { scratch.touched.append(person) }
                    scratch.reached[Int(person)] += Float(similarity)
                }
            }
        }
        var best = BoundedBest(capacity: shortlist)
        let queried = Self.packedDate(query.dateOfBirth)
        for person in scratch.touched {
            let rank = scratch.reached[Int(person)] + Self.birthRank(queried, birthDates[Int(person)])
            best.offer(rank, person, isVisible: { records[Int(person)].map { isVisible($0.id) } ?? false })
        }
        // The whole shortlist is scored; only the candidates returned are explained, because
        // the words of an explanation cost more than the score.
        var scored: [(score: Double, id: RecordID, record: Record)] = []
        scored.reserveCapacity(best.heap.count)
        for person in best.members {
            guard let record = records[Int(person)] else { continue }
            scored.append((matcher.score(query, prepared(record)), record.id, record))
        }
        scored.sort { ($0.score, $1.id.rawValue) > ($1.score, $0.id.rawValue) }
        let candidates = scored.prefix(limit).map {
            Candidate(id: $0.id, match: matcher.compare(query, prepared($0.record)))
        }
        return SearchResult(
            candidates: candidates, personsReached: scratch.touched.count, personsScored: scored.count)
    }

    /// Calls `body` with each number in both ascending arrays.
    static func forEachShared(_ left: [UInt32], _ right: [UInt32], _ body: (UInt32) -> Void) {
        var (i, j) = (0, 0)
        while i < left.count && j < right.count {
            if left[i] < right[j] {
                i += 1
            } else if left[i] > right[j] {
                j += 1
            } else {
                body(left[i])
                i += 1
                j += 1
            }
        }
    }

    /// Year, month and day in one number (year << 9 | month << 5 | day), zero for unknown parts.
    static func packedDate(_ date: PartialDate?) -> UInt32 {
        guard let date else { return 0 }
        return UInt32(date.year) << 9 | UInt32(date.month ?? 0) << 5 | UInt32(date.day ?? 0)
    }

    /// What the dates of birth add to a person's rank: a shortlist hint, not the score. The same
    /// full date ranks above the same year; years more than one apart rank below.
    static func birthRank(_ queried: UInt32, _ recorded: UInt32) -> Float {
        guard queried != 0 && recorded != 0 else { return 0 }
        let (queriedYear, recordedYear) = (Int(queried >> 9), Int(recorded >> 9))
        if queriedYear != recordedYear { return abs(queriedYear - recordedYear) > 1 ? -0.5 : 0 }
        let fullyKnown = queried & 0x1FF != 0 && queried & 0x1F != 0 && recorded & 0x1F != 0
        return fullyKnown && queried == recorded ? 1 : 0.5
    }

    /// The person as the matcher takes it.
    func prepared(_ record: Record) -> PreparedPerson {
        let names = record.tokens.split(separator: Self.nameSeparator).map { numbers in
            NormalizedName(tokens: numbers.map { vocabulary[Int($0)] })
        }
        return PreparedPerson(
            names: names, dateOfBirth: record.dateOfBirth, nationalities: record.nationalities, sex: record.sex,
            identifiers: record.identifiers)
    }

    /// The query's tokens to look up: its names (particles and initials say too little to find
    /// anyone by), adjacent names joined, and names split where both halves are known words
    /// (Abdulaziz against Abdul Aziz, Xiaoming against Xiao Ming).
    /// `written` is false for the joined and split forms.
    func lookupTokens(_ query: PreparedPerson) -> [(token: NameToken, written: Bool)] {
        var lookups: [(token: NameToken, written: Bool)] = []
        for name in query.names {
            let tokens = name.tokens
            for (index, token) in tokens.enumerated() where token.kind == .name {
                lookups.append((token, true))
                if index + 1 < tokens.count, let joined = TokenComparison.joined(token, tokens[index + 1]) {
                    lookups.append((joined, false))
                }
                lookups += splits(of: token).map { ($0, false) }
            }
        }
        return lookups
    }

    /// The halves of `token` that are known words, cut where both halves are (a particle
    /// written onto a name counts: Alsaud is al and saud); particles are not looked up.
    func splits(of token: NameToken) -> [NameToken] {
        guard !token.isConsonantal else { return [] }
        let text = Array(token.text.utf8)
        guard text.count >= 5 else { return [] }
        var parts: [NameToken] = []
        for cut in 2...(text.count - 3) {
            let head = String(decoding: text[..<cut], as: UTF8.self)
            let tail = String(decoding: text[cut...], as: UTF8.self)
            let headIsParticle = NameNormalizer.particles.contains(head)
            guard cut >= 3 || headIsParticle, bySpelling[head] != nil, bySpelling[tail] != nil else { continue }
            for part in headIsParticle ? [tail] : [head, tail] {
                parts.append(NameToken(spellings: [part], original: token.original, script: token.script, kind: .name))
            }
        }
        return parts
    }

    /// Vocabulary tokens that stand for `token`, with their similarity, best first.
    func confirmedTokens(_ token: NameToken, scratch: inout Scratch) -> [(Double, UInt32)] {
        var found: Set<UInt32> = []
        for spelling in token.spellings { found.formUnion(bySpelling[spelling] ?? []) }
        for key in token.phoneticKeys { found.formUnion(byPhonetic[key] ?? []) }
        for skeleton in token.skeletons { found.formUnion(bySkeleton[skeleton] ?? []) }
        if !token.isConsonantal { found.formUnion(similarlySpelled(token.text, scratch: &scratch)) }
        var confirmed: [(Double, UInt32)] = []
        for number in found {
            let match = TokenComparison.compare(token, vocabulary[Int(number)])
            if match.similarity >= NameAlignment.minimumSimilarity { confirmed.append((match.similarity, number)) }
        }
        confirmed.sort { $0.0 > $1.0 }
        return confirmed
    }

    /// Vocabulary tokens sharing most trigrams with `text`: candidates for typing errors.
    func similarlySpelled(_ text: String, scratch: inout Scratch) -> [UInt32] {
        let grams = Self.trigrams(text)
        guard grams.count >= 4 else { return [] }
        for gram in grams {
            for number in byTrigram[gram] ?? [] {
                if scratch.gramCounts[Int(number)] == 0 { scratch.gramTouched.append(number) }
                scratch.gramCounts[Int(number)] &+= 1
            }
        }
        // One edit changes at most three trigrams, two letters swapped four.
        let needed = UInt8(max(2, grams.count - 4))
        var similar: [UInt32] = []
        for number in scratch.gramTouched {
            if scratch.gramCounts[Int(number)] >= needed { similar.append(number) }
            scratch.gramCounts[Int(number)] = 0
        }
        scratch.gramTouched.removeAll(keepingCapacity: true)
        return similar
    }
}

/// The highest-ranked persons offered, kept in a small min-heap.
struct BoundedBest {
    let capacity: Int
    var heap: [(rank: Float, person: UInt32)] = []

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// Considers a person; `isVisible` is asked only of persons that would be kept.
    mutating func offer(_ rank: Float, _ person: UInt32, isVisible: () -> Bool) {
        if heap.count == capacity {
            guard capacity > 0, rank > heap[0].rank, isVisible() else { return }
            heap[0] = (rank, person)
            siftDown(0)
        } else {
            guard isVisible() else { return }
            heap.append((rank, person))
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].rank < heap[parent].rank else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }
    }

    mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            let left = 2 * parent + 1
            let right = left + 1
            if left < heap.count && heap[left].rank < heap[smallest].rank { smallest = left }
            if right < heap.count && heap[right].rank < heap[smallest].rank { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    var members: [UInt32] { heap.map(\.person) }
}
