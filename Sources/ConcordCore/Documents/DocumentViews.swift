import Foundation

/// A travel document as shown to a principal, cut to what the policy disclosed.
public struct DocumentView: Sendable, Hashable, Encodable {
    public var id: RecordID
    public var owner: MemberCode
    public var issuer: IssuerCode
    public var type: DocumentType
    public var number: String
    public var status: DocumentStatus
    public var recordStatus: RecordStatus?
    public var dateOfIssue: CalendarDate?
    public var dateOfExpiry: CalendarDate?
    public var dateOfTheftOrLoss: CalendarDate?
    public var nationalReference: String?
    public var purpose: Purpose?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var reviewDate: Date?
    /// Only the owner sees its own restrictions: they would tell others who else may not see.
    public var restrictions: Restrictions?

    public init?(_ record: TravelDocumentRecord, disclosure: Disclosure, viewer: MemberCode?) {
        let envelope = record.envelope
        let document = record.document
        switch disclosure {
        case .hitOnly:
            return nil
        case .actionable:
            self.init(
                id: envelope.id, owner: envelope.owner, issuer: document.issuer, type: document.type,
                number: document.number, status: document.status)
        case .full:
            self.init(
                id: envelope.id, owner: envelope.owner, issuer: document.issuer, type: document.type,
                number: document.number, status: document.status)
            recordStatus = envelope.status
            dateOfIssue = document.dateOfIssue
            dateOfExpiry = document.dateOfExpiry
            dateOfTheftOrLoss = document.dateOfTheftOrLoss
            nationalReference = document.nationalReference
            purpose = envelope.purpose
            createdAt = envelope.createdAt
            updatedAt = envelope.updatedAt
            reviewDate = envelope.reviewDate
            if viewer == envelope.owner { restrictions = envelope.restrictions }
        }
    }

    private init(
        id: RecordID, owner: MemberCode, issuer: IssuerCode, type: DocumentType, number: String,
        status: DocumentStatus
    ) {
        self.id = id
        self.owner = owner
        self.issuer = issuer
        self.type = type
        self.number = number
        self.status = status
    }
}

public struct DocumentCheckResult: Sendable, Hashable, Encodable {
    public var hit: Bool
    public var document: DocumentView?
    /// The hit's id, to quote when following it up.
    public var reference: String?
    /// A published red notice whose subject holds the document, as far as the checker may know.
    public var notice: NoticeMention? = nil

    public static let noHit = DocumentCheckResult(hit: false, document: nil, reference: nil)

    public init(hit: Bool, document: DocumentView?, reference: String?) {
        self.hit = hit
        self.document = document
        self.reference = reference
    }
}

/// What a private partner learns: whether a document is recorded, and a reference to quote to
/// the local police. Nothing else, so nothing about the record can leak.
public struct PartnerCheckResult: Sendable, Hashable, Encodable {
    public var hit: Bool
    public var reference: String?

    public init(hit: Bool, reference: String?) {
        self.hit = hit
        self.reference = reference
    }
}

public struct PartnerCheckResponse: Sendable, Hashable, Encodable {
    public var results: [PartnerCheckResult]

    public init(results: [PartnerCheckResult]) {
        self.results = results
    }
}

public struct DocumentCheckResponse: Sendable, Hashable, Encodable {
    public var results: [DocumentCheckResult]

    public init(results: [DocumentCheckResult]) {
        self.results = results
    }
}

/// A page of documents; pass `next` as `cursor` to continue.
public struct DocumentPage: Sendable, Hashable, Encodable {
    public var documents: [DocumentView]
    public var next: String?

    public init(documents: [DocumentView], next: String?) {
        self.documents = documents
        self.next = next
    }
}

extension DocumentCheckResponse: HandEncodedJSON {
    public var handEncodedJSON: [UInt8]? {
        results.allSatisfy { $0 == .noHit } ? DocumentJSONFastPath.allMisses(count: results.count) : nil
    }
}

extension PartnerCheckResponse: HandEncodedJSON {
    public var handEncodedJSON: [UInt8]? {
        results.allSatisfy { !$0.hit && $0.reference == nil }
            ? DocumentJSONFastPath.allMisses(count: results.count) : nil
    }
}
