import ConcordCore

/// A document number known for a person; the issuer may be unknown.
public struct PersonIdentifier: Sendable, Hashable, Codable {
    public var issuer: IssuerCode?
    public var number: String

    public init(issuer: IssuerCode? = nil, number: String) {
        self.issuer = issuer
        self.number = number
    }

    public init(_ document: IdentityDocument) {
        self.init(issuer: document.issuer, number: document.number)
    }

    /// Letters and digits only, uppercased: how numbers are typed differs, the number does not.
    var normalizedNumber: String {
        String(
            number.uppercased().unicodeScalars.filter {
                $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)
            })
    }
}

/// What is known of a person, from a query or a record. Every field may be missing.
public struct PersonDescription: Sendable, Hashable, Codable {
    /// Names in any script and order; aliases and original-script names are further entries.
    public var names: [String]
    public var dateOfBirth: PartialDate?
    public var nationalities: [MemberCode]
    public var sex: Sex?
    public var identifiers: [PersonIdentifier]

    public init(
        names: [String], dateOfBirth: PartialDate? = nil, nationalities: [MemberCode] = [], sex: Sex? = nil,
        identifiers: [PersonIdentifier] = []
    ) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.nationalities = nationalities
        self.sex = sex
        self.identifiers = identifiers
    }

    /// The subject of a notice or diffusion: its Latin name, then its names in original script.
    public init(subject: NoticeSubject) {
        let latin = [subject.forenames, subject.familyName].compactMap { $0 }.joined(separator: " ")
        self.init(
            names: (latin.isEmpty ? [] : [latin]) + subject.namesInOriginalScript, dateOfBirth: subject.dateOfBirth,
            nationalities: subject.nationalities, sex: subject.sex,
            identifiers: subject.identityDocuments.map { PersonIdentifier($0) })
    }
}

/// A description with its names normalised, ready to compare; prepare once, compare many times.
public struct PreparedPerson: Sendable, Hashable {
    public let names: [NormalizedName]
    public let dateOfBirth: PartialDate?
    public let nationalities: [MemberCode]
    public let sex: Sex?
    public let identifiers: [PersonIdentifier]
    let identifierNumbers: [String]

    /// Borrows the description: a copy of it would retain every string and array in it.
    public init(_ description: borrowing PersonDescription) {
        var names: [NormalizedName] = []
        names.reserveCapacity(description.names.count)
        for name in description.names {
            let normalized = NameNormalizer.normalize(name)
            if !normalized.tokens.isEmpty { names.append(normalized) }
        }
        self.init(
            names: names, dateOfBirth: description.dateOfBirth, nationalities: description.nationalities,
            sex: description.sex, identifiers: description.identifiers)
    }

    public init(
        names: [NormalizedName], dateOfBirth: PartialDate?, nationalities: [MemberCode], sex: Sex?,
        identifiers: [PersonIdentifier]
    ) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.nationalities = nationalities
        self.sex = sex
        self.identifiers = identifiers
        identifierNumbers = identifiers.map(\.normalizedNumber)
    }
}

/// What a qualifier (date of birth, nationality, sex, document) did to the score.
public struct QualifierEffect: Sendable, Hashable, Codable {
    public enum Qualifier: String, Sendable, Hashable, Codable {
        case dateOfBirth, nationality, sex, identifier
    }

    public let qualifier: Qualifier
    /// What was found, in words ("exact", "day and month swapped", "different").
    public let finding: String
    public let query: String
    public let candidate: String
    /// Added to the score; negative when the qualifier speaks against the match.
    public let adjustment: Double
}

/// The explanation every score carries.
public struct MatchExplanation: Sendable, Hashable, Codable {
    /// The query name and candidate name that compared best, as written.
    public let queryName: String
    public let candidateName: String
    public let names: NameComparison
    public let qualifiers: [QualifierEffect]
}

/// The verdict on one candidate.
public struct PersonMatch: Sendable, Hashable {
    public let score: Double
    public let match: Bool
    public let threshold: Double
    public let explanation: MatchExplanation

    /// One line an officer can read, also written into the JSON. Made when asked for, because
    /// a search scores many more candidates than it shows.
    public var summary: String {
        PersonMatcher.summary(
            score: score, match: match, threshold: threshold, names: explanation.names, explanation.qualifiers)
    }
}

