/// Sound keys for name tokens that are already lowercase ASCII Latin (see `NameNormalizer`).
///
/// English-only keys such as Soundex encode English spelling. Names reaching a border come from
/// every language and through every romanisation scheme, so the key here is built from the
/// spelling differences those schemes produce for one sound:
///
/// - `ph` is `f`; `th`, `dh`, `gh` are `t`, `d`, `g` (Greek, Arabic and Irish spellings);
/// - `kh`, `ch` and `h` are one sound class (Arabic خ, Russian х, Greek χ, German ch);
/// - `j`, `dj`, `dzh`, `zh` are one class (Djamal, Dzhamal, Jamal, Zhamal);
/// - `sh`, `sch`, `sz` and `s` are one class, because ASCII folding turns `š` into `s` anyway;
/// - `c` is `s` before e, i, y and `k` elsewhere; `q` and `ck` are `k`; `x` is `ks`;
/// - `w` is `v`; `ts` and `tz` are `z` (Russian ц as ts, German z);
/// - vowels, `y` included, are one class, and a run of them is one symbol, so `ou`, `oo`, `u`
///   and `ue` agree (Mueller and Muller, Yousef and Yusuf);
/// - a doubled symbol is one symbol;
/// - a vowel before a final r after a consonant is dropped (Alexander, Aleksandr; Peter, Petr).
///
/// Two keys come out of that: the `phonetic` key keeps one symbol where vowels were, so it still
/// tells Mohammed (`mahamad`) from Mahmoud (`mahmad`); the consonant `skeleton` drops them,
/// which is what Arabic and Hebrew writing keeps, so `محمد` (skeleton `mhmd`) meets every
/// vowelled Latin spelling. Vowel-free scripts' letters are romanised straight into this
/// alphabet by `Transliteration`.
public enum NameKeys {
    /// The symbol standing for any run of vowels in a phonetic key.
    static let vowel = UInt8(ascii: "a")

    /// The phonetic key: sound classes with one symbol per vowel run.
    public static func phonetic(_ token: String) -> String {
        String(decoding: symbols(of: token), as: UTF8.self)
    }

    /// The consonant skeleton: sound classes with the vowels left out, and v with b and f with
    /// p, which Hebrew writes with one letter each (Rabin and Avraham have the same ב) and
    /// Greek and Spanish spellings exchange.
    public static func skeleton(_ token: String) -> String {
        let symbols = symbols(of: token)
        return symbols.withUnsafeBufferPointer { symbols in
            String(unsafeUninitializedCapacity: symbols.count) { writeSkeleton(of: symbols, into: $0) }
        }
    }

    /// Appends the skeleton of `symbols` to a skeleton being built a letter at a time.
    static func appendSkeleton(of symbols: [UInt8], to skeleton: inout [UInt8]) {
        for symbol in symbols where symbol != vowel {
            let merged = skeletonSymbol(symbol)
            if skeleton.last != merged { skeleton.append(merged) }
        }
    }

    /// Writes the skeleton of `symbols` into `output`, which has room for as many bytes, and
    /// returns how many it wrote.
    static func writeSkeleton(
        of symbols: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var count = 0
        for symbol in symbols where symbol != vowel {
            let merged = skeletonSymbol(symbol)
            if count == 0 || output[count - 1] != merged {
                output[count] = merged
                count += 1
            }
        }
        return count
    }

    static func skeletonSymbol(_ symbol: UInt8) -> UInt8 {
        switch symbol {
        case UInt8(ascii: "v"): UInt8(ascii: "b")
        case UInt8(ascii: "f"): UInt8(ascii: "p")
        default: symbol
        }
    }

    /// Rewrites lowercase ASCII letters into sound-class symbols; other bytes are skipped.
    static func symbols(of token: String) -> [UInt8] {
        var token = token
        return token.withUTF8(symbols(ofLetters:))
    }

