/// Sex as recorded on notices; the public notices API writes it `M`, `F` or `U`.
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    case male
    case female
    case unknown

    public var publicID: String {
        switch self {
        case .male: "M"
        case .female: "F"
        case .unknown: "U"
        }
    }
}

/// An identity document a subject holds, keyed as travel documents are, so that its number
/// becomes checkable at borders like any recorded document.
public struct IdentityDocument: Sendable, Hashable, Codable {
    public var issuer: IssuerCode
    public var type: DocumentType
    public var number: String

    public init(issuer: IssuerCode, type: DocumentType, number: String) {
        self.issuer = issuer
        self.type = type
        self.number = number
    }

    public var key: DocumentKey {
        get throws(DomainError) { try DocumentKey(issuer: issuer, type: type, number: number) }
    }
}

/// A person a notice or diffusion is about: the particulars other police need to recognise them.
/// Every field may be missing in a request; which ones a notice needs depends on its type.
public struct NoticeSubject: Sendable, Hashable, Codable {
    public var familyName: String?
    public var forenames: String?
    /// The names as written in the person's own script (Arabic, Cyrillic, Han, ...).
    public var namesInOriginalScript: [String]
    public var dateOfBirth: PartialDate?
    public var placeOfBirth: String?
    public var sex: Sex?
    public var nationalities: [MemberCode]
    public var identityDocuments: [IdentityDocument]
    /// Scars, tattoos and other features that tell the person apart.
    public var distinguishingMarks: [String]

    public init(
        familyName: String? = nil, forenames: String? = nil, namesInOriginalScript: [String] = [],
        dateOfBirth: PartialDate? = nil, placeOfBirth: String? = nil, sex: Sex? = nil,
        nationalities: [MemberCode] = [], identityDocuments: [IdentityDocument] = [],
        distinguishingMarks: [String] = []
    ) {
        self.familyName = familyName
        self.forenames = forenames
        self.namesInOriginalScript = namesInOriginalScript
        self.dateOfBirth = dateOfBirth
        self.placeOfBirth = placeOfBirth
        self.sex = sex
        self.nationalities = nationalities
        self.identityDocuments = identityDocuments
        self.distinguishingMarks = distinguishingMarks
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case familyName, forenames, namesInOriginalScript, dateOfBirth, placeOfBirth, sex, nationalities
        case identityDocuments, distinguishingMarks
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        familyName = try container.decodeIfPresent(String.self, forKey: .familyName)
        forenames = try container.decodeIfPresent(String.self, forKey: .forenames)
        namesInOriginalScript = try container.list(String.self, forKey: .namesInOriginalScript)
        dateOfBirth = try container.decodeIfPresent(PartialDate.self, forKey: .dateOfBirth)
        placeOfBirth = try container.decodeIfPresent(String.self, forKey: .placeOfBirth)
        sex = try container.decodeIfPresent(Sex.self, forKey: .sex)
        nationalities = try container.list(MemberCode.self, forKey: .nationalities)
        identityDocuments = try container.list(IdentityDocument.self, forKey: .identityDocuments)
        distinguishingMarks = try container.list(String.self, forKey: .distinguishingMarks)
    }
}

extension KeyedDecodingContainer {
    /// A list that may be left out of a request, meaning none.
    func list<Element: Decodable>(_: Element.Type, forKey key: Key) throws -> [Element] {
        try decodeIfPresent([Element].self, forKey: key) ?? []
    }
}
