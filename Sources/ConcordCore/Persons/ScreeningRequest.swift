/// A document number the screened person holds; the issuer and type may be unknown.
public struct ScreeningDocument: Sendable, Hashable, Codable {
    public var issuer: IssuerCode?
    public var type: DocumentType?
    public var number: String

    public init(issuer: IssuerCode? = nil, type: DocumentType? = nil, number: String) {
        self.issuer = issuer
        self.type = type
        self.number = number
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer, type, number
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decodeIfPresent(IssuerCode.self, forKey: .issuer)
        type = try container.decodeIfPresent(DocumentType.self, forKey: .type)
        number = try container.decode(String.self, forKey: .number)
    }
}

/// One person to screen: what a border officer reads from a passport or a passenger list.
public struct ScreeningQuery: Sendable, Hashable, Codable {
    /// Names in any script and order; several for aliases or the same name in two scripts.
    public var names: [String]
    public var dateOfBirth: PartialDate?
    public var nationality: MemberCode?
    public var sex: Sex?
    public var documents: [ScreeningDocument]
    /// The caller's own label for the query (a seat, a line of a list), given back with its results.
    public var reference: String?

    public init(
        names: [String], dateOfBirth: PartialDate? = nil, nationality: MemberCode? = nil, sex: Sex? = nil,
        documents: [ScreeningDocument] = [], reference: String? = nil
    ) {
        self.names = names
        self.dateOfBirth = dateOfBirth
        self.nationality = nationality
        self.sex = sex
        self.documents = documents
        self.reference = reference
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case names, dateOfBirth, nationality, sex, documents, reference
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        try self.init(decoder.container(keyedBy: CodingKeys.self))
    }

    init(_ container: KeyedDecodingContainer<CodingKeys>) throws {
        names = try container.decode([String].self, forKey: .names)
        dateOfBirth = try container.decodeIfPresent(PartialDate.self, forKey: .dateOfBirth)
        nationality = try container.decodeIfPresent(MemberCode.self, forKey: .nationality)
        sex = try container.decodeIfPresent(Sex.self, forKey: .sex)
        documents = try container.list(ScreeningDocument.self, forKey: .documents)
        reference = try container.decodeIfPresent(String.self, forKey: .reference)
    }
}

/// What a caller may tune: the threshold of the `match` verdict, and how many candidates come back.
public struct ScreeningOptions: Sendable, Hashable {
    public var threshold: Double?
    public var limit: Int?

    public init(threshold: Double? = nil, limit: Int? = nil) {
        self.threshold = threshold
        self.limit = limit
    }
}

/// `POST /v1/screening/persons`: one query, its fields at the top level with the options.
public struct ScreeningRequest: Sendable, Hashable, Decodable {
    public var query: ScreeningQuery
    public var options: ScreeningOptions

    public init(query: ScreeningQuery, options: ScreeningOptions = .init()) {
        self.query = query
        self.options = options
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case names, dateOfBirth, nationality, sex, documents, reference, threshold, limit
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        query = try ScreeningQuery(decoder.container(keyedBy: ScreeningQuery.CodingKeys.self))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        options = ScreeningOptions(
            threshold: try container.decodeIfPresent(Double.self, forKey: .threshold),
            limit: try container.decodeIfPresent(Int.self, forKey: .limit))
    }
}

/// `POST /v1/screening/persons/batch`: a passenger list, with options for every query.
public struct ScreeningBatchRequest: Sendable, Hashable, Decodable {
    public var queries: [ScreeningQuery]
    public var options: ScreeningOptions

    public init(queries: [ScreeningQuery], options: ScreeningOptions = .init()) {
        self.queries = queries
        self.options = options
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case queries, threshold, limit
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        queries = try container.decode([ScreeningQuery].self, forKey: .queries)
        options = ScreeningOptions(
            threshold: try container.decodeIfPresent(Double.self, forKey: .threshold),
            limit: try container.decodeIfPresent(Int.self, forKey: .limit))
    }
}

/// The limits of screening requests, checked before any index is touched.
public enum Screening {
    public static let maximumBatch = 500
    public static let maximumNames = 10
    public static let maximumNameLength = 200
    public static let maximumDocuments = 10
    public static let defaultLimit = 10
    public static let maximumLimit = 50

    /// Every field at fault in the queries and options; `thresholdLimits` are the matcher's.
    public static func validate(
        _ queries: [ScreeningQuery], _ options: ScreeningOptions, thresholdLimits: ClosedRange<Double>,
        prefix: (Int) -> String
    ) throws(ValidationFailure) {
        var issues: [FieldIssue] = []
        if let threshold = options.threshold, !thresholdLimits.contains(threshold) {
            issues.append(
                FieldIssue(
                    "threshold",
                    "\(threshold) is outside the matcher's limits \(thresholdLimits.lowerBound) to "
                        + "\(thresholdLimits.upperBound)"))
        }
        if let limit = options.limit, !(1...maximumLimit).contains(limit) {
            issues.append(FieldIssue("limit", "between 1 and \(maximumLimit) candidates per query"))
        }
        for (position, query) in queries.enumerated() {
            let at = prefix(position)
            if query.names.isEmpty { issues.append(FieldIssue("\(at)names", "at least one name")) }
            if query.names.count > maximumNames {
                issues.append(FieldIssue("\(at)names", "at most \(maximumNames) names"))
            }
            for (index, name) in query.names.enumerated() {
                if !name.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
                    issues.append(FieldIssue("\(at)names[\(index)]", "a name needs at least one letter"))
                } else if name.count > maximumNameLength {
                    issues.append(FieldIssue("\(at)names[\(index)]", "at most \(maximumNameLength) characters"))
                }
            }
            if query.documents.count > maximumDocuments {
                issues.append(FieldIssue("\(at)documents", "at most \(maximumDocuments) documents"))
            }
            for (index, document) in query.documents.enumerated() {
                do {
                    _ = try DocumentKey.normalize(number: document.number)
                } catch .invalid(_, let reason) {
                    issues.append(FieldIssue("\(at)documents[\(index)].number", reason))
                } catch {
                    issues.append(FieldIssue("\(at)documents[\(index)].number", "\(error)"))
                }
            }
            if let reference = query.reference, reference.count > 100 {
                issues.append(FieldIssue("\(at)reference", "at most 100 characters"))
            }
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}