    static func symbols(ofLetters letters: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: symbolCapacity(letters.count)) { buffer, count in
            count = writeSymbols(of: letters, into: buffer)
        }
    }

    /// Room `writeSymbols` needs: a letter gives at most two symbols (x is ks).
    static func symbolCapacity(_ letters: Int) -> Int { 2 * letters }

    /// `symbols(of:)` into `output`, which has `symbolCapacity` bytes, without allocating;
    /// returns how many it wrote.
    static func writeSymbols(
        of letters: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>
    )
        -> Int
    {
        var count = 0
        func emit(_ symbol: UInt8) {
            if count == 0 || output[count - 1] != symbol {
                output[count] = symbol
                count += 1
            }
        }
        func at(_ index: Int) -> UInt8 { index < letters.count ? letters[index] : 0 }
        func isFrontVowel(_ letter: UInt8) -> Bool {
            letter == UInt8(ascii: "e") || letter == UInt8(ascii: "i") || letter == UInt8(ascii: "y")
        }
        var index = 0
        while index < letters.count {
            let letter = letters[index]
            let next = at(index + 1)
            var consumed = 1
            switch letter {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"),
                UInt8(ascii: "y"):
                emit(vowel)
            case UInt8(ascii: "p"):
                if next == UInt8(ascii: "h") {
                    emit(UInt8(ascii: "f"))
                    consumed = 2
                } else {
                    emit(letter)
                }
            case UInt8(ascii: "t"), UInt8(ascii: "d"):
                if next == UInt8(ascii: "h") {
                    emit(letter)
                    consumed = 2
                } else if letter == UInt8(ascii: "t") && (next == UInt8(ascii: "s") || next == UInt8(ascii: "z")) {
                    // "tsch" is the German spelling of ч, which English writes "ch".
                    if at(index + 2) == UInt8(ascii: "c") && at(index + 3) == UInt8(ascii: "h") {
                        emit(UInt8(ascii: "h"))
                        consumed = 4
                    } else {
                        emit(UInt8(ascii: "z"))
                        consumed = 2
                    }
                } else if letter == UInt8(ascii: "t") && next == UInt8(ascii: "c") && at(index + 2) == UInt8(ascii: "h")
                {
                    emit(UInt8(ascii: "h"))
                    consumed = 3
                } else if letter == UInt8(ascii: "d") && (next == UInt8(ascii: "j") || next == UInt8(ascii: "z")) {
                    // dj, dzh and dz: Djamal, Dzhamal.
                    emit(UInt8(ascii: "j"))
                    consumed = next == UInt8(ascii: "z") && at(index + 2) == UInt8(ascii: "h") ? 3 : 2
                } else {
                    emit(letter)
                }
            case UInt8(ascii: "g"):
                emit(letter)
                if next == UInt8(ascii: "h") { consumed = 2 }
            case UInt8(ascii: "k"):
                emit(next == UInt8(ascii: "h") ? UInt8(ascii: "h") : letter)
                if next == UInt8(ascii: "h") { consumed = 2 }
            case UInt8(ascii: "c"):
                if next == UInt8(ascii: "h") {
                    emit(UInt8(ascii: "h"))
                    consumed = 2
                } else if next == UInt8(ascii: "k") {
                    emit(UInt8(ascii: "k"))
                    consumed = 2
                } else if isFrontVowel(next) {
                    emit(UInt8(ascii: "s"))
                } else {
                    emit(UInt8(ascii: "k"))
                }
            case UInt8(ascii: "q"):
                emit(UInt8(ascii: "k"))
            case UInt8(ascii: "x"):
                emit(UInt8(ascii: "k"))
                emit(UInt8(ascii: "s"))
            case UInt8(ascii: "s"):
                emit(letter)
                if next == UInt8(ascii: "h") || next == UInt8(ascii: "z") {
                    consumed = 2
                } else if next == UInt8(ascii: "c") && at(index + 2) == UInt8(ascii: "h") {
                    consumed = 3
                }
            case UInt8(ascii: "z"):
                emit(next == UInt8(ascii: "h") ? UInt8(ascii: "j") : letter)
                if next == UInt8(ascii: "h") { consumed = 2 }
            case UInt8(ascii: "w"):
                emit(UInt8(ascii: "v"))
            case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "h"), UInt8(ascii: "j"), UInt8(ascii: "l"),
                UInt8(ascii: "m"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "v"):
                emit(letter)
            default:
                break
            }
            index += consumed
        }
        // A vowel between a consonant and a final r is often written in one language and not
        // in another: Aleksandr and Alexander, Petr and Peter.
        if count >= 3, output[count - 1] == UInt8(ascii: "r"), output[count - 2] == vowel, output[count - 3] != vowel {
            output[count - 2] = output[count - 1]
            count -= 1
        }
        return count
    }
}

