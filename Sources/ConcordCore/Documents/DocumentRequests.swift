import Foundation

/// `POST /v1/documents`: what an NCB sends to record one of its documents.
public struct NewTravelDocument: Sendable, Hashable, Decodable {
    public var issuer: IssuerCode
    public var type: DocumentType
    public var number: String
    public var status: DocumentStatus
    public var dateOfIssue: CalendarDate?
    public var dateOfExpiry: CalendarDate?
    public var dateOfTheftOrLoss: CalendarDate?
    public var nationalReference: String?
    public var restrictions: Restrictions?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer, type, number, status, dateOfIssue, dateOfExpiry, dateOfTheftOrLoss, nationalReference
        case restrictions
    }

    public init(
        issuer: IssuerCode, type: DocumentType, number: String, status: DocumentStatus,
        dateOfIssue: CalendarDate? = nil, dateOfExpiry: CalendarDate? = nil,
        dateOfTheftOrLoss: CalendarDate? = nil, nationalReference: String? = nil,
        restrictions: Restrictions? = nil
    ) {
        self.issuer = issuer
        self.type = type
        self.number = number
        self.status = status
        self.dateOfIssue = dateOfIssue
        self.dateOfExpiry = dateOfExpiry
        self.dateOfTheftOrLoss = dateOfTheftOrLoss
        self.nationalReference = nationalReference
        self.restrictions = restrictions
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decode(IssuerCode.self, forKey: .issuer)
        type = try container.decode(DocumentType.self, forKey: .type)
        number = try container.decode(String.self, forKey: .number)
        status = try container.decode(DocumentStatus.self, forKey: .status)
        dateOfIssue = try container.decodeIfPresent(CalendarDate.self, forKey: .dateOfIssue)
        dateOfExpiry = try container.decodeIfPresent(CalendarDate.self, forKey: .dateOfExpiry)
        dateOfTheftOrLoss = try container.decodeIfPresent(CalendarDate.self, forKey: .dateOfTheftOrLoss)
        nationalReference = try container.decodeIfPresent(String.self, forKey: .nationalReference)
        restrictions = try container.decodeIfPresent(Restrictions.self, forKey: .restrictions)
    }
}

/// One document to check: the three fields that identify it, or the lines of its MRZ as read
/// at the border.
public enum DocumentQuery: Sendable, Hashable, Decodable {
    case fields(issuer: IssuerCode, type: DocumentType, number: String)
    case mrz([String])

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer, type, number, mrz
    }

    public init(issuer: IssuerCode, type: DocumentType, number: String) {
        self = .fields(issuer: issuer, type: type, number: number)
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.mrz) {
            if let other = [CodingKeys.issuer, .type, .number].first(where: container.contains) {
                throw DecodingError.dataCorruptedError(
                    forKey: other, in: container, debugDescription: "give either mrz or issuer, type and number")
            }
            let lines = try container.decode([String].self, forKey: .mrz)
            guard (2...3).contains(lines.count), lines.allSatisfy({ $0.utf8.count <= 60 }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .mrz, in: container,
                    debugDescription: "an MRZ has two or three lines of up to 44 characters")
            }
            self = .mrz(lines)
            return
        }
        self = .fields(
            issuer: try container.decode(IssuerCode.self, forKey: .issuer),
            type: try container.decode(DocumentType.self, forKey: .type),
            number: try container.decode(String.self, forKey: .number))
    }
}

/// `POST /v1/documents/check`.
public struct DocumentCheckRequest: Sendable, Hashable, Decodable {
    public static let maximumBatch = 1000
    public static let maximumLabelLength = 100

    public var documents: [DocumentQuery]
    /// The terminal or place the check was made from, as the checker describes it; kept with
    /// any hit so the owner knows where its document turned up.
    public var terminal: String?
    public var location: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case documents, terminal, location
    }

    public init(documents: [DocumentQuery], terminal: String? = nil, location: String? = nil) {
        self.documents = documents
        self.terminal = terminal
        self.location = location
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        documents = try container.decode([DocumentQuery].self, forKey: .documents)
        if documents.isEmpty || documents.count > Self.maximumBatch {
            throw DecodingError.dataCorruptedError(
                forKey: .documents, in: container,
                debugDescription: "between 1 and \(Self.maximumBatch) documents per check")
        }
        func label(_ key: CodingKeys) throws -> String? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard (1...Self.maximumLabelLength).contains(text.count) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "between 1 and \(Self.maximumLabelLength) characters")
            }
            return text
        }
        terminal = try label(.terminal)
        location = try label(.location)
    }
}

/// The domain rules for recording and withdrawing travel documents.
public enum TravelDocuments {
    /// Travel documents are kept ten years before their owner must review them.
    public static let retentionYears = 10
    public static let maximumReferenceLength = 100

