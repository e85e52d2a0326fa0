/// Other spellings of a name already written in Latin letters, for names romanised by a scheme
/// made for another language than the one they are compared in.
///
/// `Transliteration` spells a word written in its own script in every common scheme. A name
/// that reaches Concord already romanised carries one scheme only, and the other side may carry
/// another: a Taiwanese passport in Wade-Giles against a mainland record in pinyin, a German
/// record of a Russian name against an English one. Each rule here recognises one such scheme
/// from letters the other schemes never write, and spells the word as the usual scheme would:
///
/// - **Wade-Giles to pinyin**, for a word that is one Wade-Giles syllable and cannot be pinyin
///   (`hs`, `ts`, `tz`, `ss` and `sz` initials; `ih`, `ieh`, `ien`, `ung`, `uei`, `ueh` and
///   `erh` finals; `ch` before an `i` final other than `chi`): Hsiao is xiao, Chih is zhi or chi,
///   Chieh is jie or qie. Apostrophes are gone by now, so aspirated and plain initials give both
///   readings (`ch` is zh or ch, `k` is g or k). A syllable that is valid pinyin (ping, kuo, chun)
///   is left alone, so that pinyin Ping does not meet pinyin Bing.
/// - **German transcription of Slavic names to English**, for a word with `sch`, or with `w` or
///   `j` after its first letter (a first w or j is as likely English, Chinese or Korean):
///   `w` is v, `sch` sh, `tsch` ch, `ch` kh, `j` y, `z` ts, a single `s` between vowels z and a
///   doubled one s, so Wjatscheslaw is vyacheslav and Kusnezowa kusnetsova.
/// - **ICAO 9303 Cyrillic to English**: an initial `iu` or `ia` is yu or ya and a final `ii` is
///   iy, so Iurii (what a Russian passport prints) is yuriy.
///
/// Only spellings are added; the word as written stays the preferred one.
enum LatinRespelling {
    /// Other spellings of `word` (lowercase ASCII letters), without `word` itself.
    static func spellings(of word: String) -> [String] {
        var word = word
        return word.withUTF8 { letters in
            guard letters.count >= 2 else { return [] }
            // Most words are in no other scheme: nothing is allocated for them.
            var spellings = wadeGiles(letters)
            if let german = germanSlavic(letters) { spellings.append(german) }
            if let icao = icaoCyrillic(letters) { spellings.append(icao) }
            guard !spellings.isEmpty else { return [] }
            return Transliteration.unique(spellings).filter { !$0.utf8.elementsEqual(letters) }
        }
    }

    // MARK: Wade-Giles

    /// Initials, the empty one (a syllable that is all final) included. `j` (pinyin r) is left
    /// out: it would turn Jan and Jung into Ran and Rong.
    static let wadeGilesInitials: Set<String> = [
        "hs", "ch", "ts", "tz", "ss", "sz", "sh", "p", "t", "k", "m", "f", "n", "l", "h", "s", "w", "y", "",
    ]

    /// Finals with ü and ê folded to u and e, as names reach matching.
    static let wadeGilesFinals: Set<String> = [
        "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "erh", "eh", "i", "ia", "iang", "iao", "ieh", "ien",
        "ih", "in", "ing", "iu", "iung", "o", "ou", "u", "ua", "uai", "uan", "uang", "ui", "uei", "un", "ung", "uo",
        "ueh",
    ]

    /// Finals pinyin never writes.
    static let wadeGilesOnlyFinals: Set<String> = ["ih", "ieh", "ien", "iung", "ung", "uei", "ueh", "erh", "eh"]

    /// The pinyin of each final that pinyin writes differently.
    static let pinyinFinals: [String: String] = [
        "ih": "i", "ieh": "ie", "ueh": "ue", "eh": "e", "ien": "ian", "iung": "iong", "ung": "ong", "uei": "ui",
        "erh": "er",
    ]

    /// The initials and finals as sorted numbers (`packed`), so that trying where the initial
    /// ends makes no string and hashes nothing: most words try three places.
    static let wadeGilesInitialKeys = wadeGilesInitials.map { packed($0.utf8) }.sorted()
    static let wadeGilesFinalKeys = wadeGilesFinals.map { packed($0.utf8) }.sorted()

