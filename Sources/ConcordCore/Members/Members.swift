/// INTERPOL's four statutory regions, the ones its regional conferences and Executive Committee seats
/// are organised around.
///
/// INTERPOL has no separate Middle East region in its governance, so states that sit between
/// continents are placed where INTERPOL itself seats them:
/// - North African states (Algeria, Egypt, Libya, Mauritania, Morocco, Sudan, Tunisia) are Africa;
///   they attend the African Regional Conference.
/// - Turkey, Cyprus, Israel, Russia and the South Caucasus (Armenia, Azerbaijan, Georgia) are Europe:
///   interpol.int lists Georgia and Cyprus under Europe, Israel hosted the 2012 European Regional
///   Conference, and Turkey's police was elected to a European Executive Committee seat in 2021.
/// - Every other Middle Eastern state, Central Asia, and Oceania is Asia and South Pacific; interpol.int
///   files Palestine there, and Gulf and Levant states fill Asian Executive Committee seats.
/// - The three Dutch Caribbean members are Americas, however their sovereign is seated.
public enum Region: String, Sendable, Hashable, Codable, CaseIterable {
    case africa = "Africa"
    case americas = "Americas"
    case asiaSouthPacific = "Asia and South Pacific"
    case europe = "Europe"
}

/// ISO 3166-1 alpha-3 code of an INTERPOL member country. Only member codes can be constructed.
public struct MemberCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Always the uppercase alpha-3 code, e.g. "FRA".
    public let rawValue: String

    /// Accepts any letter case and surrounding whitespace, because codes arrive typed by hand;
    /// nil unless the code belongs to a member.
    public init?(_ text: String) {
        let code = normalizedCode(text)
        guard Members.indexByCode[code] != nil else { return nil }
        self.rawValue = code
    }

    /// Only for building the membership table, whose codes are checked by construction.
    fileprivate init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = MemberCode(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown member country '\(text)'")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: MemberCode, rhs: MemberCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String { rawValue }
}

