import Foundation

/// Whether a nominal record is about a person sought for arrest or a person reported missing.
public enum NominalCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case wanted
    case missing

    public var purpose: Purpose {
        switch self {
        case .wanted: .wantedPerson
        case .missing: .missingPerson
        }
    }

    /// What an officer who finds the person is asked to do when the owner says nothing more.
    public var defaultAction: String {
        switch self {
        case .wanted: "Wanted: detain if the law allows and contact the owner's NCB at once"
        case .missing: "Missing: ensure the person's safety and contact the owner's NCB"
        }
    }
}

/// What an NCB records, and replaces whole on update: a person from its national database of
/// wanted or missing persons, shared with the other members for screening.
public struct NominalPersonRequest: Sendable, Hashable, Codable {
    public var category: NominalCategory
    public var familyName: String
    public var forenames: String?
    /// The names as written in the person's own script (Arabic, Cyrillic, Han, ...).
    public var namesInOriginalScript: [String]
    /// Other names the person is known by.
    public var aliases: [String]
    public var dateOfBirth: PartialDate?
    public var sex: Sex?
    public var nationalities: [MemberCode]
    public var identityDocuments: [IdentityDocument]
    /// What an officer who finds the person should do; a default for the category otherwise.
    public var actionRequested: String?
    /// The owner's own reference, to quote when calling its NCB.
    public var nationalReference: String?
    public var restrictions: Restrictions?

    public init(
        category: NominalCategory, familyName: String, forenames: String? = nil, namesInOriginalScript: [String] = [],
        aliases: [String] = [], dateOfBirth: PartialDate? = nil, sex: Sex? = nil, nationalities: [MemberCode] = [],
        identityDocuments: [IdentityDocument] = [], actionRequested: String? = nil, nationalReference: String? = nil,
        restrictions: Restrictions? = nil
    ) {
        self.category = category
        self.familyName = familyName
        self.forenames = forenames
        self.namesInOriginalScript = namesInOriginalScript
        self.aliases = aliases
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.nationalities = nationalities
        self.identityDocuments = identityDocuments
        self.actionRequested = actionRequested
        self.nationalReference = nationalReference
        self.restrictions = restrictions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case category, familyName, forenames, namesInOriginalScript, aliases, dateOfBirth, sex, nationalities
        case identityDocuments, actionRequested, nationalReference, restrictions
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        category = try container.decode(NominalCategory.self, forKey: .category)
        familyName = try container.decode(String.self, forKey: .familyName)
        forenames = try container.decodeIfPresent(String.self, forKey: .forenames)
        namesInOriginalScript = try container.list(String.self, forKey: .namesInOriginalScript)
        aliases = try container.list(String.self, forKey: .aliases)
        dateOfBirth = try container.decodeIfPresent(PartialDate.self, forKey: .dateOfBirth)
        sex = try container.decodeIfPresent(Sex.self, forKey: .sex)
        nationalities = try container.list(MemberCode.self, forKey: .nationalities)
        identityDocuments = try container.list(IdentityDocument.self, forKey: .identityDocuments)
        actionRequested = try container.decodeIfPresent(String.self, forKey: .actionRequested)
        nationalReference = try container.decodeIfPresent(String.self, forKey: .nationalReference)
        restrictions = try container.decodeIfPresent(Restrictions.self, forKey: .restrictions)
    }

    /// The person as the notices' subjects describe persons, so one description feeds screening.
    public var subject: NoticeSubject {
        NoticeSubject(
            familyName: familyName, forenames: forenames, namesInOriginalScript: namesInOriginalScript + aliases,
            dateOfBirth: dateOfBirth, sex: sex, nationalities: nationalities, identityDocuments: identityDocuments)
    }
}

/// A nominal person record in its envelope.
public struct NominalPerson: Sendable, Hashable {
    public var envelope: Envelope
    public var content: NominalPersonRequest
    public var version: Int

    public init(envelope: Envelope, content: NominalPersonRequest, version: Int) {
        self.envelope = envelope
        self.content = content
        self.version = version
    }

    public var id: RecordID { envelope.id }

    public init(_ stored: StoredRecord) throws {
        guard stored.envelope.kind == .nominalPerson else {
            throw DomainError.invalid(field: "kind", "record \(stored.envelope.id) is not a nominal person")
        }
        envelope = stored.envelope
        content = try ConcordJSON.decoder().decode(NominalPersonRequest.self, from: stored.body)
        version = stored.version
    }

    /// Persons have no natural unique key: two records may well describe namesakes.
    public func stored() throws -> StoredRecord {
        StoredRecord(
            envelope: envelope, lookupKey: nil, body: try ConcordJSON.encoder().encode(content), version: version)
    }

    /// What an officer who finds the person is asked to do.
    public var actionRequested: String { content.actionRequested ?? content.category.defaultAction }
}

/// The rules of nominal person records: what a request must hold, and their lifecycle.
public enum NominalPersons {
    /// Nominal data: five years before the owner must review it.
    public static let retentionYears = 5
    public static let maximumNameLength = 200
    public static let maximumNames = 20
    public static let maximumTextLength = 1000

