import Foundation

/// Something the automated review noticed about a request, for the reviewer to weigh.
public struct ComplianceFinding: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case missingData = "missing-data"
        case penaltyThreshold = "penalty-threshold"
        /// A sign of a political, military, religious or racial character (Constitution, art. 3).
        case article3 = "article-3"
        case excludedOffence = "excluded-offence"
        case likelyDuplicate = "likely-duplicate"
    }

    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case info
        case warning
        /// The request cannot be published as it stands.
        case blocking

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }

        /// A blocking finding weighs as much as twenty days of waiting in the review queue.
        public var risk: Int {
            switch self {
            case .info: 0
            case .warning: 5
            case .blocking: 20
            }
        }
    }

    public var kind: Kind
    public var severity: Severity
    public var field: String?
    public var message: String
    /// The other notice, for a likely duplicate.
    public var relatedNotice: RecordID?

    public init(kind: Kind, severity: Severity, field: String?, message: String, relatedNotice: RecordID? = nil) {
        self.kind = kind
        self.severity = severity
        self.field = field
        self.message = message
        self.relatedNotice = relatedNotice
    }
}

/// The automated checks of a notice request, run before the reviewer decides. None of them
/// decides alone: missing data and the penalty threshold block publication (publishing checks
/// them again), while Article 3 and excluded offences are matched on words and need a person's
/// judgement. They are blocking when every charge of a red notice shows them, because then no
/// ordinary-law crime is left to carry the request.
public enum Compliance {
    /// Every finding for a notice, given the notices that already exist (for duplicates).
    public static func review(
        _ notice: Notice, existing: [Notice], terms: ComplianceTerms = .default
    ) -> [ComplianceFinding] {
        let request = notice.content
        return dataFindings(request, penaltyException: notice.penaltyException)
            + termFindings(request, terms: terms)
            + duplicates(of: request, id: notice.id, among: existing)
    }

    /// Missing or invalid data, and charges below the penalty threshold (information only once
    /// the General Secretariat recorded an exception).
    public static func dataFindings(
        _ request: NoticeRequest, penaltyException: PenaltyException?
    ) -> [ComplianceFinding] {
        let missing = Notices.completenessIssues(in: request).map {
            ComplianceFinding(kind: .missingData, severity: .blocking, field: $0.field, message: $0.reason)
        }
        let threshold = Notices.penaltyThresholdIssues(in: request).map { issue in
            if let penaltyException {
                return ComplianceFinding(
                    kind: .penaltyThreshold, severity: .info, field: issue.field,
                    message: "below the threshold; exception recorded: \(penaltyException.reason)")
            }
            return ComplianceFinding(
                kind: .penaltyThreshold, severity: .blocking, field: issue.field, message: issue.reason)
        }
        return missing + threshold
    }

    /// Article 3 indicators and excluded offences in the request's texts.
    public static func termFindings(_ request: NoticeRequest, terms: ComplianceTerms) -> [ComplianceFinding] {
        let article3 = TermList(terms.article3)
        let excluded = terms.excludedOffences.sorted { $0.key < $1.key }.map { ($0.key, TermList($0.value)) }
        let texts = narratives(of: request)
        let charges = request.judicial?.charges.count ?? 0

        func matches(_ list: TermList, _ text: MultilingualText) -> [CompiledTerm] {
            text.versions.flatMap { list.matches(in: $0.text) }
        }
        func describe(_ terms: [CompiledTerm]) -> String {
            var seen: Set<String> = []
            return terms.filter { seen.insert($0.term).inserted }.map { "'\($0.term)' (\($0.language))" }
                .joined(separator: ", ")
        }
        /// Blocking when the request is a red notice and every one of its charges shows the sign.
        func severity(_ flaggedCharges: Set<Int>) -> ComplianceFinding.Severity {
            request.type == .red && charges > 0 && flaggedCharges.count == charges ? .blocking : .warning
        }

        var findings: [ComplianceFinding] = []
        var article3Hits: [(Narrative, [CompiledTerm])] = []
        for narrative in texts {
            let found = matches(article3, narrative.text)
            if !found.isEmpty { article3Hits.append((narrative, found)) }
        }
        let article3Severity = severity(Set(article3Hits.compactMap { $0.0.charge }))
        for (narrative, found) in article3Hits {
            findings.append(
                ComplianceFinding(
                    kind: .article3, severity: article3Severity, field: narrative.field,
                    message: "possible political, military, religious or racial character: \(describe(found))"))
        }
        for (category, list) in excluded {
            var hits: [(Narrative, [CompiledTerm])] = []
            for narrative in texts {
                let found = matches(list, narrative.text)
                if !found.isEmpty { hits.append((narrative, found)) }
            }
            let categorySeverity = severity(Set(hits.compactMap { $0.0.charge }))
            for (narrative, found) in hits {
                findings.append(
                    ComplianceFinding(
                        kind: .excludedOffence, severity: categorySeverity, field: narrative.field,
                        message: "offence in the excluded category \(category): \(describe(found))"))
            }
        }
        return findings
    }