/// Edit-based similarity of two ASCII tokens, in 0...1. Works on the UTF-8 bytes without
/// allocating on the heap for tokens up to 64 bytes, which is every real name token.
public enum TokenSimilarity {
    /// Edit distance: insertions, deletions, substitutions, and swaps of adjacent letters
    /// (Levenshtein with transpositions, the optimal string alignment distance), because
    /// swapped letters are the commonest typing error in names.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { left in b.withUTF8 { right in editDistance(left, right) } }
    }

    static func editDistance(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        let width = right.count + 1
        // Three rows: two back for transpositions, one back, and the current one.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            for column in 0..<width {
                rows[column] = column
                rows[width + column] = column
            }
            var (twoBack, previous, current) = (0, 0, width)
            for i in 1...left.count {
                rows[current] = i
                for j in 1...right.count {
                    let cost = left[i - 1] == right[j - 1] ? 0 : 1
                    var distance = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                    if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                        distance = min(distance, rows[twoBack + j - 2] + 1)
                    }
                    rows[current + j] = distance
                }
                (twoBack, previous, current) = (previous, current, (current + width) % (3 * width))
            }
            return rows[previous + right.count]
        }
    }

    /// One minus the edit distance over the longer length.
    public static func editSimilarity(_ a: String, _ b: String) -> Double {
        var (a, b) = (a, b)
        return a.withUTF8 { left in b.withUTF8 { right in editSimilarity(left, right) } }
    }

    static func editSimilarity(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Double {
        let longest = max(left.count, right.count)
        guard longest > 0 else { return 1 }
        return 1 - Double(editDistance(left, right)) / Double(longest)
    }

    /// An upper bound of the mean of `jaroWinkler` and `editSimilarity`, from the letters each
    /// side has that the other has too: neither measure can count a letter the other word lacks.
    /// Far cheaper than either, it lets comparisons that need a high similarity skip both.
    public static func fuzzyBound(_ a: String, _ b: String) -> Double {
        var (a, b) = (a, b)
        return a.withUTF8 { a in b.withUTF8 { b in fuzzyBound(a, letters(a), b, letters(b)) } }
    }

    /// The letters a word has, one bit each (`fuzzyBound`).
    static func letters(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var letters: UInt32 = 0
        for byte in bytes { letters |= 1 << UInt32(byte & 31) }
        return letters
    }

    /// `fuzzyBound` with each word's `letters` known.
    static func fuzzyBound(
        _ a: UnsafeBufferPointer<UInt8>, _ lettersA: UInt32, _ b: UnsafeBufferPointer<UInt8>, _ lettersB: UInt32
    ) -> Double {
        func shared(_ text: UnsafeBufferPointer<UInt8>, _ other: UInt32) -> Int {
            var count = 0
            for byte in text { count += Int(other >> UInt32(byte & 31) & 1) }
            return count
        }
        let (lengthA, lengthB) = (a.count, b.count)
        guard lengthA > 0, lengthB > 0 else { return lengthA == lengthB ? 1 : 0 }
        let common = Double(min(shared(a, lettersB), shared(b, lettersA)))
        // Jaro counts at most `common` matches; Winkler's prefix adds at most 0.4 of the rest.
        let jaro = (common / Double(lengthA) + common / Double(lengthB) + 1) / 3
        let jaroWinkler = jaro + 0.4 * (1 - jaro)
        // An edit is needed for every letter of the longer word beyond `common`.
        let edit = common / Double(max(lengthA, lengthB))
        return (jaroWinkler + edit) / 2
    }

    /// Jaro-Winkler similarity with the usual prefix scale of 0.1 over at most four characters.
    public static func jaroWinkler(_ a: String, _ b: String) -> Double {
        var a = a
        var b = b
        return a.withUTF8 { left in b.withUTF8 { right in jaroWinkler(left, right) } }
    }

    static func jaroWinkler(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Double {
        if left.isEmpty && right.isEmpty { return 1 }
        if left.isEmpty || right.isEmpty { return 0 }
        let window = max(0, max(left.count, right.count) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: left.count + right.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in 0..<left.count {
                let low = max(0, i - window)
                let high = min(right.count - 1, i + window)
                guard low <= high else { continue }
                for j in low...high where !flags[left.count + j] && left[i] == right[j] {
                    flags[i] = true
                    flags[left.count + j] = true
                    matches += 1
                    break
                }
            }
            guard matches > 0 else { return 0 }
            var transpositions = 0
            var j = 0
            for i in 0..<left.count where flags[i] {
                while !flags[left.count + j] { j += 1 }
                if left[i] != right[j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            let jaro = (m / Double(left.count) + m / Double(right.count) + (m - Double(transpositions / 2)) / m) / 3
            var prefix = 0
            while prefix < min(4, left.count, right.count) && left[prefix] == right[prefix] { prefix += 1 }
            return jaro + Double(prefix) * 0.1 * (1 - jaro)
        }
    }
}