    /// A new record of `owner`, or every field at fault.
    public static func record(
        _ request: NominalPersonRequest, owner: MemberCode, id: RecordID, now: Date
    ) throws(ValidationFailure) -> NominalPerson {
        try validate(request, now: now)
        let envelope = Envelope(
            id: id, kind: .nominalPerson, owner: owner, purpose: request.category.purpose,
            restrictions: request.restrictions ?? .none, confidentiality: .restricted, createdAt: now, updatedAt: now,
            reviewDate: reviewDate(from: now), status: .active)
        return NominalPerson(envelope: envelope, content: request, version: 1)
    }

    /// The owner's new version of an active record; the review date is left as it was, since
    /// correcting a record is not reviewing whether it should still be kept.
    public static func update(
        _ person: NominalPerson, to request: NominalPersonRequest, now: Date
    ) throws -> NominalPerson {
        guard person.envelope.status == .active else {
            throw DomainError.conflict("nominal person \(person.id) is withdrawn")
        }
        try validate(request, now: now)
        var updated = person
        updated.content = request
        updated.envelope.purpose = request.category.purpose
        updated.envelope.restrictions = request.restrictions ?? .none
        updated.envelope.updatedAt = now
        updated.version += 1
        return updated
    }

    public static func withdraw(_ person: NominalPerson, now: Date) throws(DomainError) -> NominalPerson {
        guard person.envelope.status == .active else {
            throw DomainError.conflict("nominal person \(person.id) is already withdrawn")
        }
        var withdrawn = person
        withdrawn.envelope.status = .withdrawn
        withdrawn.envelope.updatedAt = now
        withdrawn.version += 1
        return withdrawn
    }

    static func reviewDate(from now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: retentionYears, to: now) ?? now
    }

    /// Every missing or invalid field at once.
    public static func validate(_ request: NominalPersonRequest, now: Date) throws(ValidationFailure) {
        var issues: [FieldIssue] = []
        func name(_ text: String?, _ field: String, required: Bool) {
            guard let text else {
                if required { issues.append(FieldIssue(field, "required")) }
                return
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                issues.append(FieldIssue(field, "must not be blank"))
            } else if text.count > maximumNameLength {
                issues.append(FieldIssue(field, "at most \(maximumNameLength) characters"))
            } else if !trimmed.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
                issues.append(FieldIssue(field, "a name needs at least one letter"))
            }
        }
        name(request.familyName, "familyName", required: true)
        name(request.forenames, "forenames", required: false)
        for (field, names) in [("namesInOriginalScript", request.namesInOriginalScript), ("aliases", request.aliases)] {
            if names.count > maximumNames { issues.append(FieldIssue(field, "at most \(maximumNames) names")) }
            for (index, text) in names.enumerated() { name(text, "\(field)[\(index)]", required: false) }
        }
        if let born = request.dateOfBirth {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let today = calendar.dateComponents([.year, .month, .day], from: now)
            let bornKey = (born.year, born.month ?? 0, born.day ?? 0)
            if bornKey > (today.year ?? 0, today.month ?? 0, today.day ?? 0) {
                issues.append(FieldIssue("dateOfBirth", "\(born) is in the future"))
            }
        }
        if request.nationalities.count > 10 { issues.append(FieldIssue("nationalities", "at most 10")) }
        if Set(request.nationalities).count != request.nationalities.count {
            issues.append(FieldIssue("nationalities", "each nationality once"))
        }
        if request.identityDocuments.count > maximumNames {
            issues.append(FieldIssue("identityDocuments", "at most \(maximumNames) documents"))
        }
        for (index, document) in request.identityDocuments.enumerated() {
            do {
                _ = try document.key
            } catch .invalid(let field, let reason) {
                issues.append(FieldIssue("identityDocuments[\(index)].\(field)", reason))
            } catch {
                issues.append(FieldIssue("identityDocuments[\(index)]", "\(error)"))
            }
        }
        for (field, text) in [
            ("actionRequested", request.actionRequested), ("nationalReference", request.nationalReference),
        ] {
            guard let text else { continue }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                issues.append(FieldIssue(field, "must not be blank; leave it out instead"))
            } else if text.count > maximumTextLength {
                issues.append(FieldIssue(field, "at most \(maximumTextLength) characters"))
            }
        }
        if !issues.isEmpty { throw ValidationFailure(issues) }
    }
}

/// A nominal person record as shown to a caller the policy lets read it.
public struct NominalPersonView: Sendable, Hashable, Encodable {
    public var id: RecordID
    public var kind: RecordKind
    public var owner: MemberCode
    public var purpose: Purpose
    public var status: RecordStatus
    public var createdAt: Date
    public var updatedAt: Date
    public var reviewDate: Date
    /// Only for the owner: whom else it is shown to is the owner's business.
    public var restrictions: Restrictions?
    public var person: NominalPersonRequest
    public var actionRequested: String

    public init(_ record: NominalPerson, viewer: MemberCode?) {
        id = record.id
        kind = record.envelope.kind
        owner = record.envelope.owner
        purpose = record.envelope.purpose
        status = record.envelope.status
        createdAt = record.envelope.createdAt
        updatedAt = record.envelope.updatedAt
        reviewDate = record.envelope.reviewDate
        restrictions = viewer == record.envelope.owner ? record.envelope.restrictions : nil
        var person = record.content
        person.restrictions = nil
        self.person = person
        actionRequested = record.actionRequested
    }
}
