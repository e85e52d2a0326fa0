import Foundation

/// One token of a normalised name, with the keys matching compares.
///
/// A token is made once and then read many times, by every comparison an index or a pairs file
/// makes with it; its parts live in one shared, immutable object, so that copying a token is a
/// single reference count and not one per array.
public struct NameToken: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A name proper.
        case name
        /// A particle such as al, bin, van or de: it may be present on one side and not the other.
        case particle
        /// A single letter standing for a name.
        case initial
    }

    final class Parts: Sendable {
        let spellings: [String]
        let original: String
        let script: NameScript
        let kind: Kind
        let phoneticKeys: [String]
        let skeletons: [String]
        let surnameGroups: (UInt64, UInt64)
        /// The spellings' UTF-8 bytes end to end, and where each ends with its letters:
        /// comparisons read them in place, without a copy or a reference count for each string.
        let spellingBytes: [UInt8]
        let spellingEnds: [SpellingBytes.End]
        /// One bit for each of the spellings, phonetic keys, skeletons and skeletons longer than
        /// one letter (`KeyMask`): two tokens whose masks share no bit share no such string, which
        /// settles most comparisons of unrelated tokens without reading the strings.
        let spellingMask: KeyMask
        let phoneticMask: KeyMask
        let skeletonMask: KeyMask
        let longSkeletonMask: KeyMask

        init(
            spellings: [String], original: String, script: NameScript, kind: Kind, phoneticKeys: [String],
            skeletons: [String], surnameGroups: (UInt64, UInt64)
        ) {
            var bytes: [UInt8] = []
            var ends: [SpellingBytes.End] = []
            var spellingMask = KeyMask()
            bytes.reserveCapacity(spellings.reduce(0) { $0 + $1.utf8.count })
            ends.reserveCapacity(spellings.count)
            for var spelling in spellings {
                spelling.withUTF8 { spelling in
                    bytes.append(contentsOf: spelling)
                    ends.append(SpellingBytes.End(offset: bytes.count, letters: TokenSimilarity.letters(spelling)))
                    spellingMask.insert(spelling)
                }
            }
            self.spellingBytes = bytes
            self.spellingEnds = ends
            self.spellingMask = spellingMask
            self.phoneticMask = KeyMask(phoneticKeys)
            self.skeletonMask = KeyMask(skeletons)
            self.longSkeletonMask = KeyMask(skeletons, longerThan: 1)
            self.spellings = spellings
            self.display = script == .latin ? spellings[0] : "\(original) (\(spellings[0]))"
            self.original = original
            self.script = script
            self.kind = kind
            self.phoneticKeys = phoneticKeys
            self.skeletons = skeletons
            self.surnameGroups = surnameGroups
        }

        var isConsonantal: Bool { script == .arabic || script == .hebrew }

        /// How explanations show the token: Latin as normalised, other scripts as written with
        /// their romanisation. Made once: every explanation of an alignment shows it.
        let display: String

        /// Calls `body` with the spellings' bytes.
        func withSpellings<Result>(_ body: (SpellingBytes) -> Result) -> Result {
            spellingBytes.withUnsafeBufferPointer { bytes in
                spellingEnds.withUnsafeBufferPointer { ends in body(SpellingBytes(bytes: bytes, ends: ends)) }
            }
        }

        /// Whether both are spellings of one East Asian family name in different romanisations.
        func sharesSurname(with other: Parts) -> Bool {
            surnameGroups.0 & other.surnameGroups.0 != 0 || surnameGroups.1 & other.surnameGroups.1 != 0
        }
    }

    let parts: Parts
    /// What alignment tests before it joins two tokens, kept beside the shared parts so that
    /// reading it costs no reference count (`TokenComparison.mayJoin`).
    let outline: Outline

    struct Outline: Sendable, Hashable {
        /// Bytes of the preferred spelling.
        let length: Int
        let kind: Kind
        let isConsonantal: Bool
        /// The first letters of the first few spellings, one bit each.
        let initials: UInt32

        init(spellings: [String], kind: Kind, script: NameScript) {
            length = spellings[0].utf8.count
            self.kind = kind
            isConsonantal = script == .arabic || script == .hebrew
            initials = spellings.prefix(TokenComparison.fuzzySpellings).reduce(0) { initials, spelling in
                initials | (spelling.utf8.first.map { 1 << UInt32($0 & 31) } ?? 0)
            }
        }
    }

    /// Lowercase ASCII spellings, the preferred one first; scripts with several romanisation
    /// schemes give several.
    public var spellings: [String] { parts.spellings }
    /// The word as written, after NFKC normalisation, for explanations.
    public var original: String { parts.original }
    public var script: NameScript { parts.script }
    public var kind: Kind { parts.kind }
    /// One phonetic key a spelling, in spelling order; empty for consonantal scripts, whose
    /// vowels are unknown.
    public var phoneticKeys: [String] { parts.phoneticKeys }
    /// The distinct consonant skeletons of the spellings.
    public var skeletons: [String] { parts.skeletons }
    /// The East Asian family names (`Transliteration.surnameGroups`) one of the spellings is a
    /// spelling of, one bit a name: Lee, Yi and Rhee share one, Kuo and Guo another.
    var surnameGroups: (UInt64, UInt64) { parts.surnameGroups }
    /// How explanations show the token.
    var display: String { parts.display }

    /// `skeleton` replaces the skeleton computed from the spellings, for consonantal scripts.
    public init(spellings: [String], original: String, script: NameScript, kind: Kind, skeleton: String? = nil) {
        self.init(spellings, original, script, kind, skeleton: skeleton, mayBeFamilyName: true)
    }

    /// Two words written apart on one side, as one token to compare with a word written
    /// together on the other. Made during comparisons, and never a family name of
    /// `Transliteration.surnameGroups`, so the lookup is left out.
    init(joined spellings: [String], original: String, script: NameScript) {
        self.init(spellings, original, script, .name, skeleton: nil, mayBeFamilyName: false)
    }

    private init(
        _ spellings: [String], _ original: String, _ script: NameScript, _ kind: Kind, skeleton: String?,
        mayBeFamilyName: Bool
    ) {
        precondition(!spellings.isEmpty, "a token has at least one spelling")
        let consonantal = script == .arabic || script == .hebrew
        // Both keys of every spelling from one pass over its letters, in a buffer on the stack:
        // this runs for every new word and every joined pair of words.
        var phoneticKeys: [String] = []
        var skeletons: [String] = skeleton.map { [$0] } ?? []
        if !consonantal { phoneticKeys.reserveCapacity(spellings.count) }
        let longest = spellings.reduce(0) { max($0, $1.utf8.count) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NameKeys.symbolCapacity(longest)) { buffer in
            for var spelling in spellings {
                let count = spelling.withUTF8 { NameKeys.writeSymbols(of: $0, into: buffer) }
                let symbols = UnsafeBufferPointer(rebasing: buffer[..<count])
                if !consonantal { phoneticKeys.append(String(decoding: symbols, as: UTF8.self)) }
                guard skeleton == nil else { continue }
                let consonantSkeleton = String(unsafeUninitializedCapacity: count) {
                    NameKeys.writeSkeleton(of: symbols, into: $0)
                }
                if !consonantSkeleton.isEmpty && !skeletons.contains(consonantSkeleton) {
                    skeletons.append(consonantSkeleton)
                }
            }
        }
        // A Latin word's respellings are readings of its scheme, not family names it spells.
        let surnameSpellings = script == .latin ? spellings[..<1] : spellings[...]
        outline = Outline(spellings: spellings, kind: kind, script: script)
        parts = Parts(
            spellings: spellings, original: original, script: script, kind: kind, phoneticKeys: phoneticKeys,
            skeletons: skeletons,
            surnameGroups: mayBeFamilyName ? Transliteration.surnameGroups(of: surnameSpellings) : (0, 0))
    }

    public static func == (left: NameToken, right: NameToken) -> Bool {
        left.parts === right.parts
            || (left.spellings == right.spellings && left.original == right.original && left.script == right.script
                && left.kind == right.kind && left.skeletons == right.skeletons)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(spellings)
        hasher.combine(original)
        hasher.combine(script)
        hasher.combine(kind)
        hasher.combine(skeletons)
    }

    /// The preferred spelling.
    public var text: String { spellings[0] }

    /// Arabic and Hebrew words are written without most vowels: only skeletons compare.
    public var isConsonantal: Bool { parts.isConsonantal }

    /// How much the token counts in a name: particles and initials say less than names.
    var weight: Double {
        switch kind {
        case .name: 1
        case .initial: 0.5
        case .particle: 0.2
        }
    }
}

