import Foundation

/// What each notice type needs before the General Secretariat may publish it.
///
/// - `red`: one person, with family name, forenames, sex, date of birth (a year at least) and
///   nationality; the arrest warrant or judicial decision (kind, reference, issuing authority,
///   date); and at least one charge, each with its wording, a summary of facts (text, date and
///   place), the provision of law and the penalty. At least one charge must meet the penalty
///   threshold (`Penalty.meetsThreshold`) unless the General Secretariat recorded an exception.
/// - `yellow`: one person, with family name, forenames, sex and date of birth; the date, place and
///   circumstances of the disappearance.
/// - `blue`: one person and what is wanted (locate, identify, information) with the reason. To
///   locate or learn about someone, others need the name; to identify, a name, an identity
///   document or distinguishing marks will do.
/// - `black`: no subjects; the date and place the body was found, at least one identifying
///   feature and the circumstances.
/// - `green`: one person, with family name and date of birth (a warning must be attributable to
///   the right person); a description of the criminal activities.
/// - `orange`: the kind of threat and its description; when the threat is a person, that person
///   named as a subject.
/// - `purple`: the method, and the objects, devices or concealment used, at least one of them:
///   a modus operandi nobody can recognise warns nobody.
/// - `silver`: at least one asset, each with kind, description and holder, plus an identifier
///   for accounts, vehicles and wallets; the asset's link to the crime and the action requested.
/// - `un-special`: one listed individual, with family name; the sanctions committee and the
///   listing's reference.
///
/// Whatever the type, a section that belongs to another type is refused rather than ignored,
/// consent to a public extract is refused for types that are never public (silver among them),
/// and subjects' particulars, identity documents and texts must be well formed.
extension Notices {
    public static let maximumNameLength = 200
    public static let maximumLabelLength = 500
    public static let maximumTextLength = 4000

    /// Every missing or invalid field of the request, in the order of the request, then the
    /// charges below the penalty threshold unless the General Secretariat recorded an exception.
    public static func issues(in request: NoticeRequest, penaltyException: PenaltyException? = nil) -> [FieldIssue] {
        completenessIssues(in: request) + (penaltyException == nil ? penaltyThresholdIssues(in: request) : [])
    }

    /// The charges of a red notice below the penalty threshold, when none of its charges meets
    /// it: one serious charge carries the others (art. 83). Incomplete penalties are left to
    /// `completenessIssues`.
    public static func penaltyThresholdIssues(in request: NoticeRequest) -> [FieldIssue] {
        guard request.type == .red, let charges = request.judicial?.charges else { return [] }
        let outcomes = charges.map { $0.penalty?.meetsThreshold }
        guard !outcomes.contains(true) else { return [] }
        return outcomes.indices.filter { outcomes[$0] == false }.map { index in
            FieldIssue(
                "judicial.charges[\(index)].penalty",
                "below the threshold: a maximum of at least \(Penalty.minimumMonthsForProsecution) months for "
                    + "prosecution, or at least \(Penalty.minimumMonthsRemainingOfSentence) months of a sentence "
                    + "left to serve")
        }
    }