extension PersonMatch: Codable {
    enum CodingKeys: String, CodingKey {
        case score, match, threshold, explanation, summary
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            score: try container.decode(Double.self, forKey: .score),
            match: try container.decode(Bool.self, forKey: .match),
            threshold: try container.decode(Double.self, forKey: .threshold),
            explanation: try container.decode(MatchExplanation.self, forKey: .explanation))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(score, forKey: .score)
        try container.encode(match, forKey: .match)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(summary, forKey: .summary)
    }
}

/// Scores a candidate person against a query.
///
/// The score starts from the name score scaled to at most `nameCeiling` (0.85): a name alone,
/// however exact, is not proof of identity. Qualifiers then add or remove:
///
/// | qualifier | finding | adjustment |
/// |---|---|---|
/// | date of birth | exact full date | +0.10 |
/// | | agrees to the month (one side partial) | +0.06 |
/// | | agrees on the year (one side a year only) | +0.04 |
/// | | day and month swapped | +0.05 |
/// | | one digit off (or two adjacent digits swapped), full dates on both sides | +0.02 |
/// | | same year, different month or day | −0.20 |
/// | | a year apart | −0.10 |
/// | | different | −0.35 |
/// | nationality | one in common | +0.03 |
/// | | none in common | −0.05 |
/// | sex | same | +0.02 |
/// | | different | −0.15 |
/// | identifier | same document number (issuer equal or unknown) | +0.25 |
///
/// The default threshold, 0.70, is reached by a fully aligned name with nothing against it
/// (0.85), or by a name aligned at 0.82 or better on average: spelling variants, other
/// scripts and a missing middle name pass; one shared name against two scores at most
/// 0.85 × 0.8 × 0.875 ≈ 0.60, and one shared name out of two on each side 0.34. A clearly different date of birth takes an exact name to 0.50 and a
/// same-year different date to 0.65, both below; a document number match lifts even a weak
/// name over it. Screening favours recall, so the threshold may be raised to cut alarms but
/// not set below 0.5, where single shared names start to pass.
public struct PersonMatcher: Sendable {
    public static let defaultThreshold = 0.70
    public static let thresholdLimits: ClosedRange<Double> = 0.5...0.99
    static let nameCeiling = 0.85

    public let threshold: Double

    /// Nil when `threshold` is outside `thresholdLimits`.
    public init?(threshold: Double = defaultThreshold) {
        guard Self.thresholdLimits.contains(threshold) else { return nil }
        self.threshold = threshold
    }

    public func compare(_ query: PreparedPerson, _ candidate: PreparedPerson) -> PersonMatch {
        let best = Self.bestNames(query, candidate)
        // Words for the explanation are made for the best pair of names only.
        let names =
            best.map {
                NameAlignment.comparison(
                    $0.alignment, query.names[$0.query].tokens, candidate.names[$0.candidate].tokens)
            } ?? NameComparison(score: 0, alignments: [], unmatchedQuery: [], unmatchedCandidate: [])
        let qualifiers = Self.qualifiers(query, candidate)
        let raw = Self.nameCeiling * names.score + qualifiers.reduce(0) { $0 + $1.adjustment }
        let score = NameAlignment.rounded(min(1, max(0, raw)))
        let queryName = best.map { query.names[$0.query].text } ?? ""
        let candidateName = best.map { candidate.names[$0.candidate].text } ?? ""
        return PersonMatch(
            score: score, match: score >= threshold, threshold: threshold,
            explanation: MatchExplanation(
                queryName: queryName, candidateName: candidateName, names: names, qualifiers: qualifiers))
    }

    /// The score `compare` gives, without the words of the explanation: a search scores its
    /// whole shortlist this way and explains only the candidates it returns.
    func score(_ query: PreparedPerson, _ candidate: PreparedPerson) -> Double {
        let names = Self.bestNames(query, candidate)?.alignment.score ?? 0
        let raw = Self.nameCeiling * names + Self.adjustment(query, candidate)
        return NameAlignment.rounded(min(1, max(0, raw)))
    }