/// A token's spellings as bytes, valid inside `NameToken.Parts.withSpellings`.
struct SpellingBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<End>

    /// Where a spelling ends in `bytes`, and its letters, one bit each
    /// (`TokenSimilarity.fuzzyBound`).
    struct End: Sendable {
        let offset: Int
        let letters: UInt32
    }

    var count: Int { ends.count }

    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1].offset
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index].offset])
    }

    func letters(_ index: Int) -> UInt32 { ends[index].letters }
}

/// A set of strings as 64 bits, one chosen by each string's bytes: a string in both of two sets
/// sets a bit in both masks, so masks without a common bit mean sets without a common string.
struct KeyMask: Sendable, Hashable {
    private(set) var bits: UInt64 = 0

    init() {}

    /// The mask of the strings of more than `longerThan` bytes.
    init(_ strings: [String], longerThan length: Int = 0) {
        for var string in strings where string.utf8.count > length {
            string.withUTF8 { insert($0) }
        }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) {
        // FNV-1a: the bit must depend on every byte, and strings here are a few bytes long.
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        bits |= 1 << UInt64(hash >> 26)
    }

    func mayShare(_ other: KeyMask) -> Bool { bits & other.bits != 0 }
}

/// A name reduced to tokens that compare across scripts and spellings.
public struct NormalizedName: Sendable, Hashable {
    public let tokens: [NameToken]
    /// The preferred spellings, space-separated. Kept, because every explanation shows it.
    public let text: String