    /// Every missing or invalid field, the penalty threshold aside.
    public static func completenessIssues(in request: NoticeRequest) -> [FieldIssue] {
        var check = IssueCollector()
        check.sections(of: request)
        if request.publicExtractConsent && !request.type.mayBePublic {
            check.add("publicExtractConsent", "\(request.type.rawValue) notices are never public")
        }
        for (index, subject) in request.subjects.enumerated() {
            check.wellFormed(subject, at: "subjects[\(index)]")
        }
        switch request.type {
        case .red:
            if let subject = check.onePerson(request) {
                check.particulars(subject, [.familyName, .forenames, .sex, .dateOfBirth, .nationalities])
            }
            if let judicial = check.section(request.judicial, "judicial") {
                check.judicial(judicial)
            }
        case .yellow:
            if let subject = check.onePerson(request) {
                check.particulars(subject, [.familyName, .forenames, .sex, .dateOfBirth])
            }
            if let disappearance = check.section(request.disappearance, "disappearance") {
                check.present(disappearance.date, at: "disappearance.date")
                check.label(disappearance.place, at: "disappearance.place")
                check.narrative(disappearance.circumstances, at: "disappearance.circumstances")
            }
        case .blue:
            let inquiry = check.section(request.inquiry, "inquiry")
            if let inquiry {
                check.present(inquiry.aim, at: "inquiry.aim")
                check.narrative(inquiry.reason, at: "inquiry.reason")
            }
            if let subject = check.onePerson(request) {
                if inquiry?.aim == .identify {
                    check.identifiable(subject)
                } else {
                    check.particulars(subject, [.familyName])
                }
            }
        case .black:
            if !request.subjects.isEmpty {
                check.add("subjects", "a black notice describes the body under 'body', not as subjects")
            }
            if let body = check.section(request.body, "body") {
                check.present(body.foundOn, at: "body.foundOn")
                check.label(body.foundAt, at: "body.foundAt")
                check.list(body.identifyingFeatures, at: "body.identifyingFeatures")
                check.narrative(body.circumstances, at: "body.circumstances")
            }
        case .green:
            if let subject = check.onePerson(request) {
                check.particulars(subject, [.familyName, .dateOfBirth])
            }
            if let activities = check.section(request.criminalActivities, "criminalActivities") {
                check.narrative(activities.description, at: "criminalActivities.description")
            }
        case .orange:
            if let threat = check.section(request.threat, "threat") {
                check.present(threat.kind, at: "threat.kind")
                check.narrative(threat.description, at: "threat.description")
                if threat.kind == .person {
                    if request.subjects.isEmpty {
                        check.add("subjects", "a threat from a person needs that person as a subject")
                    }
                    for (index, subject) in request.subjects.enumerated() {
                        check.particulars(IndexedSubject(subject: subject, path: "subjects[\(index)]"), [.familyName])
                    }
                }
            }
        case .purple:
            if let modus = check.section(request.modusOperandi, "modusOperandi") {
                check.narrative(modus.method, at: "modusOperandi.method")
                if modus.objects.isEmpty && modus.devices.isEmpty && modus.concealment == nil {
                    check.add("modusOperandi", "name the objects, devices or concealment used")
                }
                check.labels(modus.objects, at: "modusOperandi.objects")
                check.labels(modus.devices, at: "modusOperandi.devices")
                if let concealment = modus.concealment { check.label(concealment, at: "modusOperandi.concealment") }
            }
        case .silver:
            if let trace = check.section(request.assets, "assets") {
                check.assets(trace.assets)
                check.narrative(trace.linkToCrime, at: "assets.linkToCrime")
                check.label(trace.actionRequested, at: "assets.actionRequested")
            }
        case .unSpecial:
            if let subject = check.onePerson(request) {
                check.particulars(subject, [.familyName])
            }
            if let sanction = check.section(request.sanction, "sanction") {
                check.label(sanction.committee, at: "sanction.committee")
                check.label(sanction.reference, at: "sanction.reference")
            }
        }
        return check.issues
    }

    /// Throws every issue at once; returns when there is none.
    public static func validate(
        _ request: NoticeRequest, penaltyException: PenaltyException? = nil
    ) throws(ValidationFailure) {
        let issues = issues(in: request, penaltyException: penaltyException)
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}

private struct IndexedSubject {
    let subject: NoticeSubject
    let path: String
}

private enum Particular {
    case familyName, forenames, sex, dateOfBirth, nationalities
}

private struct IssueCollector {
    var issues: [FieldIssue] = []

    mutating func add(_ field: String, _ reason: String) {
        issues.append(FieldIssue(field, reason))
    }

    /// The type's own section, reported when missing; any other type's section is refused.
    mutating func sections(of request: NoticeRequest) {
        let present: [(String, NoticeType, Bool)] = [
            ("judicial", .red, request.judicial != nil),
            ("disappearance", .yellow, request.disappearance != nil),
            ("inquiry", .blue, request.inquiry != nil),
            ("body", .black, request.body != nil),
            ("criminalActivities", .green, request.criminalActivities != nil),
            ("threat", .orange, request.threat != nil),
            ("modusOperandi", .purple, request.modusOperandi != nil),
            ("assets", .silver, request.assets != nil),
            ("sanction", .unSpecial, request.sanction != nil),
        ]
        for (name, type, isPresent) in present where isPresent && type != request.type {
            add(name, "not part of a \(request.type.rawValue) notice")
        }
    }

    mutating func section<Section>(_ section: Section?, _ name: String) -> Section? {
        if section == nil { add(name, "required") }
        return section
    }

    mutating func present<Value>(_ value: Value?, at field: String) {
        if value == nil { add(field, "required") }
    }

    /// The one person the notice is about; nil (and reported) unless there is exactly one.
    mutating func onePerson(_ request: NoticeRequest) -> IndexedSubject? {
        switch request.subjects.count {
        case 0:
            add("subjects", "required: the person the notice is about")
            return nil
        case 1:
            return IndexedSubject(subject: request.subjects[0], path: "subjects[0]")
        default:
            add("subjects", "a \(request.type.rawValue) notice is about exactly one person")
            return nil
        }
    }

    mutating func particulars(_ indexed: IndexedSubject, _ required: [Particular]) {
        let subject = indexed.subject
        for particular in required {
            switch particular {
            case .familyName: if subject.familyName == nil { add("\(indexed.path).familyName", "required") }
            case .forenames: if subject.forenames == nil { add("\(indexed.path).forenames", "required") }
            case .sex: if subject.sex == nil { add("\(indexed.path).sex", "required") }
            case .dateOfBirth: if subject.dateOfBirth == nil { add("\(indexed.path).dateOfBirth", "required") }
            case .nationalities:
                if subject.nationalities.isEmpty { add("\(indexed.path).nationalities", "at least one nationality") }
            }
        }
    }