    /// The pair of names, one from each side, that align best.
    static func bestNames(
        _ query: PreparedPerson, _ candidate: PreparedPerson
    ) -> (alignment: NameAlignment.Alignment, query: Int, candidate: Int)? {
        var best: (alignment: NameAlignment.Alignment, query: Int, candidate: Int)?
        for (q, queryName) in query.names.enumerated() {
            for (c, candidateName) in candidate.names.enumerated() {
                let alignment = NameAlignment.align(queryName.tokens, candidateName.tokens)
                if alignment.score > best?.alignment.score ?? -1 { best = (alignment, q, c) }
            }
        }
        return best
    }

    /// The sum of the qualifiers' adjustments, in the order `qualifiers` lists them, so that
    /// `score` and `compare` agree to the last bit.
    static func adjustment(_ query: PreparedPerson, _ candidate: PreparedPerson) -> Double {
        var total = 0.0
        if let left = query.dateOfBirth, let right = candidate.dateOfBirth {
            total += DateOfBirthComparison.compare(left, right).adjustment
        }
        if !query.nationalities.isEmpty && !candidate.nationalities.isEmpty {
            let shared = query.nationalities.contains { candidate.nationalities.contains($0) }
            total += shared ? 0.03 : -0.05
        }
        if let left = query.sex, let right = candidate.sex, left != .unknown, right != .unknown {
            total += left == right ? 0.02 : -0.15
        }
        if sharesIdentifier(query, candidate) { total += 0.25 }
        return total
    }

    static func sharesIdentifier(_ query: PreparedPerson, _ candidate: PreparedPerson) -> Bool {
        guard !query.identifierNumbers.isEmpty, !candidate.identifierNumbers.isEmpty else { return false }
        for (index, number) in query.identifierNumbers.enumerated() where !number.isEmpty {
            let issuer = query.identifiers[index].issuer
            for other in candidate.identifierNumbers.indices where candidate.identifierNumbers[other] == number {
                let otherIssuer = candidate.identifiers[other].issuer
                if issuer == nil || otherIssuer == nil || issuer == otherIssuer { return true }
            }
        }
        return false
    }

    static func qualifiers(_ query: PreparedPerson, _ candidate: PreparedPerson) -> [QualifierEffect] {
        var effects: [QualifierEffect] = []
        effects.reserveCapacity(4)
        if let left = query.dateOfBirth, let right = candidate.dateOfBirth {
            let (finding, adjustment) = DateOfBirthComparison.compare(left, right)
            effects.append(
                QualifierEffect(
                    qualifier: .dateOfBirth, finding: finding, query: left.description, candidate: right.description,
                    adjustment: adjustment))
        }
        if !query.nationalities.isEmpty && !candidate.nationalities.isEmpty {
            let shared = query.nationalities.contains { candidate.nationalities.contains($0) }
            effects.append(
                QualifierEffect(
                    qualifier: .nationality, finding: shared ? "one in common" : "none in common",
                    query: listed(query.nationalities), candidate: listed(candidate.nationalities),
                    adjustment: shared ? 0.03 : -0.05))
        }
        if let left = query.sex, let right = candidate.sex, left != .unknown, right != .unknown {
            effects.append(
                QualifierEffect(
                    qualifier: .sex, finding: left == right ? "same" : "different", query: left.publicID,
                    candidate: right.publicID, adjustment: left == right ? 0.02 : -0.15))
        }
        for (index, number) in query.identifierNumbers.enumerated() where !number.isEmpty {
            let issuer = query.identifiers[index].issuer
            let found = candidate.identifierNumbers.indices.first { other in
                let otherIssuer = candidate.identifiers[other].issuer
                return candidate.identifierNumbers[other] == number
                    && (issuer == nil || otherIssuer == nil || issuer == otherIssuer)
            }
            if let found {
                effects.append(
                    QualifierEffect(
                        qualifier: .identifier, finding: "same document number", query: number,
                        candidate: candidate.identifierNumbers[found], adjustment: 0.25))
                break
            }
        }
        return effects
    }

    /// Member codes as an explanation lists them; most people have one nationality.
    static func listed(_ members: [MemberCode]) -> String {
        members.count == 1 ? members[0].rawValue : members.map(\.rawValue).joined(separator: ",")
    }