    /// Up to eight letters as one number; letters are never zero, so lengths do not collide.
    static func packed(_ letters: some Collection<UInt8>) -> UInt64 {
        letters.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func wadeGiles(_ letters: UnsafeBufferPointer<UInt8>) -> [String] {
        // The longest syllables (chiung, hsiang, chuang) have six letters.
        guard letters.count <= 6 else { return [] }
        // Initials have two letters at most; the longest that leaves a final wins (hs before h).
        guard
            let initialLength = stride(from: min(2, letters.count), through: 0, by: -1).first(where: {
                wadeGilesInitialKeys.sortedContains(packed(letters.prefix($0)))
                    && wadeGilesFinalKeys.sortedContains(packed(letters.dropFirst($0)))
            })
        else { return [] }
        let initial = String(decoding: letters.prefix(initialLength), as: UTF8.self)
        let final = String(decoding: letters.dropFirst(initialLength), as: UTF8.self)
        let unambiguous =
            ["hs", "ts", "tz", "ss", "sz"].contains(initial) || wadeGilesOnlyFinals.contains(final)
            || (initial == "y" && final == "en") || (initial == "ch" && final.hasPrefix("i") && final != "i")
        guard unambiguous, !(initial.isEmpty && final != "erh") else { return [] }
        var pinyinFinal = pinyinFinals[final] ?? final
        if initial == "y" && final == "en" { pinyinFinal = "an" }
        // Tzu and ssu are zi and si; tsu is zu.
        if final == "u" && ["tz", "ss", "sz"].contains(initial) { pinyinFinal = "i" }
        let initials: [String] =
            switch initial {
            case "hs": ["x"]
            case "ch" where final == "ih" || !(final.hasPrefix("i") || final == "ueh"): ["zh", "ch"]
            case "ch": ["j", "q"]
            case "ts", "tz": ["z", "c"]
            case "ss", "sz": ["s"]
            case "k": ["g", "k"]
            case "p": ["b", "p"]
            case "t": ["d", "t"]
            default: [initial]
            }
        return initials.map { $0 + pinyinFinal }
    }

    // MARK: German transcription of Slavic names

    static func isVowel(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
            UInt8(ascii: "y"):
            true
        default: false
        }
    }

    static func germanSlavic(_ letters: UnsafeBufferPointer<UInt8>) -> String? {
        func at(_ index: Int) -> UInt8 { index >= 0 && index < letters.count ? letters[index] : 0 }
        func starts(_ text: StaticString, at index: Int) -> Bool {
            let pattern = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            return pattern.indices.allSatisfy { at(index + $0) == pattern[$0] }
        }
        // A w or j that starts a word is no sign of German (Wei, Wang, Jun, Jin, Juan).
        let marked = letters.indices.contains {
            starts("sch", at: $0) || ($0 > 0 && (letters[$0] == UInt8(ascii: "w") || letters[$0] == UInt8(ascii: "j")))
        }
        guard marked else { return nil }
        var output: [UInt8] = []
        var index = 0
        func emit(_ text: StaticString, consuming count: Int) {
            output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            index += count
        }
        while index < letters.count {
            let letter = letters[index]
            if starts("tsch", at: index) {
                emit("ch", consuming: 4)
            } else if starts("sch", at: index) {
                emit("sh", consuming: 3)
            } else if starts("ch", at: index) {
                emit("kh", consuming: 2)
            } else if starts("ss", at: index) {
                emit("s", consuming: 2)
            } else if letter == UInt8(ascii: "s") && isVowel(at(index - 1)) && isVowel(at(index + 1)) {
                emit("z", consuming: 1)
            } else if letter == UInt8(ascii: "w") {
                emit("v", consuming: 1)
            } else if letter == UInt8(ascii: "j") {
                emit("y", consuming: 1)
            } else if letter == UInt8(ascii: "z") {
                emit("ts", consuming: 1)
            } else {
                output.append(letter)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: ICAO 9303 Cyrillic

    static func icaoCyrillic(_ letters: UnsafeBufferPointer<UInt8>) -> String? {
        let first =
            letters.count > 2 && letters[0] == UInt8(ascii: "i")
            && (letters[1] == UInt8(ascii: "u") || letters[1] == UInt8(ascii: "a"))
        let last =
            letters.count > 3 && letters[letters.count - 1] == UInt8(ascii: "i")
            && letters[letters.count - 2] == UInt8(ascii: "i")
        guard first || last else { return nil }
        var output = Array(letters)
        if first { output[0] = UInt8(ascii: "y") }
        if last { output[output.count - 1] = UInt8(ascii: "y") }
        return String(decoding: output, as: UTF8.self)
    }
}