    /// Builds the record an NCB asks for, after the policy allowed the principal to create it.
    public static func record(
        _ request: NewTravelDocument, owner: MemberCode, id: RecordID, now: Date
    ) throws(DomainError) -> TravelDocumentRecord {
        try record(request, owner: owner, id: id, at: RecordingTime(now))
    }

    /// The dates every record made at one instant shares. Calendar arithmetic costs more than
    /// building the record itself, so a bulk import works them out once.
    public struct RecordingTime: Sendable {
        public let now: Date
        let today: CalendarDate
        let reviewDate: Date

        public init(_ now: Date) {
            self.now = now
            today = CalendarDate(now)
            reviewDate = TravelDocuments.reviewDate(from: now)
        }
    }

    public static func record(
        _ request: NewTravelDocument, owner: MemberCode, id: RecordID, at time: RecordingTime
    ) throws(DomainError) -> TravelDocumentRecord {
        let now = time.now
        let document = TravelDocument(
            issuer: request.issuer, type: request.type,
            number: request.number.trimmedOfWhitespace, status: request.status,
            dateOfIssue: request.dateOfIssue, dateOfExpiry: request.dateOfExpiry,
            dateOfTheftOrLoss: request.dateOfTheftOrLoss,
            nationalReference: request.nationalReference?.trimmedOfWhitespace)
        try validate(document, today: time.today)
        let envelope = Envelope(
            id: id, kind: .travelDocument, owner: owner, purpose: .borderManagement,
            restrictions: request.restrictions ?? .none, confidentiality: .officialUse,
            createdAt: now, updatedAt: now, reviewDate: time.reviewDate, status: .active)
        return TravelDocumentRecord(envelope: envelope, document: document, version: 1)
    }

    /// The member whose NCB alone may record documents of this issuer.
    public static func owner(of issuer: IssuerCode) throws(DomainError) -> MemberCode {
        guard let member = issuer.member else {
            throw DomainError.invalid(
                field: "issuer",
                "issuer \(issuer.rawValue) is not a member country; only member NCBs record documents")
        }
        return member
    }

    static func validate(_ document: TravelDocument, today: CalendarDate) throws(DomainError) {
        _ = try document.key
        if let issued = document.dateOfIssue, issued > today {
            throw DomainError.invalid(field: "dateOfIssue", "date of issue is in the future")
        }
        if let issued = document.dateOfIssue, let expiry = document.dateOfExpiry, expiry < issued {
            throw DomainError.invalid(field: "dateOfExpiry", "date of expiry is before the date of issue")
        }
        if let taken = document.dateOfTheftOrLoss, taken > today {
            throw DomainError.invalid(field: "dateOfTheftOrLoss", "date of theft or loss is in the future")
        }
        if let issued = document.dateOfIssue, let taken = document.dateOfTheftOrLoss,
            taken < issued, document.status != .stolenBlank
        {
            throw DomainError.invalid(
                field: "dateOfTheftOrLoss", "a personalised document cannot be lost before it was issued")
        }
        if let reference = document.nationalReference {
            if reference.isEmpty || reference.count > maximumReferenceLength {
                throw DomainError.invalid(
                    field: "nationalReference", "between 1 and \(maximumReferenceLength) characters")
            }
        }
    }

    public static func reviewDate(from date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: retentionYears, to: date) ?? date
    }

    /// Renews the review of a record for another retention period, for the reason its owner gives.
    public static func renewReview(
        _ record: TravelDocumentRecord, reason: String, now: Date
    ) throws(DomainError) -> TravelDocumentRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumReasonLength).contains(reason.count) else {
            throw DomainError.invalid(field: "reason", "give the reason for keeping the data (1 to 500 characters)")
        }
        guard record.envelope.status == .active else {
            throw DomainError.conflict("a withdrawn document is not reviewed")
        }
        var renewed = record
        renewed.envelope.reviewDate = reviewDate(from: now)
        renewed.envelope.updatedAt = now
        renewed.version += 1
        return renewed
    }

    public static let maximumReasonLength = 500

    /// Withdraws a record: it stops being served, and the journal keeps what happened.
    public static func withdraw(_ record: TravelDocumentRecord, now: Date) throws(DomainError) -> TravelDocumentRecord {
        guard record.envelope.status == .active else {
            throw DomainError.conflict("the document is already withdrawn")
        }
        var withdrawn = record
        withdrawn.envelope.status = .withdrawn
        withdrawn.envelope.updatedAt = now
        withdrawn.version += 1
        return withdrawn
    }
}

extension CalendarDate {
    /// The UTC day of an instant.
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

/// `POST /v1/documents/{id}/review`: the owner keeps a record for another period, and says why.
public struct ReviewRenewal: Sendable, Hashable, Decodable {
    public var reason: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case reason
    }

    public init(reason: String) {
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without its cost when there is nothing to trim,
    /// which is nearly always.
    var trimmedOfWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last,
            CharacterSet.whitespaces.contains(first) || CharacterSet.whitespaces.contains(last)
        else { return self }
        return trimmingCharacters(in: .whitespaces)
    }
}