    mutating func identifiable(_ indexed: IndexedSubject) {
        let subject = indexed.subject
        if subject.familyName == nil && subject.identityDocuments.isEmpty && subject.distinguishingMarks.isEmpty {
            add(indexed.path, "needs a family name, an identity document or distinguishing marks")
        }
    }

    /// Shape only: what is given must be usable, whatever the type requires.
    mutating func wellFormed(_ subject: NoticeSubject, at path: String) {
        name(subject.familyName, at: "\(path).familyName")
        name(subject.forenames, at: "\(path).forenames")
        for (index, original) in subject.namesInOriginalScript.enumerated() {
            name(original, at: "\(path).namesInOriginalScript[\(index)]")
        }
        if let place = subject.placeOfBirth { label(place, at: "\(path).placeOfBirth") }
        if Set(subject.nationalities).count != subject.nationalities.count {
            add("\(path).nationalities", "a nationality is listed twice")
        }
        for (index, document) in subject.identityDocuments.enumerated() {
            do {
                _ = try document.key
            } catch {
                if case .invalid(_, let reason) = error { add("\(path).identityDocuments[\(index)].number", reason) }
            }
        }
        for (index, mark) in subject.distinguishingMarks.enumerated() {
            label(mark, at: "\(path).distinguishingMarks[\(index)]")
        }
    }

    mutating func judicial(_ judicial: JudicialData) {
        if let warrant = judicial.warrant {
            present(warrant.kind, at: "judicial.warrant.kind")
            label(warrant.reference, at: "judicial.warrant.reference")
            label(warrant.issuingAuthority, at: "judicial.warrant.issuingAuthority")
            present(warrant.date, at: "judicial.warrant.date")
        } else {
            add("judicial.warrant", "required: the arrest warrant or judicial decision")
        }
        if judicial.charges.isEmpty {
            add("judicial.charges", "at least one charge")
        }
        for (index, charge) in judicial.charges.enumerated() {
            let path = "judicial.charges[\(index)]"
            narrative(charge.offence, at: "\(path).offence")
            if let facts = charge.facts {
                narrative(facts.summary, at: "\(path).facts.summary")
                present(facts.date, at: "\(path).facts.date")
                label(facts.place, at: "\(path).facts.place")
            } else {
                add("\(path).facts", "required: a summary of facts with their date and place")
            }
            label(charge.law, at: "\(path).law")
            if let penalty = charge.penalty {
                present(penalty.basis, at: "\(path).penalty.basis")
                if let months = penalty.months {
                    if months <= 0 { add("\(path).penalty.months", "a positive number of months") }
                } else {
                    add("\(path).penalty.months", "required")
                }
            } else {
                add("\(path).penalty", "required")
            }
        }
    }

    mutating func assets(_ assets: [Asset]) {
        if assets.isEmpty { add("assets.assets", "at least one asset") }
        for (index, asset) in assets.enumerated() {
            let path = "assets.assets[\(index)]"
            present(asset.kind, at: "\(path).kind")
            label(asset.description, at: "\(path).description")
            label(asset.holder, at: "\(path).holder")
            if let identifier = asset.identifier {
                label(identifier, at: "\(path).identifier")
            } else if asset.kind?.needsIdentifier == true {
                add("\(path).identifier", "required for a \(asset.kind!.rawValue)")
            }
        }
    }

    mutating func list(_ items: [String], at field: String) {
        if items.isEmpty { add(field, "at least one") }
        labels(items, at: field)
    }

    mutating func labels(_ items: [String], at field: String) {
        for (index, item) in items.enumerated() {
            label(item, at: "\(field)[\(index)]")
        }
    }

    /// A short required text: a place, a reference, a provision.
    mutating func label(_ text: String?, at field: String) {
        self.text(text, at: field, maximum: Notices.maximumLabelLength)
    }

    /// Names are optional in general; `particulars` says when one is required.
    mutating func name(_ text: String?, at field: String) {
        guard let text else { return }
        self.text(text, at: field, maximum: Notices.maximumNameLength)
    }

    mutating func text(_ text: String?, at field: String, maximum: Int) {
        guard let text else { return add(field, "required") }
        let length = text.trimmingCharacters(in: .whitespacesAndNewlines).count
        if length == 0 {
            add(field, "must not be blank")
        } else if text.count > maximum {
            add(field, "at most \(maximum) characters")
        }
    }

    mutating func narrative(_ value: MultilingualText?, at field: String) {
        guard let value else { return add(field, "required") }
        text(value.text, at: "\(field).text", maximum: Notices.maximumTextLength)
        for (language, translation) in value.translations.sorted(by: { $0.key < $1.key }) {
            let path = "\(field).translations.\(language.rawValue)"
            if language == value.language {
                add(path, "a translation into the original's own language")
            } else {
                text(translation, at: path, maximum: Notices.maximumTextLength)
            }
        }
    }
}