    public init(tokens: [NameToken]) {
        self.tokens = tokens
        // The preferred spellings, copied from each token's bytes without touching its strings.
        text = String(unsafeUninitializedCapacity: tokens.reduce(0) { $0 + $1.outline.length + 1 }) { text in
            var count = 0
            for token in tokens {
                if count > 0 {
                    text[count] = UInt8(ascii: " ")
                    count += 1
                }
                token.parts.withSpellings { spellings in
                    let preferred = spellings[0]
                    _ = UnsafeMutableBufferPointer(rebasing: text[count..<count + preferred.count])
                        .initialize(fromContentsOf: preferred)
                    count += preferred.count
                }
            }
            return count
        }
    }
}

/// Turns a name as written (any script, any order, with or without honorifics) into tokens.
///
/// Steps, in order:
/// 1. Words are split at spaces, hyphens, dots, commas and MRZ fillers (`<`); apostrophes are
///    dropped without splitting (O'Brien is obrien, D'Angelo is dangelo); digits are dropped,
///    which removes pinyin tone numbers (Zhang1 Wei3), but Han numerals are letters (张一山).
/// 2. Each word is put in Unicode NFKC, so full-width letters, ligatures and presentation forms
///    become ordinary letters.
/// 3. Each word is romanised by its script (see `Transliteration`); case and diacritics are
///    folded.
/// 4. Honorifics and generational suffixes (Mr, Dr, Sheikh, Haji, Jr, III, ...) are dropped;
///    a name made only of them is empty.
/// 5. Particles (al, bin, ibn, abu, van, von, de, da, ...) are kept, marked as particles, so
///    alignment may leave them unmatched at little cost. Arabic theophoric names written as one
///    word are split like their Arabic spelling: Abdulrahman, Abdurrahman, Abd al-Rahman and
///    عبد الرحمن all become abd, al, rahman.
/// 6. Single letters are initials.
///
/// Normalisation uses Foundation and ICU; it runs once a name at index time and once a query,
/// never in the matching loops.
public enum NameNormalizer {
    /// Titles, honorifics and generational suffixes, which say nothing about who a person is.
    static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "mister", "madam", "madame", "mme", "mlle", "dr", "doctor", "prof",
        "professor", "sir", "dame", "lord", "lady", "rev", "herr", "frau", "sig", "sra", "srta", "sheikh",
        "shaikh", "sheik", "shaykh", "cheikh", "haji", "hajji", "hadji", "hajj", "alhaji", "alhaj", "mullah",
        "mulla", "maulana", "ustadh", "ustaz", "sayyid", "sayyed", "jr", "jnr", "snr", "sr", "ii", "iii", "iv",
        "gen", "col", "capt", "maj", "lt", "sgt",
    ]

    /// Connecting words and articles inside names.
    static let particles: Set<String> = [
        "al", "el", "ul", "ad", "ar", "as", "an", "at", "az", "bin", "ben", "ibn", "bint", "binti", "bte", "abu",
        "abou", "bou", "ould", "walad", "van", "von", "der", "den", "ter", "ten", "vander", "de", "da", "das",
        "dos", "do", "del", "della", "delle", "dei", "degli", "di", "du", "des", "la", "le", "les", "lo", "y",
        "e", "zu", "af", "av", "op", "st", "mac", "mc", "ap", "ni", "nic", "bar", "bat",
    ]

    static let longestParticle = particles.map(\.utf8.count).max() ?? 0

    /// Ways the article is written in one-word Arabic names built on abd ("servant of").
    static let abdArticles = ["ul", "el", "al", "oul", "il", "ol"]

    public static func normalize(_ name: String) -> NormalizedName {
        recentNames.value(for: ExactText(name)) {
            let words = words(of: name)
            var tokens: [NameToken] = []
            tokens.reserveCapacity(words.count)
            for word in words { tokens += cachedTokens(ofWord: word) }
            return NormalizedName(tokens: tokens)
        }
    }

    /// Names and words recently normalised. Screening meets the same names again and again
    /// (a traveller at every check, a common name in every list), and names share their words
    /// (Mohammed, Wei, Ivanov) more still; what each gives depends on it alone. The limits
    /// bound what a flood of long, distinct names can hold: requests allow 200 characters a
    /// name, so at most about a hundred megabytes.
    static let recentNames = RecentResults<ExactText, NormalizedName>(limit: 1 << 12)
    static let recentWords = RecentResults<ExactText, [NameToken]>(limit: 1 << 14)

    static func cachedTokens(ofWord word: String) -> [NameToken] {
        recentWords.value(for: ExactText(word)) { tokens(ofWord: word) }
    }

    /// Empties the caches of recent names, words and joined neighbours, so that a measurement
    /// counts the first normalisation of each.
    public static func forgetRecentNames() {
        recentNames.removeAll()
        recentWords.removeAll()
        TokenComparison.recentJoins.removeAll()
    }

    /// The tokens one word of a name gives (a Han word gives surname and given name; an Arabic
    /// word may carry its article); none for an honorific. Words are normalised one at a time so
    /// that an index can keep what each distinct word gave.
    static func tokens(ofWord word: String) -> [NameToken] {
        let ascii = word.utf8.allSatisfy { $0 < 0x80 }
        let text = ascii || isCompatibilityStable(word) ? word : word.precomposedStringWithCompatibilityMapping
        var tokens: [NameToken] = []
        if ascii {
            // Words split from ASCII are letters only: Latin, and one word.
            tokenize(Transliteration.latin(text), script: .latin, into: &tokens)
        } else {
            for part in words(of: text) {
                let script = NameScript.of(part)
                for romanised in Transliteration.romanise(part, script: script) {
                    tokenize(romanised, script: script, into: &tokens)
                }
            }
        }
        // Honorifics are Latin words: عمر romanises to "mr" and is a name, not a title.
        tokens.removeAll { $0.script == .latin && honorifics.contains($0.text) }
        return tokens
    }

    /// Letters that NFKC leaves alone, alone or beside one another: no compatibility mapping,
    /// no combining class, and none is the second half of a composition. Words made only of
    /// them, as most names are, skip the normalisation. A test checks every scalar listed.
    static let compatibilityStableLetters: [ClosedRange<UInt32>] = [
        0x41...0x5A, 0x61...0x7A,  // ASCII
        0xC0...0xD6, 0xD8...0xF6, 0xF8...0x131, 0x134...0x13E, 0x141...0x148, 0x14A...0x17E,  // Latin
        0x386...0x386, 0x388...0x38A, 0x38C...0x38C, 0x38E...0x3A1, 0x3A3...0x3CE,  // Greek
        0x400...0x45F, 0x490...0x4FF,  // Cyrillic
        0x5D0...0x5EA,  // Hebrew
        0x621...0x63A, 0x641...0x64A, 0x671...0x674, 0x679...0x6D3,  // Arabic, Persian, Urdu
        0x3400...0x4DBF, 0x4E00...0x9FFF,  // Han
        0xAC00...0xD7A3,  // Hangul syllables
    ]

    static func isCompatibilityStable(_ word: String) -> Bool {
        word.unicodeScalars.allSatisfy(isCompatibilityStable)
    }

    static func isCompatibilityStable(_ scalar: Unicode.Scalar) -> Bool {
        // The ranges are in order: stop at the first that starts above the scalar.
        for range in compatibilityStableLetters {
            if scalar.value < range.lowerBound { return false }
            if scalar.value <= range.upperBound { return true }
        }
        return false
    }

    /// Splits at separators and drops apostrophes and digits.
    static func words(of text: String) -> [String] {
        // ASCII, with or without letters of the common scripts, is split byte by byte, without
        // Unicode property lookups (`byteRole`).
        var text = text
        if text.utf8.allSatisfy({ $0 < 0x80 })
            || text.unicodeScalars.allSatisfy({ $0.isASCII || isCompatibilityStable($0) })
        {
            return text.withUTF8 { words(in: $0, byteRole) }
        }
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            // Most scalars are letters of the common scripts: no property lookup for them.
            if isCompatibilityStable(scalar) {
                cleaned.append(scalar)
                continue
            }
            switch scalar {
            case "'", "\u{2019}", "\u{2018}", "\u{02BC}", "\u{02BB}", "\u{02BF}", "\u{02BE}", "`", "\u{00B4}":
                continue
            default:
                switch scalar.properties.generalCategory {
                // Digits and other numbers; a Han numeral such as 一 is a letter and stays.
                case .decimalNumber, .letterNumber, .otherNumber: continue
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                    .nonspacingMark, .spacingMark:
                    cleaned.append(scalar)
                // Symbols that stand for letters (Ⓐ) are alphabetic; NFKC makes letters of them.
                default: cleaned.append(scalar.properties.isAlphabetic ? scalar : " ")
                }
            }
        }
        // Split at the spaces put in above, byte by byte: splitting a String would find
        // grapheme boundaries first, and every cut at an ASCII space falls between scalars.
        var spaced = String(cleaned)
        return spaced.withUTF8 { words(in: $0) { $0 == UInt8(ascii: " ") ? .separator : .letter } }
    }

    /// ASCII letters are kept, apostrophes, backquotes and digits dropped, and the rest of ASCII
    /// separates words; bytes of other scalars, letters of the common scripts, are kept too.
    static func byteRole(_ byte: UInt8) -> ByteRole {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x80...: .letter
        case UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "0")...UInt8(ascii: "9"): .dropped
        default: .separator
        }
    }

    enum ByteRole { case letter, dropped, separator }

    /// The words of UTF-8 text, each byte playing the role `role` gives it: separators end
    /// words, and words run on across dropped bytes. Only ASCII bytes may be anything but
    /// letters, so that every cut falls between scalars.
    static func words(in text: UnsafeBufferPointer<UInt8>, _ role: (UInt8) -> ByteRole) -> [String] {
        var words: [String] = []
        words.reserveCapacity(4)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { word in
            var count = 0
            func finishWord() {
                guard count > 0 else { return }
                words.append(String(decoding: UnsafeBufferPointer(rebasing: word[..<count]), as: UTF8.self))
                count = 0
            }
            for byte in text {
                switch role(byte) {
                case .letter:
                    word[count] = byte
                    count += 1
                case .dropped: continue
                case .separator: finishWord()
                }
            }
            finishWord()
        }
        return words
    }

    static func tokenize(_ word: RomanisedWord, script: NameScript, into tokens: inout [NameToken]) {
        let text = word.spellings[0]
        guard !text.isEmpty else { return }
        if script == .latin, let parts = splitAbdName(text) {
            for part in parts {
                tokens.append(
                    NameToken(
                        spellings: [part], original: word.original, script: script,
                        kind: part == "al" ? .particle : .name))
            }
            return
        }
        let kind: NameToken.Kind =
            particles.contains(text) ? .particle : text.utf8.count == 1 && script == .latin ? .initial : .name
        tokens.append(
            NameToken(
                spellings: word.spellings, original: word.original, script: script, kind: kind,
                skeleton: word.skeleton))
    }

    /// Abdulrahman, Abdelaziz, Abdullah: abd, al and the rest, as the Arabic spelling divides them.
    static func splitAbdName(_ text: String) -> [String]? {
        guard text.hasPrefix("abd") else { return nil }
        let rest = text.dropFirst(3)
        for article in abdArticles where rest.hasPrefix(article) {
            let name = rest.dropFirst(article.count)
            // "Abdul Rahman" written apart: the word is abd and the article.
            if name.isEmpty { return ["abd", "al"] }
            // Abdullah: the article's l doubles into "llah", written "ullah"; Abdulla and
            // Abdalla drop the final h.
            if name == "la" { return ["abd", "al", "lah"] }
            if name.utf8.count >= 3 { return ["abd", "al", String(name)] }
        }
        // Before a "sun letter" the article takes that letter's sound, written doubled:
        // Abdurrahman, Abderrahmane and Abdussalam are abd al-Rahman and abd al-Salam.
        let letters = Array(rest.utf8)
        if letters.count >= 5, "aeiou".utf8.contains(letters[0]), "tdrzsn".utf8.contains(letters[1]),
            letters[2] == letters[1]
        {
            return ["abd", "al", String(rest.dropFirst(2))]
        }
        return nil
    }
}
