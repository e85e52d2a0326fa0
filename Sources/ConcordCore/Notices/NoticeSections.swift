// The data each notice type adds to its subjects. Every field may be missing in a request so
// that validation can report all that is missing at once; `NoticeValidation` says what each type needs.

/// Red notices: the judicial basis of the request for arrest.
public struct JudicialData: Sendable, Hashable, Codable {
    public var warrant: JudicialDecision?
    public var charges: [Charge]

    public init(warrant: JudicialDecision? = nil, charges: [Charge] = []) {
        self.warrant = warrant
        self.charges = charges
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case warrant, charges
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        warrant = try container.decodeIfPresent(JudicialDecision.self, forKey: .warrant)
        charges = try container.list(Charge.self, forKey: .charges)
    }
}

/// The arrest warrant, or the judicial decision for a sentence to be served, issued by the
/// owner's judicial authority.
public struct JudicialDecision: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case arrestWarrant = "arrest-warrant"
        case judicialDecision = "judicial-decision"
    }

    public var kind: Kind?
    public var reference: String?
    public var issuingAuthority: String?
    public var date: CalendarDate?

    public init(kind: Kind? = nil, reference: String? = nil, issuingAuthority: String? = nil, date: CalendarDate? = nil)
    {
        self.kind = kind
        self.reference = reference
        self.issuingAuthority = issuingAuthority
        self.date = date
    }
}

/// One offence the person is charged with or was convicted of.
public struct Charge: Sendable, Hashable, Codable {
    /// The charge as the judicial authority words it; the public notices API shows it.
    public var offence: MultilingualText?
    public var facts: FactsSummary?
    /// The provision of the law that makes the conduct an offence.
    public var law: String?
    public var penalty: Penalty?

    public init(
        offence: MultilingualText? = nil, facts: FactsSummary? = nil, law: String? = nil, penalty: Penalty? = nil
    ) {
        self.offence = offence
        self.facts = facts
        self.law = law
        self.penalty = penalty
    }
}

/// What the person is said to have done, when and where.
public struct FactsSummary: Sendable, Hashable, Codable {
    public var summary: MultilingualText?
    public var date: PartialDate?
    public var place: String?

    public init(summary: MultilingualText? = nil, date: PartialDate? = nil, place: String? = nil) {
        self.summary = summary
        self.date = date
        self.place = place
    }
}

/// The penalty that makes a charge serious enough for a red notice.
public struct Penalty: Sendable, Hashable, Codable {
    public enum Basis: String, Sendable, Hashable, Codable, CaseIterable {
        /// The person is wanted for prosecution; `months` is the maximum penalty the law provides.
        case prosecution
        /// The person is wanted to serve a sentence; `months` is what remains to be served.
        case sentence
    }

    public var basis: Basis?
    public var months: Int?

    public init(basis: Basis? = nil, months: Int? = nil) {
        self.basis = basis
        self.months = months
    }

    /// Prosecution for conduct punishable by at least two years, or at least six months of a
    /// sentence left to serve (Rules on the Processing of Data, art. 83).
    public static let minimumMonthsForProsecution = 24
    public static let minimumMonthsRemainingOfSentence = 6

    /// Nil while the penalty is incomplete or invalid.
    public var meetsThreshold: Bool? {
        guard let basis, let months, months > 0 else { return nil }
        switch basis {
        case .prosecution: return months >= Penalty.minimumMonthsForProsecution
        case .sentence: return months >= Penalty.minimumMonthsRemainingOfSentence
        }
    }
}

/// Yellow notices: how and where the person went missing.
public struct Disappearance: Sendable, Hashable, Codable {
    public var date: PartialDate?
    public var place: String?
    public var circumstances: MultilingualText?

    public init(date: PartialDate? = nil, place: String? = nil, circumstances: MultilingualText? = nil) {
        self.date = date
        self.place = place
        self.circumstances = circumstances
    }
}

/// Black notices: the body to identify. The dead person is not known, so black notices have no subjects.
public struct UnidentifiedBody: Sendable, Hashable, Codable {
    public var foundOn: PartialDate?
    public var foundAt: String?
    public var sex: Sex?
    /// Physical features, clothing, dental or medical details, tattoos: whatever may identify.
    public var identifyingFeatures: [String]
    public var circumstances: MultilingualText?

