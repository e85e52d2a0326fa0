import Foundation

/// Words as compliance checks compare them: case and diacritics folded, Arabic letter variants
/// unified, and anything that is neither letter nor digit a boundary. "Politique", "POLITIQUE"
/// and "politíque" are the same word; "apolitical" is not "political".
enum FoldedText {
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func flush() {
            if !word.isEmpty { words.append(String(word)) }
            word = String.UnicodeScalarView()
        }
        for scalar in text.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            let properties = scalar.properties
            // Accents, and Arabic short vowels and hamza marks once decomposed (أ is ا with a mark).
            if properties.generalCategory == .nonspacingMark { continue }
            switch scalar.value {
            case 0x0640: continue  // tatweel, a stretch of the line with no meaning
            case 0x0629: word.append("\u{0647}")  // ta marbuta, written and typed as ha
            case 0x0649: word.append("\u{064A}")  // alef maqsura, often typed as ya
            case 0x0671: word.append("\u{0627}")  // alef wasla
            default:
                if properties.isAlphabetic || properties.numericType != nil {
                    word.append(scalar)
                } else {
                    flush()
                }
            }
        }
        flush()
        return words
    }

    /// Arabic writes the article and one-letter conjunctions and prepositions onto the word
    /// ("والسياسية" is "and the political"). A word matches a term word if any of these forms does.
    static func forms(of word: String) -> [String] {
        guard let first = word.unicodeScalars.first, (0x0600...0x06FF).contains(first.value) else { return [word] }
        var forms = [word]
        for prefix in [
            "\u{0648}\u{0627}\u{0644}", "\u{0628}\u{0627}\u{0644}", "\u{0641}\u{0627}\u{0644}",
            "\u{0643}\u{0627}\u{0644}", "\u{0627}\u{0644}", "\u{0644}\u{0644}", "\u{0648}", "\u{0628}", "\u{0644}",
            "\u{0641}", "\u{0643}",
        ]
        where word.hasPrefix(prefix) && word.count - prefix.count >= 2 {
            forms.append(String(word.dropFirst(prefix.count)))
        }
        return forms
    }

    /// The article only, for the words of a term: "رئيس الدولة" is written the way people write it
    /// and matched without its article.
    static func termForm(of word: String) -> String {
        guard let first = word.unicodeScalars.first, (0x0600...0x06FF).contains(first.value) else { return word }
        let article = "\u{0627}\u{0644}"
        return word.hasPrefix(article) && word.count - 2 >= 2 ? String(word.dropFirst(2)) : word
    }
}

/// One configured term, ready to match: its words, each matched whole or, when the term wrote it
/// with a trailing `*`, as a prefix ("politic*" finds political, politics, politician).
struct CompiledTerm: Sendable, Hashable {
    struct Word: Sendable, Hashable {
        let text: String
        let isPrefix: Bool
    }

    let term: String
    let language: LanguageCode
    let words: [Word]

    init?(_ term: String, language: LanguageCode) {
        var words: [Word] = []
        for part in term.split(whereSeparator: \.isWhitespace) {
            let isPrefix = part.hasSuffix("*")
            let folded = FoldedText.words(String(isPrefix ? part.dropLast() : part)).map(FoldedText.termForm)
            for (index, text) in folded.enumerated() {
                words.append(Word(text: text, isPrefix: isPrefix && index == folded.count - 1))
            }
        }
        guard !words.isEmpty else { return nil }
        self.term = term
        self.language = language
        self.words = words
    }

    /// Whether the term occurs in the text, given as the forms of each of its words, in order.
    func occurs(in text: [[String]]) -> Bool {
        guard text.count >= words.count else { return false }
        return (0...(text.count - words.count)).contains { start in
            words.indices.allSatisfy { offset in
                let word = words[offset]
                return text[start + offset].contains { word.isPrefix ? $0.hasPrefix(word.text) : $0 == word.text }
            }
        }
    }
}

/// Terms of every language, matched against a text whatever language it claims: translations
/// and mislabelled texts must not hide an indicator, and a false alarm costs a reviewer a glance.
struct TermList: Sendable {
    let terms: [CompiledTerm]

    init(_ terms: [LanguageCode: [String]]) {
        self.terms = terms.sorted { $0.key < $1.key }.flatMap { language, list in
            list.compactMap { CompiledTerm($0, language: language) }
        }
    }

    func matches(in text: String) -> [CompiledTerm] {
        let forms = FoldedText.words(text).map(FoldedText.forms)
        return terms.filter { $0.occurs(in: forms) }
    }
}
