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
                issuer: IssuerCode(unchecked: icaoSpellings[row.code] ?? row.code))
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

    static let indexByCode: [String: Int] = Dictionary(
        uniqueKeysWithValues: all.enumerated().map { ($0.element.code.rawValue, $0.offset) })

    static let memberByIssuer: [String: MemberCode] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.issuer.rawValue, $0.code) })

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
    private static let rows: [(code: String, name: String, region: Region)] = [
        ("ABW", "Aruba", .americas),
        ("AFG", "Afghanistan", .asiaSouthPacific),
        ("AGO", "Angola", .africa),
        ("ALB", "Albania", .europe),
        ("AND", "Andorra", .europe),
        ("ARE", "United Arab Emirates", .asiaSouthPacific),
        ("ARG", "Argentina", .americas),
        ("ARM", "Armenia", .europe),
        ("ATG", "Antigua and Barbuda", .americas),
        ("AUS", "Australia", .asiaSouthPacific),
        ("AUT", "Austria", .europe),
        ("AZE", "Azerbaijan", .europe),
        ("BDI", "Burundi", .africa),
        ("BEL", "Belgium", .europe),
        ("BEN", "Benin", .africa),
        ("BFA", "Burkina Faso", .africa),
        ("BGD", "Bangladesh", .asiaSouthPacific),
        ("BGR", "Bulgaria", .europe),
        ("BHR", "Bahrain", .asiaSouthPacific),
        ("BHS", "Bahamas", .americas),
        ("BIH", "Bosnia and Herzegovina", .europe),
        ("BLR", "Belarus", .europe),
        ("BLZ", "Belize", .americas),
        ("BOL", "Bolivia", .americas),
        ("BRA", "Brazil", .americas),
        ("BRB", "Barbados", .americas),
        ("BRN", "Brunei", .asiaSouthPacific),
        ("BTN", "Bhutan", .asiaSouthPacific),
        ("BWA", "Botswana", .africa),
        ("CAF", "Central African Republic", .africa),
        ("CAN", "Canada", .americas),
        ("CHE", "Switzerland", .europe),
        ("CHL", "Chile", .americas),
        ("CHN", "China", .asiaSouthPacific),
        ("CIV", "Côte d'Ivoire", .africa),
        ("CMR", "Cameroon", .africa),
        ("COD", "Democratic Republic of the Congo", .africa),
        ("COG", "Congo", .africa),
        ("COL", "Colombia", .americas),
        ("COM", "Comoros", .africa),
        ("CPV", "Cabo Verde", .africa),
        ("CRI", "Costa Rica", .americas),
        ("CUB", "Cuba", .americas),
        ("CUW", "Curaçao", .americas),
        ("CYP", "Cyprus", .europe),
        ("CZE", "Czechia", .europe),
        ("DEU", "Germany", .europe),
        ("DJI", "Djibouti", .africa),
        ("DMA", "Dominica", .americas),
        ("DNK", "Denmark", .europe),
        ("DOM", "Dominican Republic", .americas),
        ("DZA", "Algeria", .africa),
        ("ECU", "Ecuador", .americas),
        ("EGY", "Egypt", .africa),
        ("ERI", "Eritrea", .africa),
        ("ESP", "Spain", .europe),
        ("EST", "Estonia", .europe),
        ("ETH", "Ethiopia", .africa),
        ("FIN", "Finland", .europe),
        ("FJI", "Fiji", .asiaSouthPacific),
        ("FRA", "France", .europe),
        ("FSM", "Micronesia", .asiaSouthPacific),
        ("GAB", "Gabon", .africa),
        ("GBR", "United Kingdom", .europe),
        ("GEO", "Georgia", .europe),
        ("GHA", "Ghana", .africa),
        ("GIN", "Guinea", .africa),
        ("GMB", "Gambia", .africa),
        ("GNB", "Guinea-Bissau", .africa),
        ("GNQ", "Equatorial Guinea", .africa),
        ("GRC", "Greece", .europe),
        ("GRD", "Grenada", .americas),
        ("GTM", "Guatemala", .americas),
        ("GUY", "Guyana", .americas),
        ("HND", "Honduras", .americas),
        ("HRV", "Croatia", .europe),
        ("HTI", "Haiti", .americas),
        ("HUN", "Hungary", .europe),
        ("IDN", "Indonesia", .asiaSouthPacific),
        ("IND", "India", .asiaSouthPacific),
        ("IRL", "Ireland", .europe),
        ("IRN", "Iran", .asiaSouthPacific),
        ("IRQ", "Iraq", .asiaSouthPacific),
        ("ISL", "Iceland", .europe),
        ("ISR", "Israel", .europe),
        ("ITA", "Italy", .europe),
        ("JAM", "Jamaica", .americas),
        ("JOR", "Jordan", .asiaSouthPacific),
        ("JPN", "Japan", .asiaSouthPacific),
        ("KAZ", "Kazakhstan", .asiaSouthPacific),
        ("KEN", "Kenya", .africa),
        ("KGZ", "Kyrgyzstan", .asiaSouthPacific),
        ("KHM", "Cambodia", .asiaSouthPacific),
        ("KIR", "Kiribati", .asiaSouthPacific),
        ("KNA", "Saint Kitts and Nevis", .americas),
        ("KOR", "Republic of Korea", .asiaSouthPacific),
        ("KWT", "Kuwait", .asiaSouthPacific),
        ("LAO", "Laos", .asiaSouthPacific),
        ("LBN", "Lebanon", .asiaSouthPacific),
        ("LBR", "Liberia", .africa),
        ("LBY", "Libya", .africa),
        ("LCA", "Saint Lucia", .americas),
        ("LIE", "Liechtenstein", .europe),
        ("LKA", "Sri Lanka", .asiaSouthPacific),
        ("LSO", "Lesotho", .africa),
        ("LTU", "Lithuania", .europe),
        ("LUX", "Luxembourg", .europe),
        ("LVA", "Latvia", .europe),
        ("MAR", "Morocco", .africa),
        ("MCO", "Monaco", .europe),
        ("MDA", "Moldova", .europe),
        ("MDG", "Madagascar", .africa),
        ("MDV", "Maldives", .asiaSouthPacific),
        ("MEX", "Mexico", .americas),
        ("MHL", "Marshall Islands", .asiaSouthPacific),
        ("MKD", "North Macedonia", .europe),
        ("MLI", "Mali", .africa),
        ("MLT", "Malta", .europe),
        ("MMR", "Myanmar", .asiaSouthPacific),
        ("MNE", "Montenegro", .europe),
        ("MNG", "Mongolia", .asiaSouthPacific),
        ("MOZ", "Mozambique", .africa),
        ("MRT", "Mauritania", .africa),
        ("MUS", "Mauritius", .africa),
        ("MWI", "Malawi", .africa),
        ("MYS", "Malaysia", .asiaSouthPacific),
        ("NAM", "Namibia", .africa),
        ("NER", "Niger", .africa),
        ("NGA", "Nigeria", .africa),
        ("NIC", "Nicaragua", .americas),
        ("NLD", "Netherlands", .europe),
        ("NOR", "Norway", .europe),
        ("NPL", "Nepal", .asiaSouthPacific),
        ("NRU", "Nauru", .asiaSouthPacific),
        ("NZL", "New Zealand", .asiaSouthPacific),
        ("OMN", "Oman", .asiaSouthPacific),
        ("PAK", "Pakistan", .asiaSouthPacific),
        ("PAN", "Panama", .americas),
        ("PER", "Peru", .americas),
        ("PHL", "Philippines", .asiaSouthPacific),
        ("PLW", "Palau", .asiaSouthPacific),
        ("PNG", "Papua New Guinea", .asiaSouthPacific),
        ("POL", "Poland", .europe),
        ("PRT", "Portugal", .europe),
        ("PRY", "Paraguay", .americas),
        ("PSE", "Palestine", .asiaSouthPacific),
        ("QAT", "Qatar", .asiaSouthPacific),
        ("ROU", "Romania", .europe),
        ("RUS", "Russia", .europe),
        ("RWA", "Rwanda", .africa),
        ("SAU", "Saudi Arabia", .asiaSouthPacific),
        ("SDN", "Sudan", .africa),
        ("SEN", "Senegal", .africa),
        ("SGP", "Singapore", .asiaSouthPacific),
        ("SLB", "Solomon Islands", .asiaSouthPacific),
        ("SLE", "Sierra Leone", .africa),
        ("SLV", "El Salvador", .americas),
        ("SMR", "San Marino", .europe),
        ("SOM", "Somalia", .africa),
        ("SRB", "Serbia", .europe),
        ("SSD", "South Sudan", .africa),
        ("STP", "Sao Tome and Principe", .africa),
        ("SUR", "Suriname", .americas),
        ("SVK", "Slovakia", .europe),
        ("SVN", "Slovenia", .europe),
        ("SWE", "Sweden", .europe),
        ("SWZ", "Eswatini", .africa),
        ("SXM", "Sint Maarten", .americas),
        ("SYC", "Seychelles", .africa),
        ("SYR", "Syria", .asiaSouthPacific),
        ("TCD", "Chad", .africa),
        ("TGO", "Togo", .africa),
        ("THA", "Thailand", .asiaSouthPacific),
        ("TJK", "Tajikistan", .asiaSouthPacific),
        ("TKM", "Turkmenistan", .asiaSouthPacific),
        ("TLS", "Timor-Leste", .asiaSouthPacific),
        ("TON", "Tonga", .asiaSouthPacific),
        ("TTO", "Trinidad and Tobago", .americas),
        ("TUN", "Tunisia", .africa),
        ("TUR", "Türkiye", .europe),
        ("TZA", "Tanzania", .africa),
        ("UGA", "Uganda", .africa),
        ("UKR", "Ukraine", .europe),
        ("URY", "Uruguay", .americas),
        ("USA", "United States", .americas),
        ("UZB", "Uzbekistan", .asiaSouthPacific),
        ("VAT", "Holy See (Vatican City State)", .europe),
        ("VCT", "Saint Vincent and the Grenadines", .americas),
        ("VEN", "Venezuela", .americas),
        ("VNM", "Viet Nam", .asiaSouthPacific),
        ("VUT", "Vanuatu", .asiaSouthPacific),
        ("WSM", "Samoa", .asiaSouthPacific),
        ("YEM", "Yemen", .asiaSouthPacific),
        ("ZAF", "South Africa", .africa),
        ("ZMB", "Zambia", .africa),
        ("ZWE", "Zimbabwe", .africa),
    ]
}

/// Whitespace-trimmed and uppercased; Foundation stays out of the core for this alone.
private func normalizedCode(_ text: String) -> String {
    var trimmed = Substring(text)
    while let first = trimmed.first, first.isWhitespace {
        trimmed.removeFirst()
    }
    while let last = trimmed.last, last.isWhitespace {
        trimmed.removeLast()
    }
    return trimmed.uppercased()
}