    public init(
        foundOn: PartialDate? = nil, foundAt: String? = nil, sex: Sex? = nil, identifyingFeatures: [String] = [],
        circumstances: MultilingualText? = nil
    ) {
        self.foundOn = foundOn
        self.foundAt = foundAt
        self.sex = sex
        self.identifyingFeatures = identifyingFeatures
        self.circumstances = circumstances
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case foundOn, foundAt, sex, identifyingFeatures, circumstances
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        foundOn = try container.decodeIfPresent(PartialDate.self, forKey: .foundOn)
        foundAt = try container.decodeIfPresent(String.self, forKey: .foundAt)
        sex = try container.decodeIfPresent(Sex.self, forKey: .sex)
        identifyingFeatures = try container.list(String.self, forKey: .identifyingFeatures)
        circumstances = try container.decodeIfPresent(MultilingualText.self, forKey: .circumstances)
    }
}

/// Blue notices: what the requesting member wants to know about the person, and why.
public struct Inquiry: Sendable, Hashable, Codable {
    public enum Aim: String, Sendable, Hashable, Codable, CaseIterable {
        case locate
        case identify
        case information
    }

    public var aim: Aim?
    /// The investigation the person is of interest to.
    public var reason: MultilingualText?

    public init(aim: Aim? = nil, reason: MultilingualText? = nil) {
        self.aim = aim
        self.reason = reason
    }
}

/// Green notices: the criminal activities others should be warned about.
public struct CriminalActivities: Sendable, Hashable, Codable {
    public var description: MultilingualText?

    public init(description: MultilingualText? = nil) {
        self.description = description
    }
}

/// Orange notices: the imminent threat.
public struct Threat: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case event
        case object
        case process
        case person
    }

    public var kind: Kind?
    public var description: MultilingualText?

    public init(kind: Kind? = nil, description: MultilingualText? = nil) {
        self.kind = kind
        self.description = description
    }
}

/// Purple notices: how criminals operate.
public struct ModusOperandi: Sendable, Hashable, Codable {
    public var method: MultilingualText?
    public var objects: [String]
    public var devices: [String]
    public var concealment: String?

    public init(
        method: MultilingualText? = nil, objects: [String] = [], devices: [String] = [], concealment: String? = nil
    ) {
        self.method = method
        self.objects = objects
        self.devices = devices
        self.concealment = concealment
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case method, objects, devices, concealment
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decodeIfPresent(MultilingualText.self, forKey: .method)
        objects = try container.list(String.self, forKey: .objects)
        devices = try container.list(String.self, forKey: .devices)
        concealment = try container.decodeIfPresent(String.self, forKey: .concealment)
    }
}

/// Silver notices: the assets to trace, and what the requesting member wants done about them.
public struct AssetTrace: Sendable, Hashable, Codable {
    public var assets: [Asset]
    /// How the assets derive from, or served, the crime.
    public var linkToCrime: MultilingualText?
    /// What the requesting member asks others to do: locate, identify, report on the assets.
    public var actionRequested: String?

    public init(assets: [Asset] = [], linkToCrime: MultilingualText? = nil, actionRequested: String? = nil) {
        self.assets = assets
        self.linkToCrime = linkToCrime
        self.actionRequested = actionRequested
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case assets, linkToCrime, actionRequested
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assets = try container.list(Asset.self, forKey: .assets)
        linkToCrime = try container.decodeIfPresent(MultilingualText.self, forKey: .linkToCrime)
        actionRequested = try container.decodeIfPresent(String.self, forKey: .actionRequested)
    }
}

public struct Asset: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case bankAccount = "bank-account"
        case realEstate = "real-estate"
        case vehicle
        case company
        case cryptoWallet = "crypto-wallet"
        case other

        /// Kinds that others can only trace by an identifier: an account number (IBAN), a
        /// vehicle's VIN or plate, a wallet address.
        public var needsIdentifier: Bool {
            switch self {
            case .bankAccount, .vehicle, .cryptoWallet: true
            case .realEstate, .company, .other: false
            }
        }
    }

    public var kind: Kind?
    public var description: String?
    public var identifier: String?
    /// The person or company that holds the asset, as far as known.
    public var holder: String?

    public init(kind: Kind? = nil, description: String? = nil, identifier: String? = nil, holder: String? = nil) {
        self.kind = kind
        self.description = description
        self.identifier = identifier
        self.holder = holder
    }
}

/// UN Security Council Special Notices: the sanctions the person is subject to.
public struct Sanction: Sendable, Hashable, Codable {
    /// The Security Council committee that listed the person ("1267/1989/2253 ISIL (Da'esh) and Al-Qaida").
    public var committee: String?
    /// The permanent reference of the listing ("QDi.001").
    public var reference: String?

    public init(committee: String? = nil, reference: String? = nil) {
        self.committee = committee
        self.reference = reference
    }
}