    struct Narrative {
        let field: String
        let text: MultilingualText
        /// The charge the text belongs to, for red notices.
        let charge: Int?
    }

    /// The free texts of a request that describe conduct: charges and facts first.
    static func narratives(of request: NoticeRequest) -> [Narrative] {
        var texts: [Narrative] = []
        func add(_ text: MultilingualText?, _ field: String, charge: Int? = nil) {
            if let text { texts.append(Narrative(field: field, text: text, charge: charge)) }
        }
        for (index, charge) in (request.judicial?.charges ?? []).enumerated() {
            add(charge.offence, "judicial.charges[\(index)].offence", charge: index)
            add(charge.facts?.summary, "judicial.charges[\(index)].facts.summary", charge: index)
        }
        add(request.disappearance?.circumstances, "disappearance.circumstances")
        add(request.body?.circumstances, "body.circumstances")
        add(request.inquiry?.reason, "inquiry.reason")
        add(request.criminalActivities?.description, "criminalActivities.description")
        add(request.threat?.description, "threat.description")
        add(request.modusOperandi?.method, "modusOperandi.method")
        add(request.assets?.linkToCrime, "assets.linkToCrime")
        return texts
    }

    /// Subjects that look like the person of another notice still in force or under review: the
    /// same name (words in any order, case and diacritics folded) and a compatible date of birth,
    /// or the same identity document.
    public static func duplicates(
        of request: NoticeRequest, id: RecordID?, among existing: [Notice]
    ) -> [ComplianceFinding] {
        var findings: [ComplianceFinding] = []
        for (index, subject) in request.subjects.enumerated() {
            let person = PersonKey(subject)
            for other in existing where other.id != id && !other.state.isFinal {
                guard other.content.subjects.contains(where: { person.isLikelySame(as: PersonKey($0)) }) else {
                    continue
                }
                let name = other.reference.map { "notice \($0)" } ?? "request \(other.id)"
                findings.append(
                    ComplianceFinding(
                        kind: .likelyDuplicate, severity: .warning, field: "subjects[\(index)]",
                        message:
                            "likely the same person as on \(other.type.rawValue) \(name) (\(other.state.rawValue))",
                        relatedNotice: other.id))
            }
        }
        return findings
    }

    /// Higher is riskier: the sum of the findings' severities.
    public static func riskScore(_ findings: [ComplianceFinding]) -> Int {
        findings.reduce(0) { $0 + $1.severity.risk }
    }
}

/// What duplicate detection compares about a person.
struct PersonKey {
    /// Each way the person's name is written (Latin and original script), as sorted folded words.
    let names: Set<[String]>
    let dateOfBirth: PartialDate?
    let documents: Set<DocumentKey>

    init(_ subject: NoticeSubject) {
        let latin = [subject.familyName, subject.forenames].compactMap { $0 }.joined(separator: " ")
        names = Set(
            ([latin] + subject.namesInOriginalScript).map { FoldedText.words($0).sorted() }.filter { !$0.isEmpty })
        dateOfBirth = subject.dateOfBirth
        documents = Set(subject.identityDocuments.compactMap { try? $0.key })
    }

    func isLikelySame(as other: PersonKey) -> Bool {
        if !documents.isDisjoint(with: other.documents) { return true }
        guard let dateOfBirth, let otherDate = other.dateOfBirth, dateOfBirth.isCompatible(with: otherDate) else {
            return false
        }
        return !names.isDisjoint(with: other.names)
    }
}

/// A request waiting for the General Secretariat, as the review queue lists it.
public struct ReviewQueueItem: Sendable, Hashable {
    public var notice: RecordID
    public var submittedAt: Date
    public var findings: [ComplianceFinding]

    public init(notice: RecordID, submittedAt: Date, findings: [ComplianceFinding]) {
        self.notice = notice
        self.submittedAt = submittedAt
        self.findings = findings
    }

    public var riskScore: Int { Compliance.riskScore(findings) }

    /// Whole days waited plus the risk score: risky requests come first, and no request waits
    /// forever behind riskier ones, since every day waited counts as much as a point of risk.
    public func priority(at now: Date) -> Int {
        max(0, Int(now.timeIntervalSince(submittedAt) / 86_400)) + riskScore
    }
}

public enum ReviewQueue {
    /// Highest priority first; on a tie, the longest waiting, then by id so the order is stable.
    public static func ordered(_ items: [ReviewQueueItem], at now: Date) -> [ReviewQueueItem] {
        items.sorted { lhs, rhs in
            let (left, right) = (lhs.priority(at: now), rhs.priority(at: now))
            if left != right { return left > right }
            if lhs.submittedAt != rhs.submittedAt { return lhs.submittedAt < rhs.submittedAt }
            return lhs.notice.rawValue < rhs.notice.rawValue
        }
    }
}