/// An ICAO 9303 issuer code as printed in an MRZ ("D", "FRA", "UNO", "XXA").
///
/// The value is always the ICAO spelling, so two documents from the same issuer compare equal no
/// matter whether the officer typed the ISO or the ICAO form.
public struct IssuerCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Trims whitespace and trailing MRZ filler ("D<<" is how Germany's code sits in a passport),
    /// then uppercases. A member's ISO code is accepted where ICAO spells it differently ("DEU"
    /// becomes "D"), because officers type ISO codes. Nil for anything that is neither a member's
    /// code nor a non-state code from Doc 9303.
    public init?(_ text: String) {
        var code = normalizedCode(text)
        while code.hasSuffix("<") {
            code.removeLast()
        }
        guard let canonical = Members.canonicalIssuer[code] else { return nil }
        self.rawValue = canonical
    }

    /// A code as stored, in its canonical spelling, from its bytes: what an index reads back by
    /// the million. Nil for anything else, including a code that is only another spelling.
    public init?(canonicalBytes bytes: UnsafeRawBufferPointer) {
        guard (1...3).contains(bytes.count) else { return nil }
        var packed: UInt32 = 0
        for byte in bytes { packed = packed << 8 | UInt32(byte) }
        guard let code = Members.issuerByPackedCode[packed] else { return nil }
        self = code
    }

    /// Only for building the tables, whose codes are checked by construction.
    fileprivate init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = IssuerCode(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "unknown issuer code '\(text)'")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The member that issues under this code; nil for organisations and for the codes that stand
    /// for a status (stateless, refugee) rather than an issuer.
    public var member: MemberCode? {
        Members.memberByIssuer[rawValue]
    }

    public static func < (lhs: IssuerCode, rhs: IssuerCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String { rawValue }
}

public struct Member: Sendable, Hashable, Codable {
    public let code: MemberCode
    /// English short name, for display only; never match on it.
    public let name: String
    public let region: Region
    /// ICAO code used on this member's travel documents.
    public let issuer: IssuerCode
    /// ISO 3166-1 alpha-2 code, for interfaces that speak two-letter codes (the public notices API).
    public let alpha2: String
}

public enum Members {
    /// Every member, sorted by code.
    public static let all: [Member] =
        rows
        .sorted { $0.code < $1.code }
        .map { row in
            Member(
                code: MemberCode(unchecked: row.code),
                name: row.name,
                region: row.region,
                issuer: IssuerCode(unchecked: icaoSpellings[row.code] ?? row.code),
                alpha2: row.alpha2)
        }

    public static func member(_ code: MemberCode) -> Member {
        all[index(of: code)]
    }

    /// Position in `all`, for storing a member in a small integer. Positions are stable only while
    /// the membership is: admitting a member shifts every code sorted after it, so stored indices
    /// need migrating whenever this table gains a row.
    public static func index(of code: MemberCode) -> Int {
        guard let index = indexByCode[code.rawValue] else {
            preconditionFailure("MemberCode '\(code.rawValue)' is not in the membership table")
        }
        return index
    }

    public static func code(atIndex index: Int) -> MemberCode {
        precondition(all.indices.contains(index), "member index \(index) is outside 0..<\(all.count)")
        return all[index].code
    }

    /// Doc 9303 Part 3 codes that name no state, in the order the document lists them. They may
    /// appear in an MRZ issuer or nationality field, but none of them is an INTERPOL member.
    public static let nonStateIssuers: [(code: IssuerCode, description: String)] = nonStateRows.map {
        (code: IssuerCode(unchecked: $0.code), description: $0.description)
    }

    /// The member with this ISO 3166-1 alpha-2 code, in any letter case; nil for non-members.
    public static func code(alpha2: String) -> MemberCode? {
        indexByAlpha2[normalizedCode(alpha2)].map { all[$0].code }
    }

    static let indexByAlpha2: [String: Int] = Dictionary(
        uniqueKeysWithValues: all.enumerated().map { ($0.element.alpha2, $0.offset) })

    static let indexByCode: [String: Int] = Dictionary(
        uniqueKeysWithValues: all.enumerated().map { ($0.element.code.rawValue, $0.offset) })

    static let memberByIssuer: [String: MemberCode] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.issuer.rawValue, $0.code) })

    /// Canonical issuer codes by their bytes packed into a number, for `IssuerCode(canonicalBytes:)`.
    static let issuerByPackedCode: [UInt32: IssuerCode] = {
        var codes: [UInt32: IssuerCode] = [:]
        for canonical in Set(canonicalIssuer.values) {
            let packed = canonical.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            codes[packed] = IssuerCode(unchecked: canonical)
        }
        return codes
    }()

    /// Every spelling IssuerCode accepts, mapped to the ICAO spelling it stands for. Built with a
    /// trap on duplicates, so a non-state code colliding with a member's code cannot slip in.
    static let canonicalIssuer: [String: String] = {
        var spellings: [String: String] = [:]
        func add(_ spelling: String, _ canonical: String) {
            let previous = spellings.updateValue(canonical, forKey: spelling)
            precondition(previous == nil || previous == canonical, "issuer code '\(spelling)' is ambiguous")
        }
        for member in all {
            add(member.issuer.rawValue, member.issuer.rawValue)
            add(member.code.rawValue, member.issuer.rawValue)
        }
        for row in nonStateRows {
            add(row.code, row.code)
        }
        return spellings
    }()

    /// Members whose travel documents do not carry their ISO alpha-3 code. Doc 9303 Part 3 takes
    /// state codes from ISO 3166-1 and names Germany's historic "D" as the one exception, so every
    /// other member, the Holy See (VAT) and Palestine (PSE) included, issues under its ISO code.
    private static let icaoSpellings: [String: String] = [
        "DEU": "D"
    ]

    private static let nonStateRows: [(code: String, description: String)] = [
        // British nationality categories: they appear in the nationality field, while the issuer
        // field of the same passport reads GBR.
        ("GBD", "British Overseas Territories citizen"),
        ("GBN", "British National (Overseas)"),
        ("GBO", "British Overseas citizen"),
        ("GBP", "British protected person"),
        ("GBS", "British subject"),
        ("UNO", "United Nations Organization or one of its officials"),
        ("UNA", "Specialized agency of the United Nations or one of its officials"),
        ("UNK", "Kosovo resident holding a travel document issued by UNMIK"),
        ("XBA", "African Development Bank (AfDB)"),
        ("XIM", "African Export-Import Bank (Afreximbank)"),
        ("XCC", "Caribbean Community (CARICOM) or one of its emissaries"),
        ("XCE", "Council of Europe"),
        ("XCO", "Common Market for Eastern and Southern Africa (COMESA)"),
        ("XEC", "Economic Community of West African States (ECOWAS)"),
        ("XPO", "International Criminal Police Organization (INTERPOL)"),
        ("XES", "Organisation of Eastern Caribbean States (OECS)"),
        ("XMP", "Parliamentary Assembly of the Mediterranean (PAM)"),
        ("XOM", "Sovereign Military Order of Malta or one of its emissaries"),
        ("XDC", "Southern African Development Community (SADC)"),
        ("XXA", "Stateless person under the 1954 Convention"),
        ("XXB", "Refugee under the 1951 Convention and its 1967 Protocol"),
        ("XXC", "Refugee other than under the 1951 Convention"),
        ("XXX", "Person of unspecified nationality"),
        ("EUE", "European Union"),
        // Withdrawn from ISO 3166 but kept by Doc 9303 because documents issued under them may
        // still turn up in records.
        ("ANT", "Netherlands Antilles (dissolved 2010)"),
        ("NTZ", "Neutral Zone (withdrawn)"),
        // ICAO's own code, used to sign the PKD master list; no travel document carries it.
        ("IAO", "International Civil Aviation Organization (ICAO)"),
    ]

    /// The 196 members as of the 91st General Assembly (Vienna, November 2023), which admitted Palau.
    /// That is the 193 UN members less North Korea and Tuvalu, plus the Holy See, Palestine (2017)
    /// and the three Dutch Caribbean countries, which hold their own membership (Aruba since 1987,
    /// Curaçao and Sint Maarten since 2011). Kosovo and Taiwan are not members.
    private static let rows: [(code: String, alpha2: String, name: String, region: Region)] = [
        ("ABW", "AW", "Aruba", .americas),
        ("AFG", "AF", "Afghanistan", .asiaSouthPacific),
        ("AGO", "AO", "Angola", .africa),
        ("ALB", "AL", "Albania", .europe),
        ("AND", "AD", "Andorra", .europe),
        ("ARE", "AE", "United Arab Emirates", .asiaSouthPacific),
        ("ARG", "AR", "Argentina", .americas),
        ("ARM", "AM", "Armenia", .europe),
        ("ATG", "AG", "Antigua and Barbuda", .americas),
        ("AUS", "AU", "Australia", .asiaSouthPacific),
        ("AUT", "AT", "Austria", .europe),
        ("AZE", "AZ", "Azerbaijan", .europe),
        ("BDI", "BI", "Burundi", .africa),
        ("BEL", "BE", "Belgium", .europe),
        ("BEN", "BJ", "Benin", .africa),
        ("BFA", "BF", "Burkina Faso", .africa),
        ("BGD", "BD", "Bangladesh", .asiaSouthPacific),
        ("BGR", "BG", "Bulgaria", .europe),
        ("BHR", "BH", "Bahrain", .asiaSouthPacific),
        ("BHS", "BS", "Bahamas", .americas),
        ("BIH", "BA", "Bosnia and Herzegovina", .europe),
        ("BLR", "BY", "Belarus", .europe),
        ("BLZ", "BZ", "Belize", .americas),
        ("BOL", "BO", "Bolivia", .americas),
        ("BRA", "BR", "Brazil", .americas),
        ("BRB", "BB", "Barbados", .americas),
        ("BRN", "BN", "Brunei", .asiaSouthPacific),
        ("BTN", "BT", "Bhutan", .asiaSouthPacific),
        ("BWA", "BW", "Botswana", .africa),
        ("CAF", "CF", "Central African Republic", .africa),
        ("CAN", "CA", "Canada", .americas),
        ("CHE", "CH", "Switzerland", .europe),
        ("CHL", "CL", "Chile", .americas),
        ("CHN", "CN", "China", .asiaSouthPacific),
        ("CIV", "CI", "Côte d'Ivoire", .africa),
        ("CMR", "CM", "Cameroon", .africa),
        ("COD", "CD", "Democratic Republic of the Congo", .africa),
        ("COG", "CG", "Congo", .africa),
        ("COL", "CO", "Colombia", .americas),
        ("COM", "KM", "Comoros", .africa),
        ("CPV", "CV", "Cabo Verde", .africa),
        ("CRI", "CR", "Costa Rica", .americas),
        ("CUB", "CU", "Cuba", .americas),
        ("CUW", "CW", "Curaçao", .americas),
        ("CYP", "CY", "Cyprus", .europe),
        ("CZE", "CZ", "Czechia", .europe),
        ("DEU", "DE", "Germany", .europe),
        ("DJI", "DJ", "Djibouti", .africa),
        ("DMA", "DM", "Dominica", .americas),
        ("DNK", "DK", "Denmark", .europe),
        ("DOM", "DO", "Dominican Republic", .americas),
        ("DZA", "DZ", "Algeria", .africa),
        ("ECU", "EC", "Ecuador", .americas),
        ("EGY", "EG", "Egypt", .africa),
        ("ERI", "ER", "Eritrea", .africa),
        ("ESP", "ES", "Spain", .europe),
        ("EST", "EE", "Estonia", .europe),
        ("ETH", "ET", "Ethiopia", .africa),
        ("FIN", "FI", "Finland", .europe),
        ("FJI", "FJ", "Fiji", .asiaSouthPacific),
        ("FRA", "FR", "France", .europe),
        ("FSM", "FM", "Micronesia", .asiaSouthPacific),
        ("GAB", "GA", "Gabon", .africa),
        ("GBR", "GB", "United Kingdom", .europe),
        ("GEO", "GE", "Georgia", .europe),
        ("GHA", "GH", "Ghana", .africa),
        ("GIN", "GN", "Guinea", .africa),
        ("GMB", "GM", "Gambia", .africa),
        ("GNB", "GW", "Guinea-Bissau", .africa),
        ("GNQ", "GQ", "Equatorial Guinea", .africa),
        ("GRC", "GR", "Greece", .europe),
        ("GRD", "GD", "Grenada", .americas),
        ("GTM", "GT", "Guatemala", .americas),
        ("GUY", "GY", "Guyana", .americas),
        ("HND", "HN", "Honduras", .americas),
        ("HRV", "HR", "Croatia", .europe),
        ("HTI", "HT", "Haiti", .americas),
        ("HUN", "HU", "Hungary", .europe),
        ("IDN", "ID", "Indonesia", .asiaSouthPacific),
        ("IND", "IN", "India", .asiaSouthPacific),
        ("IRL", "IE", "Ireland", .europe),
        ("IRN", "IR", "Iran", .asiaSouthPacific),
        ("IRQ", "IQ", "Iraq", .asiaSouthPacific),
        ("ISL", "IS", "Iceland", .europe),
        ("ISR", "IL", "Israel", .europe),
        ("ITA", "IT", "Italy", .europe),
        ("JAM", "JM", "Jamaica", .americas),
        ("JOR", "JO", "Jordan", .asiaSouthPacific),
        ("JPN", "JP", "Japan", .asiaSouthPacific),
        ("KAZ", "KZ", "Kazakhstan", .asiaSouthPacific),
        ("KEN", "KE", "Kenya", .africa),
        ("KGZ", "KG", "Kyrgyzstan", .asiaSouthPacific),
        ("KHM", "KH", "Cambodia", .asiaSouthPacific),
        ("KIR", "KI", "Kiribati", .asiaSouthPacific),
        ("KNA", "KN", "Saint Kitts and Nevis", .americas),
        ("KOR", "KR", "Republic of Korea", .asiaSouthPacific),
        ("KWT", "KW", "Kuwait", .asiaSouthPacific),
        ("LAO", "LA", "Laos", .asiaSouthPacific),
        ("LBN", "LB", "Lebanon", .asiaSouthPacific),
        ("LBR", "LR", "Liberia", .africa),
        ("LBY", "LY", "Libya", .africa),
        ("LCA", "LC", "Saint Lucia", .americas),
        ("LIE", "LI", "Liechtenstein", .europe),
        ("LKA", "LK", "Sri Lanka", .asiaSouthPacific),
        ("LSO", "LS", "Lesotho", .africa),
        ("LTU", "LT", "Lithuania", .europe),
        ("LUX", "LU", "Luxembourg", .europe),
        ("LVA", "LV", "Latvia", .europe),
        ("MAR", "MA", "Morocco", .africa),
        ("MCO", "MC", "Monaco", .europe),
        ("MDA", "MD", "Moldova", .europe),
        ("MDG", "MG", "Madagascar", .africa),
        ("MDV", "MV", "Maldives", .asiaSouthPacific),
        ("MEX", "MX", "Mexico", .americas),
        ("MHL", "MH", "Marshall Islands", .asiaSouthPacific),
        ("MKD", "MK", "North Macedonia", .europe),
        ("MLI", "ML", "Mali", .africa),
        ("MLT", "MT", "Malta", .europe),
        ("MMR", "MM", "Myanmar", .asiaSouthPacific),
        ("MNE", "ME", "Montenegro", .europe),
        ("MNG", "MN", "Mongolia", .asiaSouthPacific),
        ("MOZ", "MZ", "Mozambique", .africa),
        ("MRT", "MR", "Mauritania", .africa),
        ("MUS", "MU", "Mauritius", .africa),
        ("MWI", "MW", "Malawi", .africa),
        ("MYS", "MY", "Malaysia", .asiaSouthPacific),
        ("NAM", "NA", "Namibia", .africa),
        ("NER", "NE", "Niger", .africa),
        ("NGA", "NG", "Nigeria", .africa),
        ("NIC", "NI", "Nicaragua", .americas),
        ("NLD", "NL", "Netherlands", .europe),
        ("NOR", "NO", "Norway", .europe),
        ("NPL", "NP", "Nepal", .asiaSouthPacific),
        ("NRU", "NR", "Nauru", .asiaSouthPacific),
        ("NZL", "NZ", "New Zealand", .asiaSouthPacific),
        ("OMN", "OM", "Oman", .asiaSouthPacific),
        ("PAK", "PK", "Pakistan", .asiaSouthPacific),
        ("PAN", "PA", "Panama", .americas),
        ("PER", "PE", "Peru", .americas),
        ("PHL", "PH", "Philippines", .asiaSouthPacific),
        ("PLW", "PW", "Palau", .asiaSouthPacific),
        ("PNG", "PG", "Papua New Guinea", .asiaSouthPacific),
        ("POL", "PL", "Poland", .europe),
        ("PRT", "PT", "Portugal", .europe),
        ("PRY", "PY", "Paraguay", .americas),
        ("PSE", "PS", "Palestine", .asiaSouthPacific),
        ("QAT", "QA", "Qatar", .asiaSouthPacific),
        ("ROU", "RO", "Romania", .europe),
        ("RUS", "RU", "Russia", .europe),
        ("RWA", "RW", "Rwanda", .africa),
        ("SAU", "SA", "Saudi Arabia", .asiaSouthPacific),
        ("SDN", "SD", "Sudan", .africa),
        ("SEN", "SN", "Senegal", .africa),
        ("SGP", "SG", "Singapore", .asiaSouthPacific),
        ("SLB", "SB", "Solomon Islands", .asiaSouthPacific),
        ("SLE", "SL", "Sierra Leone", .africa),
        ("SLV", "SV", "El Salvador", .americas),
        ("SMR", "SM", "San Marino", .europe),
        ("SOM", "SO", "Somalia", .africa),
        ("SRB", "RS", "Serbia", .europe),
        ("SSD", "SS", "South Sudan", .africa),
        ("STP", "ST", "Sao Tome and Principe", .africa),
        ("SUR", "SR", "Suriname", .americas),
        ("SVK", "SK", "Slovakia", .europe),
        ("SVN", "SI", "Slovenia", .europe),
        ("SWE", "SE", "Sweden", .europe),
        ("SWZ", "SZ", "Eswatini", .africa),
        ("SXM", "SX", "Sint Maarten", .americas),
        ("SYC", "SC", "Seychelles", .africa),
        ("SYR", "SY", "Syria", .asiaSouthPacific),
        ("TCD", "TD", "Chad", .africa),
        ("TGO", "TG", "Togo", .africa),
        ("THA", "TH", "Thailand", .asiaSouthPacific),
        ("TJK", "TJ", "Tajikistan", .asiaSouthPacific),
        ("TKM", "TM", "Turkmenistan", .asiaSouthPacific),
        ("TLS", "TL", "Timor-Leste", .asiaSouthPacific),
        ("TON", "TO", "Tonga", .asiaSouthPacific),
        ("TTO", "TT", "Trinidad and Tobago", .americas),
        ("TUN", "TN", "Tunisia", .africa),
        ("TUR", "TR", "Türkiye", .europe),
        ("TZA", "TZ", "Tanzania", .africa),
        ("UGA", "UG", "Uganda", .africa),
        ("UKR", "UA", "Ukraine", .europe),
        ("URY", "UY", "Uruguay", .americas),
        ("USA", "US", "United States", .americas),
        ("UZB", "UZ", "Uzbekistan", .asiaSouthPacific),
        ("VAT", "VA", "Holy See (Vatican City State)", .europe),
        ("VCT", "VC", "Saint Vincent and the Grenadines", .americas),
        ("VEN", "VE", "Venezuela", .americas),
        ("VNM", "VN", "Viet Nam", .asiaSouthPacific),
        ("VUT", "VU", "Vanuatu", .asiaSouthPacific),
        ("WSM", "WS", "Samoa", .asiaSouthPacific),
        ("YEM", "YE", "Yemen", .asiaSouthPacific),
        ("ZAF", "ZA", "South Africa", .africa),
        ("ZMB", "ZM", "Zambia", .africa),
        ("ZWE", "ZW", "Zimbabwe", .africa),
    ]
}

/// Whitespace-trimmed and uppercased; Foundation stays out of the core for this alone.
private func normalizedCode(_ text: String) -> String {
    // Codes read back from storage, and most typed ones, are already normalised; Character
    // and case mapping would cost more than the lookup they precede.
    if text.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) { return text }
    var trimmed = Substring(text)
    while let first = trimmed.first, first.isWhitespace {
        trimmed.removeFirst()
    }
    while let last = trimmed.last, last.isWhitespace {
        trimmed.removeLast()
    }
    return trimmed.uppercased()
}
