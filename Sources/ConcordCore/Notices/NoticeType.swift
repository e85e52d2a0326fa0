/// The colour-coded notices a member may ask the General Secretariat to publish.
public enum NoticeType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Locate and provisionally arrest a person wanted for prosecution or to serve a sentence.
    case red
    /// Locate a missing person, or identify someone unable to identify themselves.
    case yellow
    /// Locate, identify or obtain information on a person of interest in an investigation.
    case blue
    /// Identify an unidentified body.
    case black
    /// Warn about a person's criminal activities where that person is likely to offend again.
    case green
    /// Warn of an event, object or process that is a serious and imminent threat.
    case orange
    /// Share a modus operandi, objects, devices or concealment methods used by criminals.
    case purple
    /// Locate, identify and obtain information on assets linked to crime.
    case silver
    /// Individuals and entities subject to sanctions of the UN Security Council.
    case unSpecial = "un-special"

    /// The purpose of processing the notice serves, carried by its envelope.
    public var purpose: Purpose {
        switch self {
        case .red: .wantedPerson
        case .yellow: .missingPerson
        case .blue: .investigation
        case .black: .identification
        case .green, .orange, .unSpecial: .alert
        case .purple: .crimeAnalysis
        case .silver: .assetRecovery
        }
    }

    /// Types whose extracts the public notices API publishes. Every other type stays among police.
    public var mayBePublic: Bool {
        switch self {
        case .red, .yellow, .unSpecial: true
        case .blue, .black, .green, .orange, .purple, .silver: false
        }
    }
}

/// An ISO 639-1 language code, always lowercase ("en", "fr", "es", "ar").
public struct LanguageCode: RawRepresentable, Sendable, Hashable, Comparable, Codable, CodingKeyRepresentable,
    CustomStringConvertible
{
    public let rawValue: String

    /// Two ASCII letters in any case; nil otherwise.
    public init?(rawValue: String) {
        guard rawValue.utf8.count == 2, rawValue.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return nil }
        self.rawValue = rawValue.lowercased()
    }

    public init?<Key: CodingKey>(codingKey: Key) { self.init(rawValue: codingKey.stringValue) }
    public var codingKey: any CodingKey { AnyCodingKey(stringValue: rawValue) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = LanguageCode(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO 639-1 language code")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: LanguageCode, rhs: LanguageCode) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    public static let english = LanguageCode(rawValue: "en")!
    public static let french = LanguageCode(rawValue: "fr")!
    public static let spanish = LanguageCode(rawValue: "es")!
    public static let arabic = LanguageCode(rawValue: "ar")!
}

/// Text written in one language, with the translations the owner supplied. The original is
/// what the judicial authority wrote and what counts; translations help the other members.
public struct MultilingualText: Sendable, Hashable, Codable {
    public var text: String
    public var language: LanguageCode
    public var translations: [LanguageCode: String]

    public init(_ text: String, language: LanguageCode, translations: [LanguageCode: String] = [:]) {
        self.text = text
        self.language = language
        self.translations = translations
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case text, language, translations
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        language = try container.decode(LanguageCode.self, forKey: .language)
        translations = try container.decodeIfPresent([LanguageCode: String].self, forKey: .translations) ?? [:]
    }

    /// The original and every translation, each with its language.
    public var versions: [(language: LanguageCode, text: String)] {
        [(language, text)] + translations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
