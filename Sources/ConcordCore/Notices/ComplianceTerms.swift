import Foundation

/// The term lists the automated compliance review looks for, by language. Terms are matched
/// on whole words after folding case and diacritics; a word ending in `*` matches as a prefix,
/// and Arabic words match with or without the article and one-letter prefixes written onto them.
///
/// The defaults are a starting point for the General Secretariat, which replaces them from JSON
/// (`{"article3": {"en": [...]}, "excludedOffences": {"defamation": {"en": [...]}}}`).
public struct ComplianceTerms: Sendable, Hashable, Codable {
    /// Signs of a political, military, religious or racial character (Constitution, art. 3).
    public var article3: [LanguageCode: [String]]
    /// Offence categories INTERPOL's channels are not used for, by category name.
    public var excludedOffences: [String: [LanguageCode: [String]]]

    public init(article3: [LanguageCode: [String]], excludedOffences: [String: [LanguageCode: [String]]]) {
        self.article3 = article3
        self.excludedOffences = excludedOffences
    }

    public init(json: Data) throws {
        self = try JSONDecoder().decode(ComplianceTerms.self, from: json)
    }

    /// These terms with every language list and category that `overrides` names replaced by its
    /// own; what `overrides` leaves out stays as it was.
    public func overridden(by overrides: ComplianceTerms) -> ComplianceTerms {
        var merged = self
        merged.article3.merge(overrides.article3) { _, new in new }
        for (category, lists) in overrides.excludedOffences {
            merged.excludedOffences[category, default: [:]].merge(lists) { _, new in new }
        }
        return merged
    }

    public static let privateDispute = "private-dispute"
    public static let chequeAndDebt = "cheque-and-debt"
    public static let defamation = "defamation"
    /// Conduct that is a crime in some members and not in others.
    public static let varyingCriminality = "varying-criminality"

    public static let `default` = ComplianceTerms(
        article3: [
            .english: [
                "politic*", "opposition", "head of state", "president of the republic", "lese-majeste", "dissident*",
                "demonstration*", "protest*", "unauthorised assembly", "unauthorized assembly", "sedition",
                "seditious", "subversi*", "treason", "espionage", "separatis*", "coup", "regime", "military",
                "desertion", "deserter*", "conscientious objection", "draft evasion", "insubordination", "religio*",
                "apostasy", "heresy", "proselyti*", "blasphem*", "racial*", "ethnic*", "tribal",
            ],
            .french: [
                "politique*", "opposition", "opposant*", "chef de l'état", "président de la république",
                "lèse-majesté", "dissident*", "manifestation*", "manifestant*", "rassemblement non autorisé",
                "attroupement", "sédition", "séditieu*", "subversi*", "trahison", "espionnage", "séparatis*",
                "coup d'état", "régime", "militaire*", "désertion", "déserteur*", "objection de conscience",
                "insoumission", "religi*", "apostasie", "hérésie", "prosélytisme", "blasphème", "racial*", "raciale*",
                "ethnique*", "tribal*",
            ],
            .spanish: [
                "polític*", "oposición", "opositor*", "jefe de estado", "presidente de la república", "lesa majestad",
                "disidente*", "manifestación*", "manifestante*", "protesta*", "reunión no autorizada", "sedición",
                "sedicios*", "subversi*", "traición", "espionaje", "separatis*", "golpe de estado", "régimen",
                "militar*", "deserción", "desertor*", "objeción de conciencia", "insubordinación", "religio*",
                "apostasía", "herejía", "proselitismo", "blasfemia", "racial*", "étnic*", "tribal*",
            ],
            .arabic: [
                "سياس*", "معارض*", "رئيس الدولة", "رئيس الجمهورية", "إهانة الملك", "الذات الملكية", "منشق*",
                "مظاهر*", "تظاهر*", "احتجاج*", "تجمهر", "تجمع غير مرخص", "فتنة", "قلب نظام الحكم", "انقلاب",
                "خيانة", "تجسس", "انفصال*", "عسكري*", "الفرار من الخدمة", "التهرب من التجنيد", "ديني*", "ردة",
                "هرطقة", "تبشير", "ازدراء الأديان", "تجديف", "عنصري*", "عرقي*", "طائفي*", "قبلي*",
            ],
        ],
        excludedOffences: [
            privateDispute: [
                .english: [
                    "breach of contract", "contractual dispute", "civil dispute", "commercial dispute",
                    "inheritance dispute", "land dispute", "boundary dispute", "unpaid rent",
                ],
                .french: [
                    "rupture de contrat", "inexécution du contrat", "litige civil", "litige commercial",
                    "différend commercial", "litige successoral", "litige foncier", "loyers impayés",
                ],
                .spanish: [
                    "incumplimiento de contrato", "incumplimiento contractual", "disputa civil", "litigio civil",
                    "litigio comercial", "disputa comercial", "litigio sucesorio", "disputa de tierras",
                    "alquileres impagados",
                ],
                .arabic: ["نزاع مدني", "نزاع تجاري", "خلاف تجاري", "الإخلال بالعقد", "نزاع عقاري", "نزاع على الميراث"],
            ],
            chequeAndDebt: [
                .english: [
                    "bounced cheque*", "bad cheque*", "dishonoured cheque*", "dishonored check*", "bounced check*",
                    "bad check*", "cheque* without provision", "insufficient funds", "unpaid debt*",
                    "non-payment of debt*", "failure to pay debt*", "loan default",
                ],
                .french: [
                    "chèque* sans provision", "émission de chèque*", "dette* impayée*", "non-paiement de dette*",
                    "défaut de paiement",
                ],
                .spanish: [
                    "cheque* sin fondo*", "cheque* sin provisión", "libramiento de cheque*", "deuda* impagada*",
                    "impago de deuda*", "falta de pago",
                ],
                .arabic: ["شيك* بدون رصيد", "شيك* بلا رصيد", "دين* غير مسدد*", "عدم سداد", "عدم الوفاء بدين"],
            ],
            defamation: [
                .english: ["defamation", "defamatory", "libel", "slander", "calumny"],
                .french: ["diffamation", "diffamatoire", "calomnie*"],
                .spanish: ["difamación", "calumnia*", "injuria*"],
                .arabic: ["تشهير", "قذف", "سب"],
            ],
            varyingCriminality: [
                .english: [
                    "adultery", "homosexual*", "sodomy", "same-sex", "blasphem*", "apostasy", "witchcraft", "sorcery",
                    "abortion", "extramarital", "fornication",
                ],
                .french: [
                    "adultère", "homosexualit*", "homosexuel*", "sodomie", "même sexe", "blasphème", "apostasie",
                    "sorcellerie", "avortement", "hors mariage",
                ],
                .spanish: [
                    "adulterio", "homosexual*", "sodomía", "mismo sexo", "blasfemia", "apostasía", "brujería",
                    "hechicería", "aborto", "extramatrimonial*",
                ],
                .arabic: ["زنا", "زنى", "مثلي*", "لواط", "شذوذ جنسي", "تجديف", "ردة", "سحر", "شعوذة", "إجهاض"],
            ],
        ])
}
