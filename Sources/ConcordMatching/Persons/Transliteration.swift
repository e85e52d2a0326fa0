import Foundation

/// The writing system a name word came in, as far as matching cares.
public enum NameScript: String, Sendable, Hashable, Codable, CaseIterable {
    case latin, cyrillic, greek, arabic, hebrew, han, hangul, other

    /// The script of the first letter of `word`; a word is written in one script.
    static func of(_ word: String) -> NameScript {
        for scalar in word.unicodeScalars {
            // ASCII letters first: most words are written in them.
            if (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A { return .latin }
            guard scalar.properties.isAlphabetic else { continue }
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: return .latin
            case 0x400...0x52F: return .cyrillic
            case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
            case 0x590...0x5FF: return .hebrew
            case 0x600...0x6FF, 0x750...0x77F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return .han
            case 0xAC00...0xD7A3, 0x1100...0x11FF, 0x3130...0x318F: return .hangul
            default: return .other
            }
        }
        return .other
    }
}

/// One romanised word of a name: its Latin spellings, preferred first, all lowercase ASCII.
struct RomanisedWord: Sendable, Hashable {
    var spellings: [String]
    /// The text it came from, for explanations.
    var original: String
    /// For consonantal scripts, the skeleton built letter by letter, because the spelling
    /// joins letters into what reads as a digraph: כהן is k-h-n (Cohen), not kh-n.
    var skeleton: String? = nil
}

/// Romanisation of name words into lowercase ASCII Latin.
///
/// Coverage, plainly:
/// - **Latin**: diacritics and special letters folded to ASCII (ICU `Latin-ASCII`: ß → ss,
///   ø → o, ł → l, đ → d, þ → th, æ → ae). German ü → ue is not generated as a spelling; the
///   phonetic key makes "Müller" and "Mueller" agree instead. Words romanised by Wade-Giles,
///   by German usage for Slavic names or by ICAO 9303 also get the usual scheme's spelling
///   (`LatinRespelling`).
/// - **Cyrillic** (Russian, Ukrainian, Belarusian, Bulgarian, Serbian letters): own tables for
///   BGN/PCGN (the preferred spelling), ICAO Doc 9303 (what passports print), a folded
///   scholarly/ISO 9 form, German and French usage, and the Ukrainian national system when the
///   word has Ukrainian letters; plus the popular English "x" for "кс" and "-y" for "-ий".
///   ICU's Cyrillic output is ISO 9 with diacritics, which folding to ASCII makes ambiguous
///   (ш, щ and с all end as "s"), so it is not used.
/// - **Greek**: own table for the modern passport spelling (ELOT 743: η, ι, υ as i; μπ as b at
///   the start of a word), with a second spelling in the older style (mp, nt, kh, u).
/// - **Arabic** (with Persian and Urdu letters) and **Hebrew**: own tables into consonantal
///   spellings; long-vowel letters become vowels, short vowels are written only when the text
///   carries the vowel marks. These words are compared by consonant skeleton only, which cannot
///   tell names apart that differ only in vowels (محمد Muhammad and محمود Mahmoud share `mhmd`);
///   the score of a skeleton-only alignment is lower for that reason.
/// - **Han**: ICU `Han-Latin` (Mandarin pinyin for every CJK character, simplified and
///   traditional), tones dropped, with the surname's reading corrected for the common surname
///   characters whose everyday reading differs (曾 Zeng, 单 Shan, 解 Xie, ...), compound surnames
///   kept as one token, the given name's syllables joined as passports write them, and common
///   Cantonese and Wade-Giles spellings of frequent surnames (陈 Chan, 张 Cheung, 黄 Wong).
///   Given names get no Cantonese variants (a Wade-Giles given name written in Latin letters
///   meets the pinyin through `LatinRespelling`); Japanese readings of kanji are not produced
///   (kanji come out in Mandarin).
/// - **Hangul**: ICU `Hangul-Latin` (Revised Romanization) syllable by syllable, the first
///   syllable as the surname with the spellings Korean passports use for common surnames
///   (김 Kim, 이 Lee, 박 Park), the rest joined as the given name. Hanja are read as Han.
/// - **Every other script** (Georgian, Armenian, Devanagari, Thai, kana, ...): ICU
///   `Any-Latin; Latin-ASCII`, one spelling, no variants. Hangul, Georgian, Armenian,
///   Devanagari, Thai and kana are read syllable by syllable, each syllable's reading kept
///   (`syllables(of:)`): the same reading as the whole word's, without building ICU's
///   transform for every new word.
enum Transliteration {
    static func romanise(_ word: String, script: NameScript) -> [RomanisedWord] {
        switch script {
        case .latin: [latin(word)]
        case .cyrillic: [cyrillic(word)]
        case .greek: [greek(word)]
        case .arabic: arabic(word)
        case .hebrew: [hebrew(word)]
        case .han: han(word)
        case .hangul: hangul(word)
        case .other: icuWords(word)
        }
    }

