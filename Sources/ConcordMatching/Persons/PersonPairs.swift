import ConcordCore

/// One row of a pairs file: two person descriptions, and for labelled sets what is known of them.
public struct PersonPair: Sendable, Hashable {
    public var a: PersonDescription
    public var b: PersonDescription
    /// True for the same person, false for different people; nil when the file has no label.
    public var label: Bool?
    /// The kind of difficulty the pair tests (`cross_script`, `typo`, ...); empty when absent.
    public var category: String
    /// The row as read, by column name, so further columns can be carried through.
    public var fields: [String: String]

    public init(
        a: PersonDescription, b: PersonDescription, label: Bool? = nil, category: String = "",
        fields: [String: String] = [:]
    ) {
        self.a = a
        self.b = b
        self.label = label
        self.category = category
        self.fields = fields
    }
}

/// Reads pairs of person descriptions from CSV text (RFC 4180: quoted fields, doubled quotes,
/// commas and line breaks inside quotes). The header names the columns `name_a, dob_a,
/// nationality_a, sex_a, name_b, dob_b, nationality_b, sex_b`, empty where unknown, and
/// optionally `label` (1/0, match/non-match, true/false) and `category`; other columns are kept
/// in `fields`. A name cell may hold several names separated by `;` (aliases). Dates are
/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; nationalities ISO alpha-3 member codes (several separated
/// by `;`); sex `M`, `F`, `male` or `female`.
public enum PersonPairsCSV {
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// 1 for the header, 2 for the first pair.
        public let line: Int
        public let column: String
        public let detail: String
        public var description: String { "line \(line), column \(column): \(detail)" }
    }

    public static let requiredColumns = [
        "name_a", "dob_a", "nationality_a", "sex_a", "name_b", "dob_b", "nationality_b", "sex_b",
    ]

    public static func parse(_ text: String) throws(Problem) -> [PersonPair] {
        let records = rows(text)
        guard let header = records.first else { throw Problem(line: 1, column: "", detail: "no header row") }
        let names = header.map { $0.trimmingSpaces.lowercased() }
        for column in requiredColumns where !names.contains(column) {
            throw Problem(line: 1, column: column, detail: "missing column")
        }
        var pairs: [PersonPair] = []
        for (offset, record) in records.dropFirst().enumerated() {
            let line = offset + 2
            if record.count == 1 && record[0].trimmingSpaces.isEmpty { continue }
            guard record.count == names.count else {
                throw Problem(
                    line: line, column: "", detail: "\(record.count) fields where the header has \(names.count)")
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(names, record) { fields[name] = value }
            func person(_ side: String) throws(Problem) -> PersonDescription {
                let names = (fields["name_\(side)"] ?? "").split(separator: ";").map { String($0).trimmingSpaces }
                    .filter { !$0.isEmpty }
                var description = PersonDescription(names: names)
                let dob = (fields["dob_\(side)"] ?? "").trimmingSpaces
                if !dob.isEmpty {
                    guard let date = PartialDate(dob) else {
                        throw Problem(line: line, column: "dob_\(side)", detail: "not YYYY, YYYY-MM or YYYY-MM-DD")
                    }
                    description.dateOfBirth = date
                }
                for code in (fields["nationality_\(side)"] ?? "").split(separator: ";") {
                    let code = String(code).trimmingSpaces
                    if code.isEmpty { continue }
                    guard let member = MemberCode(code) else {
                        throw Problem(line: line, column: "nationality_\(side)", detail: "unknown member code \(code)")
                    }
                    description.nationalities.append(member)
                }
                switch (fields["sex_\(side)"] ?? "").trimmingSpaces.lowercased() {
                case "": break
                case "m", "male": description.sex = .male
                case "f", "female": description.sex = .female
                case "u", "unknown": description.sex = .unknown
                default: throw Problem(line: line, column: "sex_\(side)", detail: "not M, F or U")
                }
                return description
            }
            var label: Bool?
            if let value = fields["label"]?.trimmingSpaces.lowercased(), !value.isEmpty {
                switch value {
                case "1", "match", "true", "yes": label = true
                case "0", "non-match", "nonmatch", "no-match", "false", "no": label = false
                default: throw Problem(line: line, column: "label", detail: "not 1 or 0")
                }
            }
            pairs.append(
                PersonPair(
                    a: try person("a"), b: try person("b"), label: label,
                    category: fields["category"]?.trimmingSpaces ?? "", fields: fields))
        }
        return pairs
    }

    /// The fields of each record.
    static func rows(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [Unicode.Scalar] = []
        var quoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        if pending == "\u{FEFF}" { pending = scalars.next() }
        func endField() {
            var string = ""
            string.unicodeScalars.append(contentsOf: field)
            record.append(string)
            field.removeAll(keepingCapacity: true)
        }
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = scalars.next()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": endField()
            case "\r": continue
            case "\n":
                endField()
                records.append(record)
                record = []
            default: field.append(scalar)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}

/// Precision, recall and F1 of match verdicts against labels.
public struct PairMetrics: Sendable, Hashable, Codable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0

    public init() {}

    public var count: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    public var f1: Double {
        let (p, r) = (precision, recall)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    public mutating func record(label: Bool, match: Bool) {
        switch (label, match) {
        case (true, true): truePositives += 1
        case (false, true): falsePositives += 1
        case (true, false): falseNegatives += 1
        case (false, false): trueNegatives += 1
        }
    }
}

/// Scores labelled pairs and counts, overall and per category.
public struct PairEvaluation: Sendable {
    public var overall = PairMetrics()
    /// By category, in order of first appearance.
    public var categories: [(name: String, metrics: PairMetrics)] = []
    /// Each pair's result, in file order.
    public var matches: [PersonMatch] = []

    public init() {}

    public init(pairs: [PersonPair], matcher: PersonMatcher) {
        var indexByCategory: [String: Int] = [:]
        matches.reserveCapacity(pairs.count)
        for pair in pairs {
            let match = matcher.compare(PreparedPerson(pair.a), PreparedPerson(pair.b))
            matches.append(match)
            guard let label = pair.label else { continue }
            overall.record(label: label, match: match.match)
            let index =
                indexByCategory[pair.category]
                ?? {
                    categories.append((pair.category, PairMetrics()))
                    indexByCategory[pair.category] = categories.count - 1
                    return categories.count - 1
                }()
            categories[index].metrics.record(label: label, match: match.match)
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