    static func summary(
        score: Double, match: Bool, threshold: Double, names: NameComparison, _ qualifiers: [QualifierEffect]
    ) -> String {
        func signed(_ value: Double) -> String {
            (value >= 0 ? "+" : "−") + decimal(abs(value))
        }
        var parts = ["\(match ? "MATCH" : "no match") \(decimal(score)) (threshold \(decimal(threshold)))"]
        var nameParts = names.alignments.map { alignment in
            let kind =
                alignment.kind == .exact ? "exact" : "\(alignment.kind.rawValue) \(decimal(alignment.similarity))"
            return "\(alignment.query.joined(separator: " ")) ~ \(alignment.candidate.joined(separator: " ")) \(kind)"
        }
        if !names.unmatchedQuery.isEmpty {
            nameParts.append("unmatched in query: \(names.unmatchedQuery.joined(separator: " "))")
        }
        if !names.unmatchedCandidate.isEmpty {
            nameParts.append("unmatched in candidate: \(names.unmatchedCandidate.joined(separator: " "))")
        }
        parts.append(
            "names \(decimal(names.score)): "
                + (nameParts.isEmpty ? "nothing aligned" : nameParts.joined(separator: ", ")))
        for effect in qualifiers {
            let label =
                switch effect.qualifier {
                case .dateOfBirth: "date of birth"
                case .nationality: "nationality"
                case .sex: "sex"
                case .identifier: "document"
                }
            parts.append(
                "\(label) \(effect.query) vs \(effect.candidate) \(effect.finding) \(signed(effect.adjustment))")
        }
        return parts.joined(separator: "; ")
    }

    /// Two decimals, without Foundation formatting.
    static func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Dates of birth compared as police records get them wrong: partial, swapped, mistyped.
enum DateOfBirthComparison {
    static func compare(_ left: PartialDate, _ right: PartialDate) -> (finding: String, adjustment: Double) {
        if left.isCompatible(with: right) {
            let precision = min(
                left.day != nil ? 3 : left.month != nil ? 2 : 1, right.day != nil ? 3 : right.month != nil ? 2 : 1)
            switch precision {
            case 3: return ("exact", 0.10)
            case 2: return ("agrees to the month", 0.06)
            default: return ("agrees on the year", 0.04)
            }
        }
        if left.year == right.year, let leftMonth = left.month, let leftDay = left.day, let rightMonth = right.month,
            let rightDay = right.day, leftMonth == rightDay, leftDay == rightMonth
        {
            return ("day and month swapped", 0.05)
        }
        // A typing error is plausible where the rest of a full date agrees. Between years alone
        // a digit off is decades (1940, 1980), and between a year and month alone it is mostly
        // the next month: as likely another person.
        if let leftDigits = digits(left), let rightDigits = digits(right), oneTypingError(leftDigits, rightDigits) {
            return ("one digit off", 0.02)
        }
        if left.year == right.year { return ("same year, different date", -0.20) }
        return abs(left.year - right.year) == 1 ? ("a year apart", -0.10) : ("different", -0.35)
    }

    /// The eight digits of a full date, YYYYMMDD; nil for a partial one.
    static func digits(_ date: PartialDate) -> SIMD8<UInt8>? {
        guard let month = date.month, let day = date.day else { return nil }
        var digits = SIMD8<UInt8>()
        var value = date.year * 10_000 + month * 100 + day
        for position in (0..<8).reversed() {
            digits[position] = UInt8(value % 10)
            value /= 10
        }
        return digits
    }

    /// One digit different, or two adjacent digits swapped.
    static func oneTypingError(_ left: SIMD8<UInt8>, _ right: SIMD8<UInt8>) -> Bool {
        var differences: (first: Int, second: Int, count: Int) = (0, 0, 0)
        for position in 0..<8 where left[position] != right[position] {
            if differences.count == 0 { differences.first = position } else { differences.second = position }
            differences.count += 1
        }
        if differences.count == 1 { return true }
        let (first, second) = (differences.first, differences.second)
        guard differences.count == 2, second == first + 1 else { return false }
        return left[first] == right[second] && left[second] == right[first]
    }
}