    /// Keeps ASCII letters only, lowercased.
    static func asciiLetters(_ text: some StringProtocol) -> String {
        String(unsafeUninitializedCapacity: text.utf8.count) { letters in
            var count = 0
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"): letters[count] = byte
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): letters[count] = byte + 32
                default: continue
                }
                count += 1
            }
            return count
        }
    }

    static func latin(_ word: String) -> RomanisedWord {
        RomanisedWord(spellings: latinSpellings(foldLatin(word)), original: word)
    }

    /// The word as written, then its spellings in other schemes (`LatinRespelling`).
    static func latinSpellings(_ folded: String) -> [String] {
        let respellings = LatinRespelling.spellings(of: folded)
        return respellings.isEmpty ? [folded] : [folded] + respellings
    }

    static func foldLatin(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return asciiLetters(word) }
        // Accented letters come from the table; ICU is built and run only for what it lacks.
        var folded = ""
        for scalar in word.unicodeScalars {
            if scalar.isASCII {
                folded.unicodeScalars.append(scalar)
            } else if let ascii = latinFolds[scalar] {
                folded += ascii
            } else {
                let whole = word.applyingTransform(StringTransform("Latin-ASCII"), reverse: false)
                return asciiLetters(whole ?? word)
            }
        }
        return asciiLetters(folded)
    }

    /// ICU's Latin-ASCII folding of every letter of the Latin-1 Supplement, Latin Extended-A and
    /// -B, and Latin Extended Additional (Vietnamese): the accented letters of nearly every name
    /// written in Latin letters. Made with one run of the transform, because building it costs
    /// far more than running it, and it folds these letters one by one.
    static let latinFolds: [Unicode.Scalar: String] = {
        let scalars = (0xC0...0x24F).compactMap(Unicode.Scalar.init) + (0x1E00...0x1EFF).compactMap(Unicode.Scalar.init)
        let letters = scalars.filter(\.properties.isAlphabetic)
        let text = letters.map { String(Character($0)) }.joined(separator: " ")
        guard let folded = text.applyingTransform(StringTransform("Latin-ASCII"), reverse: false) else { return [:] }
        let parts = folded.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == letters.count else { return [:] }
        var folds: [Unicode.Scalar: String] = [:]
        for (letter, part) in zip(letters, parts) where part.unicodeScalars.allSatisfy(\.isASCII) {
            folds[letter] = String(part)
        }
        return folds
    }()

    /// ICU romanisation of anything, split where ICU puts spaces. Scripts whose syllables ICU
    /// reads alike wherever they stand (`syllables`) are read syllable by syllable instead.
    static func icuWords(_ word: String) -> [RomanisedWord] {
        if let syllables = syllables(of: word) {
            let latin = syllables.map(syllableReading).joined()
            return latin.isEmpty ? [] : [RomanisedWord(spellings: [latin], original: word)]
        }
        let latin = word.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? ""
        return latin.split(whereSeparator: { !$0.isLetter }).map {
            RomanisedWord(spellings: [asciiLetters($0)], original: word)
        }.filter { !$0.spellings[0].isEmpty }
    }

    /// ICU's readings of syllables met so far, as `hanReadings` keeps Han characters': a word
    /// costs ICU a transform build for each of its syllables the first time only. A script has
    /// a few hundred syllables in names, which the limit holds many times over.
    static let syllableReadings = RecentResults<ExactText, String>(limit: 1 << 14)

    static func syllableReading(_ syllable: String) -> String {
        syllableReadings.value(for: ExactText(syllable)) {
            asciiLetters(syllable.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? "")
        }
    }

    /// The word cut into the pieces ICU romanises without looking past them, for Hangul,
    /// Georgian, Armenian, kana, Devanagari and Thai; nil for other scripts, which ICU reads
    /// whole. A piece is a character (a grapheme cluster: a Hangul syllable, a Devanagari
    /// conjunct with its vowel sign), extended where ICU reads across characters:
    /// - a small kana, the long-vowel mark or an iteration mark joins the kana before it
    ///   (キョ is kyo, not kiyo);
    /// - the small tsu (っ, ッ), a Thai vowel written before its consonant (เ, แ, โ, ใ, ไ)
    ///   and a Devanagari cluster ending in anusvara (ं, whose sound follows the next
    ///   consonant: संजय sanjaya, सिंह simha) join the character after them;
    /// - Armenian ւ joins the ո before it (ու is u).
    /// A test checks this against ICU's reading of whole names.
    static func syllables(of word: String) -> [String]? {
        guard let first = word.unicodeScalars.first, syllabicScripts.contains(where: { $0.contains(first.value) })
        else {
            return nil
        }
        var syllables: [String] = []
        var pending = ""
        for character in word {
            let scalars = character.unicodeScalars
            if pending.isEmpty, let previous = syllables.last,
                joinsPrevious.contains(scalars.first!)
                    || (character == "ւ" || character == "Ւ") && (previous.hasSuffix("ո") || previous.hasSuffix("Ո"))
            {
                syllables[syllables.count - 1] += String(character)
            } else if joinsNext.contains(scalars.first!) || scalars.last!.value == 0x902 {
                pending += String(character)
            } else {
                syllables.append(pending + String(character))
                pending = ""
            }
        }
        if !pending.isEmpty { syllables.append(pending) }
        return syllables
    }

    /// Armenian, Devanagari, Thai, Georgian (with Mtavruli capitals), kana and Hangul syllables.
    static let syllabicScripts: [ClosedRange<UInt32>] = [
        0x530...0x58F, 0x900...0x97F, 0xE00...0xE7F, 0x10A0...0x10FF, 0x1C90...0x1CBF, 0x3040...0x30FF,
        0xAC00...0xD7A3,
    ]
    static let joinsPrevious = Set("ぁぃぅぇぉゃゅょゎゕゖァィゥェォャュョヮヵヶーゝゞヽヾ".unicodeScalars)
    static let joinsNext = Set("っッเแโใไ".unicodeScalars)

    // MARK: Cyrillic

    /// Spellings of one Cyrillic letter in each scheme, in `CyrillicScheme` order.
    enum CyrillicScheme: Int, CaseIterable {
        case bgn, icao, scholarly, german, french, ukrainian
    }

    static let cyrillicLetters: [Unicode.Scalar: [String]] = [
        //     BGN/PCGN ICAO   ISO     German    French  Ukrainian
        "а": ["a", "a", "a", "a", "a", "a"],
        "б": ["b", "b", "b", "b", "b", "b"],
        "в": ["v", "v", "v", "w", "v", "v"],
        "г": ["g", "g", "g", "g", "g", "h"],
        "ґ": ["g", "g", "g", "g", "g", "g"],
        "д": ["d", "d", "d", "d", "d", "d"],
        "е": ["e", "e", "e", "e", "e", "e"],
        "ё": ["yo", "e", "e", "jo", "io", "e"],
        "є": ["ye", "ie", "je", "je", "ie", "ie"],
        "ж": ["zh", "zh", "z", "sch", "j", "zh"],
        "з": ["z", "z", "z", "s", "z", "z"],
        "и": ["i", "i", "i", "i", "i", "y"],
        "і": ["i", "i", "i", "i", "i", "i"],
        "ї": ["yi", "i", "ji", "ji", "i", "i"],
        "й": ["y", "i", "j", "j", "i", "i"],
        "ј": ["j", "j", "j", "j", "j", "j"],
        "к": ["k", "k", "k", "k", "k", "k"],
        "л": ["l", "l", "l", "l", "l", "l"],
        "љ": ["lj", "lj", "lj", "lj", "lj", "lj"],
        "м": ["m", "m", "m", "m", "m", "m"],
        "н": ["n", "n", "n", "n", "n", "n"],
        "њ": ["nj", "nj", "nj", "nj", "nj", "nj"],
        "о": ["o", "o", "o", "o", "o", "o"],
        "п": ["p", "p", "p", "p", "p", "p"],
        "р": ["r", "r", "r", "r", "r", "r"],
        "с": ["s", "s", "s", "s", "s", "s"],
        "т": ["t", "t", "t", "t", "t", "t"],
        "ћ": ["c", "c", "c", "tsch", "tch", "ch"],
        "ђ": ["dj", "dj", "d", "dj", "dj", "dj"],
        "у": ["u", "u", "u", "u", "ou", "u"],
        "ў": ["w", "u", "u", "w", "ou", "u"],
        "ф": ["f", "f", "f", "f", "f", "f"],
        "х": ["kh", "kh", "h", "ch", "kh", "kh"],
        "ц": ["ts", "ts", "c", "z", "ts", "ts"],
        "ч": ["ch", "ch", "c", "tsch", "tch", "ch"],
        "џ": ["dzh", "dzh", "dz", "dsch", "dj", "dzh"],
        "ш": ["sh", "sh", "s", "sch", "ch", "sh"],
        "щ": ["shch", "shch", "sc", "schtsch", "chtch", "shch"],
        "ъ": ["", "ie", "", "", "", ""],
        "ы": ["y", "y", "y", "y", "y", "y"],
        "ь": ["", "", "", "", "", ""],
        "э": ["e", "e", "e", "e", "e", "e"],
        "ю": ["yu", "iu", "ju", "ju", "iou", "iu"],
        "я": ["ya", "ia", "ja", "ja", "ia", "ia"],
    ]

    static let cyrillicVowels: Set<Unicode.Scalar> = ["а", "е", "ё", "и", "о", "у", "ы", "э", "ю", "я", "і", "ї", "є"]

    static func cyrillic(_ word: String) -> RomanisedWord {
        // Scalars, which hash as numbers; a mark (a stress accent) has no spelling and drops out.
        let letters = Array(word.lowercased().unicodeScalars)
        let isUkrainian = letters.contains { "іїєґ".unicodeScalars.contains($0) }
        // Each letter's forms are looked up once, for all the schemes.
        let forms = letters.map { cyrillicLetters[$0] }
        // BGN/PCGN and German write е as "ye"/"je" where it starts a syllable.
        let syllabicE = letters.indices.map { position in
            letters[position] == "е" && (position == 0 || cyrillicVowels.contains(letters[position - 1]))
        }
        var spellings: [String] = []
        spellings.reserveCapacity(CyrillicScheme.allCases.count + 3)
        // Each scheme's spelling is written as bytes into one buffer, then made a string once.
        var spelling: [UInt8] = []
        spelling.reserveCapacity(4 * letters.count)
        for scheme in CyrillicScheme.allCases where scheme != .ukrainian || isUkrainian {
            spelling.removeAll(keepingCapacity: true)
            for position in letters.indices {
                if syllabicE[position] && (scheme == .bgn || scheme == .german) {
                    spelling.append(contentsOf: (scheme == .bgn ? "ye" : "je").utf8)
                } else if let letterForms = forms[position] {
                    spelling.append(contentsOf: letterForms[scheme.rawValue].utf8)
                }
            }
            spellings.append(String(decoding: spelling, as: UTF8.self))
        }
        // Popular English spellings: Alexander for Aleksandr, Dmitry and Yuri for Dmitriy and Yuriy.
        let preferred = Array(spellings[0].utf8)
        var english: [UInt8] = []
        var index = 0
        while index < preferred.count {
            let ks =
                preferred[index] == UInt8(ascii: "k") && index + 1 < preferred.count
                && preferred[index + 1] == UInt8(ascii: "s")
            english.append(ks ? UInt8(ascii: "x") : preferred[index])
            index += ks ? 2 : 1
        }
        if english.count < preferred.count { spellings.append(String(decoding: english, as: UTF8.self)) }
        let ending = String(decoding: preferred.suffix(2), as: UTF8.self)
        if preferred.count > 2, ["iy", "yy", "ij"].contains(ending) {
            let stem = String(decoding: preferred.dropLast(2), as: UTF8.self)
            spellings += [stem + "y", stem + "i"]
        }
        // The tables spell in lowercase ASCII letters only.
        return RomanisedWord(spellings: unique(spellings), original: word)
    }

    // MARK: Greek

    static let greekLetters: [Unicode.Scalar: String] = [
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
        "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
        "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    ]

    /// Pairs written as one sound; the first spelling is modern (ELOT 743), the second older usage.
    static let greekPairs: [String: (modern: String, older: String)] = [
        "ου": ("ou", "u"), "αι": ("ai", "e"), "ει": ("ei", "i"), "οι": ("oi", "i"), "αυ": ("av", "af"),
        "ευ": ("ev", "ef"), "γγ": ("ng", "ng"), "γκ": ("gk", "nk"), "μπ": ("mp", "mb"), "ντ": ("nt", "nd"),
    ]

    /// `greekPairs` by the two letters' scalar values, so that a lookup builds no string.
    static let greekPairsByScalars: [UInt64: (modern: String, older: String)] = Dictionary(
        uniqueKeysWithValues: greekPairs.map { pair, spellings in
            let scalars = Array(pair.unicodeScalars)
            return (scalarPair(scalars[0], scalars[1]), spellings)
        })

    static func scalarPair(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> UInt64 {
        UInt64(first.value) << 32 | UInt64(second.value)
    }

    /// The accented letters of monotonic Greek, by their base letter: what folding diacritics
    /// does to them. Other accented Greek (polytonic) goes through Foundation's folding.
    static let greekAccented: [Unicode.Scalar: Unicode.Scalar] = [
        "ά": "α", "έ": "ε", "ή": "η", "ί": "ι", "ό": "ο", "ύ": "υ", "ώ": "ω", "ϊ": "ι", "ϋ": "υ", "ΐ": "ι", "ΰ": "υ",
    ]

    /// A Greek word lowercased and without accents, as scalars.
    static func greekLetters(of word: String) -> [Unicode.Scalar] {
        let lowercase = word.lowercased()
        let monotonic = lowercase.unicodeScalars.allSatisfy { (0x3AC...0x3CE).contains($0.value) || $0.value == 0x390 }
        guard monotonic else {
            return Array(lowercase.folding(options: .diacriticInsensitive, locale: nil).unicodeScalars)
        }
        return lowercase.unicodeScalars.map { greekAccented[$0] ?? $0 }
    }

    static func greek(_ word: String) -> RomanisedWord {
        let letters = greekLetters(of: word)
        var modern = ""
        var older = ""
        var position = 0
        while position < letters.count {
            if position + 1 < letters.count,
                let pair = greekPairsByScalars[scalarPair(letters[position], letters[position + 1])]
            {
                // At the start of a word μπ, ντ and γκ are b, d and g.
                let initial =
                    position == 0
                    ? ["μπ": "b", "ντ": "d", "γκ": "g"][String(String.UnicodeScalarView(letters[0...1]))] : nil
                modern += initial ?? pair.modern
                older += initial ?? pair.older
                position += 2
                continue
            }
            let letter = letters[position]
            modern += greekLetters[letter] ?? ""
            older += letter == "χ" ? "kh" : letter == "υ" ? "u" : (greekLetters[letter] ?? "")
            position += 1
        }
        return RomanisedWord(spellings: unique([modern, older]), original: word)
    }

    // MARK: Arabic and Hebrew

    static let arabicLetters: [Unicode.Scalar: String] = [
        "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ء": "", "ئ": "", "ؤ": "", "ب": "b", "ت": "t",
        "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s",
        "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k",
        "ل": "l", "م": "m", "ن": "n", "ه": "h", "ى": "a", "ة": "a", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g",
        "ک": "k", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ہ": "h", "ھ": "h", "ۀ": "h", "ے": "e",
        // Vowel marks, written only in vowelled text; shadda and sukun add no letter.
        "\u{064E}": "a", "\u{064F}": "u", "\u{0650}": "i",
    ]

    /// Arabic words, with the article ال written apart as the particle "al", also inside names
    /// built on عبد written as one word (عبدالله).
    static func arabic(_ word: String) -> [RomanisedWord] {
        // Scalars, not characters: vowel marks would join their letter into one character.
        var letters = Array(word.unicodeScalars)
        var words: [RomanisedWord] = []
        if letters.count > 5, letters[0] == "ع", letters[1] == "ب", letters[2] == "د", letters[3] == "ا",
            letters[4] == "ل"
        {
            words.append(RomanisedWord(spellings: ["bd"], original: "عبد"))
            letters.removeFirst(3)
        }
        if letters.count > 3, letters[0] == "ا" || letters[0] == "ٱ", letters[1] == "ل" {
            words.append(RomanisedWord(spellings: ["al"], original: "ال"))
            letters.removeFirst(2)
        }
        var spelling = LetterBuilder()
        for (position, letter) in letters.enumerated() {
            switch letter {
            // و and ي are consonants at the start of a word and long vowels elsewhere.
            case "و": spelling.append(position == 0 ? "w" : "u")
            case "ي", "ی": spelling.append(position == 0 ? "y" : "i")
            // Shadda doubles the consonant it sits on.
            case "\u{0651}": spelling.doubleLastConsonant()
            default: spelling.append(arabicLetters[letter] ?? "")
            }
        }
        if !spelling.text.isEmpty { words.append(spelling.word(original: String(String.UnicodeScalarView(letters)))) }
        return words
    }

    static let hebrewLetters: [Unicode.Scalar: String] = [
        "א": "", "ג": "g", "ד": "d", "ז": "z", "ח": "ch", "ט": "t", "ך": "kh", "ל": "l", "מ": "m", "ם": "m",
        "נ": "n", "ן": "n", "ס": "s", "ע": "", "ף": "f", "צ": "tz", "ץ": "tz", "ק": "k", "ר": "r", "ש": "sh",
        "ת": "t",
    ]

    static func hebrew(_ word: String) -> RomanisedWord {
        // Scalars, so that vowel points (niqqud) fall away instead of hiding their letter.
        let letters = Array(word.unicodeScalars).filter {
            hebrewLetters[$0] != nil || "בהוכפי".unicodeScalars.contains($0)
        }
        var spelling = LetterBuilder()
        for (position, letter) in letters.enumerated() {
            let initial = position == 0
            switch letter {
            // ב, כ and פ are hard at the start of a word and soft after a vowel or consonant.
            case "ב": spelling.append(initial ? "b" : "v")
            case "כ": spelling.append(initial ? "k" : "kh")
            case "פ": spelling.append(initial ? "p" : "f")
            case "ו": spelling.append(initial ? "v" : "u")
            case "י": spelling.append(initial ? "y" : "i")
            // A final ה is a vowel letter (Moshe, Leah).
            case "ה": spelling.append(position == letters.count - 1 && position > 0 ? "e" : "h")
            default: spelling.append(hebrewLetters[letter] ?? "")
            }
        }
        return spelling.word(original: word)
    }

    /// A consonantal spelling and its skeleton, built a letter at a time.
    struct LetterBuilder {
        var letters: [String] = []
        var symbols: [UInt8] = []
        /// Where the last consonant is in `letters`.
        var lastConsonant: Int?

        mutating func append(_ letter: String) {
            letters.append(letter)
            let letterSymbols = NameKeys.symbols(of: letter)
            if letterSymbols.contains(where: { $0 != NameKeys.vowel }) { lastConsonant = letters.count - 1 }
            NameKeys.appendSkeleton(of: letterSymbols, to: &symbols)
        }

        /// Shadda: the last consonant is doubled, also when a vowel mark was written before it.
        mutating func doubleLastConsonant() {
            guard let lastConsonant else { return }
            letters.insert(letters[lastConsonant], at: lastConsonant + 1)
        }

        var text: String { letters.joined() }

        func word(original: String) -> RomanisedWord {
            RomanisedWord(
                spellings: [text], original: original, skeleton: String(decoding: symbols, as: UTF8.self))
        }
    }

    // MARK: Han

    /// Surname readings that differ from the character's everyday reading, which ICU gives.
    static let surnameReadings: [Character: String] = [
        "曾": "zeng", "单": "shan", "單": "shan", "解": "xie", "查": "zha", "仇": "qiu", "区": "ou", "區": "ou",
        "朴": "piao", "盖": "ge", "蓋": "ge", "乐": "yue", "樂": "yue", "缪": "miao", "繆": "miao", "覃": "qin",
        "翟": "zhai", "召": "shao", "秘": "bi", "种": "chong", "種": "chong", "任": "ren", "沈": "shen",
        "柏": "bai", "重": "chong", "华": "hua", "華": "hua", "黑": "he", "万": "wan", "萬": "wan",
    ]

    /// Two-character surnames, written as one word.
    static let compoundSurnames: Set<String> = [
        "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "慕容", "夏侯", "令狐", "长孙",
        "長孫", "尉迟", "尉遲", "公孙", "公孫", "司徒", "司空", "端木", "宇文", "轩辕", "軒轅", "澹台", "澹臺",
    ]

    /// Cantonese, Wade-Giles and Southeast Asian spellings of frequent surnames, by pinyin.
    static let surnameSpellings: [String: [String]] = [
        "chen": ["chan", "chin", "tan"], "zhang": ["cheung", "chang", "teo"], "wang": ["wong"],
        "huang": ["wong", "hwang", "ng"], "li": ["lee", "lei"], "lin": ["lam", "lim"], "liu": ["lau", "lew"],
        "wu": ["ng", "woo", "goh"], "he": ["ho", "hoh"], "liang": ["leung", "leong"], "zheng": ["cheng", "tay"],
        "zhou": ["chow", "chou", "chau"], "hu": ["wu", "woo"], "yang": ["yeung", "young", "yeo"],
        "luo": ["law", "lo", "lor"], "xie": ["tse", "hsieh", "chia"], "xu": ["hsu", "tsui", "hui", "koh"],
        "ye": ["yip", "yeh"], "zhu": ["chu", "chee"], "deng": ["tang", "teng"], "guo": ["kwok", "kuo"],
        "zeng": ["tsang", "tseng"], "cai": ["choi", "tsai", "chua"], "su": ["so"], "ma": ["mah"],
        "feng": ["fung"], "yuan": ["yuen"], "mai": ["mak"], "lu": ["lo", "loh", "lui"], "pan": ["poon", "phan"],
        "zhong": ["chung"], "peng": ["pang"], "cao": ["tso", "tsao"], "qiu": ["yau", "chiu", "khoo"],
        "han": ["hon"], "mo": ["mok"], "jiang": ["chiang", "kong"], "song": ["sung"], "tang": ["tong"],
        "gao": ["ko", "kao"], "zhao": ["chiu", "chao"], "sun": ["suen"], "xiao": ["siu", "hsiao"],
        "ouyang": ["auyeung", "owyang"], "shen": ["sham"], "qian": ["chin"], "zou": ["chau", "tsou"],
    ]

    static func han(_ word: String) -> [RomanisedWord] {
        let characters = Array(word)
        let surnameLength = characters.count >= 3 && compoundSurnames.contains(String(characters[0...1])) ? 2 : 1
        let surname = String(characters[0..<min(surnameLength, characters.count)])
        let given = String(characters.dropFirst(surnameLength))
        func pinyin(_ text: String) -> String { text.map(hanReading).joined() }
        let surnameReading = surnameLength == 1 ? surnameReadings[characters[0]] ?? pinyin(surname) : pinyin(surname)
        var words = [
            RomanisedWord(spellings: [surnameReading] + (surnameSpellings[surnameReading] ?? []), original: surname)
        ]
        if !given.isEmpty { words.append(RomanisedWord(spellings: [pinyin(given)], original: given)) }
        return words
    }

    /// Readings of Han characters met so far. ICU's Han-Latin reads each character by itself
    /// (a table of Mandarin readings), but building the transform costs far more than reading:
    /// each character goes through it once, while it stays in this table.
    static let hanReadings = RecentResults<Character, String>(limit: 1 << 17)

    static func hanReading(_ character: Character) -> String {
        hanReadings.value(for: character) {
            asciiLetters(
                String(character).applyingTransform(StringTransform("Han-Latin; Latin-ASCII"), reverse: false) ?? "")
        }
    }

    // MARK: Hangul

    /// Passport spellings of common Korean surnames, by their Revised Romanization.
    static let koreanSurnameSpellings: [String: [String]] = [
        "gim": ["kim"], "i": ["lee", "yi", "rhee"], "bag": ["park", "pak", "bak"], "choe": ["choi", "choy"],
        "jeong": ["jung", "chung", "jong"], "gang": ["kang"], "jo": ["cho"], "yun": ["yoon"], "jang": ["chang"],
        "im": ["lim", "rim"], "o": ["oh"], "seo": ["suh", "seo"], "sin": ["shin"], "gwon": ["kwon"],
        "an": ["ahn"], "ryu": ["yoo", "yu", "lyu"], "yu": ["yoo"], "go": ["ko", "koh"], "mun": ["moon"],
        "son": ["sohn"], "bae": ["pae"], "baeg": ["baek", "paik"], "heo": ["huh", "hur"], "nam": ["nahm"],
        "noh": ["roh", "no"], "ha": ["hah"], "gwag": ["kwak"], "seong": ["sung"], "cha": ["char"],
        "ju": ["joo", "chu"], "u": ["woo"], "gu": ["koo", "ku"], "min": ["min"], "jin": ["chin"],
    ]

    /// Every spelling of a Chinese or Korean family name in the tables above, with one bit for
    /// each name it spells: Wade-Giles, Cantonese, Revised and McCune-Reischauer writings of
    /// one name meet even when both sides were written in Latin letters (Kuo and Guo, Lee and
    /// Rhee, Pak and Bak). A spelling may stand for several names (Chin: Chen, Qian or Jin).
    static let surnameGroupBits: [String: (UInt64, UInt64)] = {
        var groups: [[String]] = []
        for (pinyin, others) in surnameSpellings.sorted(by: { $0.key < $1.key }) { groups.append([pinyin] + others) }
        for (revised, others) in koreanSurnameSpellings.sorted(by: { $0.key < $1.key }) {
            // Single-letter Revised Romanization (i, o, u) is not written as a name in Latin.
            groups.append((revised.utf8.count > 1 ? [revised] : []) + others)
        }
        var bits: [String: (UInt64, UInt64)] = [:]
        for (number, group) in groups.enumerated() where number < 128 {
            for spelling in Set(group) {
                var groups = bits[spelling] ?? (0, 0)
                if number < 64 { groups.0 |= 1 << UInt64(number) } else { groups.1 |= 1 << UInt64(number - 64) }
                bits[spelling] = groups
            }
        }
        return bits
    }()

    /// Most words are longer than any spelling in the tables and need no lookup.
    static let longestSurnameSpelling = surnameGroupBits.keys.map(\.utf8.count).max() ?? 0

    static func surnameGroups(of spellings: ArraySlice<String>) -> (UInt64, UInt64) {
        var groups: (UInt64, UInt64) = (0, 0)
        for spelling in spellings where spelling.utf8.count <= longestSurnameSpelling {
            guard let bits = surnameGroupBits[spelling] else { continue }
            groups = (groups.0 | bits.0, groups.1 | bits.1)
        }
        return groups
    }

    static func hangul(_ word: String) -> [RomanisedWord] {
        let syllables = syllables(of: word) ?? [word]
        let surname = syllableReading(syllables[0])
        let surnameSpellings = unique([surname] + (koreanSurnameSpellings[surname] ?? []))
        var words = [RomanisedWord(spellings: surnameSpellings, original: syllables[0])]
        let given = syllables.dropFirst()
        if !given.isEmpty {
            words.append(RomanisedWord(spellings: [given.map(syllableReading).joined()], original: given.joined()))
        }
        return words.filter { !$0.spellings.isEmpty }
    }

    /// The non-empty spellings, each once, in order. Lists are short: a linear search is
    /// cheaper than hashing.
    static func unique(_ spellings: [String]) -> [String] {
        var kept: [String] = []
        kept.reserveCapacity(spellings.count)
        for spelling in spellings where !spelling.isEmpty && !kept.contains(spelling) { kept.append(spelling) }
        return kept
    }
}
