/// The STIX 2.1 patterning language (part 9 of the specification), checked by a recursive
/// descent parser. Indicators whose `pattern_type` is `stix` must carry a pattern that
/// parses; the comparisons it holds are kept so that correlation can read plain equality
/// tests (`[ipv4-addr:value = '198.51.100.7']`) as observable values.
public struct STIXPattern: Sendable, Hashable {
    /// One `object-path operator value` test.
    public struct Comparison: Sendable, Hashable {
        public var objectType: String
        /// The path after the colon, as written: `value`, `hashes.'SHA-256'`, `extensions.x[*].y`.
        public var path: String
        public var `operator`: String
        public var negated: Bool
        /// String values unquoted; other values as written.
        public var values: [String]
    }

    public let comparisons: [Comparison]

    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Offset in Unicode scalars (characters, for the ASCII the grammar is written in) from
        /// the start of the pattern.
        public var position: Int
        public var reason: String
        public var description: String { "pattern, character \(position + 1): \(reason)" }
    }

    public init(_ text: String) throws(SyntaxError) {
        var parser = Parser(tokens: try Lexer.tokens(of: text), end: text.unicodeScalars.count)
        try parser.observationExpressions()
        guard parser.atEnd else { throw parser.error("unexpected \(parser.current.text) after the pattern") }
        comparisons = parser.comparisons
    }

    // MARK: - Tokens

    enum Kind: Equatable {
        case word, string, integer, float, timestamp, hex, binary, symbol
    }

    struct Token {
        var kind: Kind
        var text: String
        var position: Int
    }

    /// Reads Unicode scalars rather than characters: the pattern's syntax is ASCII, and
    /// grapheme breaking costs more than the rest of validating an indicator.
    enum Lexer {
        typealias Scalars = [Unicode.Scalar]
        static let symbols: [[Unicode.Scalar]] = [
            "<=", ">=", "!=", "=", "<", ">", "[", "]", "(", ")", ":", ".", ",", "*",
        ]
        .map { Array($0.unicodeScalars) }

        static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII
                ? (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") : scalar.properties.isAlphabetic
        }

        static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

        static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r"
                || (!scalar.isASCII && scalar.properties.isWhitespace)
        }

        static func tokens(of text: String) throws(SyntaxError) -> [Token] {
            let scalars = Array(text.unicodeScalars)
            var tokens: [Token] = []
            var index = 0
            func fail(_ reason: String) -> SyntaxError { SyntaxError(position: index, reason: reason) }
            func slice(_ range: Range<Int>) -> String {
                var result = ""
                result.unicodeScalars.append(contentsOf: scalars[range])
                return result
            }
            func next(is scalar: Unicode.Scalar) -> Bool { index + 1 < scalars.count && scalars[index + 1] == scalar }
            while index < scalars.count {
                let scalar = scalars[index]
                let start = index
                if isWhitespace(scalar) {
                    index += 1
                } else if scalar == "t" || scalar == "b" || scalar == "h", next(is: "'") {
                    index += 1
                    let body = try quoted(scalars, &index)
                    let kind: Kind = scalar == "t" ? .timestamp : scalar == "h" ? .hex : .binary
                    tokens.append(Token(kind: kind, text: body, position: start))
                } else if scalar == "'" {
                    tokens.append(Token(kind: .string, text: try quoted(scalars, &index), position: start))
                } else if isLetter(scalar) || scalar == "_" {
                    while index < scalars.count,
                        isLetter(scalars[index]) || isDigit(scalars[index]) || scalars[index] == "_"
                            || scalars[index] == "-"
                    {
                        index += 1
                    }
                    tokens.append(Token(kind: .word, text: slice(start..<index), position: start))
                } else if isDigit(scalar)
                    || ((scalar == "+" || scalar == "-") && index + 1 < scalars.count
                        && isDigit(scalars[index + 1]))
                {
                    index += 1
                    var isFloat = false
                    while index < scalars.count, isDigit(scalars[index]) || scalars[index] == "." {
                        if scalars[index] == "." {
                            guard !isFloat else { throw fail("a number has two decimal points") }
                            isFloat = true
                        }
                        index += 1
                    }
                    tokens.append(Token(kind: isFloat ? .float : .integer, text: slice(start..<index), position: start))
                } else if let symbol = symbols.first(where: { symbol in
                    index + symbol.count <= scalars.count
                        && scalars[index..<(index + symbol.count)].elementsEqual(symbol)
                }) {
                    index += symbol.count
                    tokens.append(Token(kind: .symbol, text: slice(start..<index), position: start))
                } else {
                    throw fail("unexpected character '\(scalar)'")
                }
            }
            return tokens
        }

        /// A single-quoted string starting at `index`, with `\'` and `\\` escapes.
        static func quoted(_ scalars: Scalars, _ index: inout Int) throws(SyntaxError) -> String {
            let start = index
            index += 1
            var body = String.UnicodeScalarView()
            while index < scalars.count {
                switch scalars[index] {
                case "'":
                    index += 1
                    return String(body)
                case "\\":
                    guard index + 1 < scalars.count, scalars[index + 1] == "'" || scalars[index + 1] == "\\" else {
                        throw SyntaxError(position: index, reason: "only \\' and \\\\ may be escaped in a string")
                    }
                    body.append(scalars[index + 1])
                    index += 2
                default:
                    body.append(scalars[index])
                    index += 1
                }
            }
            throw SyntaxError(position: start, reason: "a string is not closed")
        }
    }

    // MARK: - Grammar

    struct Parser {
        var tokens: [Token]
        var end: Int
        var index = 0
        var comparisons: [Comparison] = []

        var atEnd: Bool { index >= tokens.count }
        var current: Token { atEnd ? Token(kind: .symbol, text: "the end", position: end) : tokens[index] }

        func error(_ reason: String) -> SyntaxError { SyntaxError(position: current.position, reason: reason) }

        func isKeyword(_ word: String) -> Bool { current.kind == .word && current.text == word }
        func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol && current.text == symbol }

        mutating func expectSymbol(_ symbol: String) throws(SyntaxError) {
            guard isSymbol(symbol) else { throw error("expected '\(symbol)', found \(current.text)") }
            index += 1
        }

        mutating func expectKeyword(_ word: String) throws(SyntaxError) {
            guard isKeyword(word) else { throw error("expected \(word), found \(current.text)") }
            index += 1
        }

        mutating func observationExpressions() throws(SyntaxError) {
            try observationOr()
            while isKeyword("FOLLOWEDBY") {
                index += 1
                try observationOr()
            }
        }

        mutating func observationOr() throws(SyntaxError) {
            try observationAnd()
            while isKeyword("OR") {
                index += 1
                try observationAnd()
            }
        }

        mutating func observationAnd() throws(SyntaxError) {
            try observation()
            while isKeyword("AND") {
                index += 1
                try observation()
            }
        }

        mutating func observation() throws(SyntaxError) {
            if isSymbol("[") {
                index += 1
                try comparisonOr()
                try expectSymbol("]")
            } else if isSymbol("(") {
                index += 1
                try observationExpressions()
                try expectSymbol(")")
            } else {
                throw error("expected an observation expression in '[ ]', found \(current.text)")
            }
            try qualifiers()
        }

        mutating func qualifiers() throws(SyntaxError) {
            while true {
                if isKeyword("START") {
                    index += 1
                    try literal(.timestamp, "a timestamp t'…' after START")
                    try expectKeyword("STOP")
                    try literal(.timestamp, "a timestamp t'…' after STOP")
                } else if isKeyword("WITHIN") {
                    index += 1
                    guard current.kind == .integer || current.kind == .float, (Double(current.text) ?? 0) > 0 else {
                        throw error("WITHIN takes a positive number of seconds")
                    }
                    index += 1
                    try expectKeyword("SECONDS")
                } else if isKeyword("REPEATS") {
                    index += 1
                    guard current.kind == .integer, (Int(current.text) ?? 0) > 0 else {
                        throw error("REPEATS takes a positive whole number")
                    }
                    index += 1
                    try expectKeyword("TIMES")
                } else {
                    return
                }
            }
        }

        mutating func literal(_ kind: Kind, _ what: String) throws(SyntaxError) {
            guard current.kind == kind else { throw error("expected \(what), found \(current.text)") }
            if kind == .timestamp, STIXTimestamp(current.text) == nil {
                throw error("'\(current.text)' is not an RFC 3339 UTC timestamp")
            }
            index += 1
        }

        mutating func comparisonOr() throws(SyntaxError) {
            try comparisonAnd()
            while isKeyword("OR") {
                index += 1
                try comparisonAnd()
            }
        }

        mutating func comparisonAnd() throws(SyntaxError) {
            try propositionTest()
            while isKeyword("AND") {
                index += 1
                try propositionTest()
            }
        }

        mutating func propositionTest() throws(SyntaxError) {
            if isSymbol("(") {
                index += 1
                try comparisonOr()
                try expectSymbol(")")
                return
            }
            if isKeyword("EXISTS") {
                index += 1
                _ = try objectPath()
                return
            }
            let (type, path) = try objectPath()
            var negated = false
            if isKeyword("NOT") {
                negated = true
                index += 1
            }
            let op = current.text
            var values: [String] = []
            switch (current.kind, op) {
            case (.symbol, "="), (.symbol, "!="):
                index += 1
                values = [try value(orderable: false)]
            case (.symbol, "<"), (.symbol, "<="), (.symbol, ">"), (.symbol, ">="):
                index += 1
                values = [try value(orderable: true)]
            case (.word, "IN"):
                index += 1
                try expectSymbol("(")
                values.append(try value(orderable: false))
                while isSymbol(",") {
                    index += 1
                    values.append(try value(orderable: false))
                }
                try expectSymbol(")")
            case (.word, "LIKE"), (.word, "MATCHES"), (.word, "ISSUBSET"), (.word, "ISSUPERSET"):
                index += 1
                guard current.kind == .string else { throw error("\(op) takes a string") }
                if op == "MATCHES", (try? Regex(current.text)) == nil {
                    throw error("'\(current.text)' is not a regular expression")
                }
                values = [current.text]
                index += 1
            default:
                throw error("expected a comparison operator, found \(current.text)")
            }
            comparisons.append(Comparison(objectType: type, path: path, operator: op, negated: negated, values: values))
        }

        mutating func value(orderable: Bool) throws(SyntaxError) -> String {
            let token = current
            switch token.kind {
            case .string, .integer, .float, .binary:
                break
            case .timestamp:
                guard STIXTimestamp(token.text) != nil else {
                    throw error("'\(token.text)' is not an RFC 3339 UTC timestamp")
                }
            case .hex:
                guard token.text.count.isMultiple(of: 2), token.text.allSatisfy(\.isHexDigit) else {
                    throw error("h'\(token.text)' is not an even number of hexadecimal digits")
                }
            case .word where !orderable && (token.text == "true" || token.text == "false"):
                break
            default:
                throw error("expected a \(orderable ? "string, number or time" : "value"), found \(token.text)")
            }
            index += 1
            return token.text
        }

        /// `object-type:property(.property|[index])*`.
        mutating func objectPath() throws(SyntaxError) -> (type: String, path: String) {
            guard current.kind == .word, STIXIdentifier.isValidType(current.text) else {
                throw error("expected an object type such as ipv4-addr, found \(current.text)")
            }
            let type = current.text
            index += 1
            try expectSymbol(":")
            var path = try pathComponent()
            while true {
                if isSymbol(".") {
                    index += 1
                    path += "." + (try pathComponent())
                } else if isSymbol("[") {
                    index += 1
                    guard current.kind == .integer || isSymbol("*") else {
                        throw error("a list index is a whole number or *")
                    }
                    path += "[\(current.text)]"
                    index += 1
                    try expectSymbol("]")
                } else {
                    return (type, path)
                }
            }
        }

        mutating func pathComponent() throws(SyntaxError) -> String {
            switch current.kind {
            case .word:
                defer { index += 1 }
                return current.text
            case .string:
                defer { index += 1 }
                return "'\(current.text)'"
            default:
                throw error("expected a property name, found \(current.text)")
            }
        }
    }
}
