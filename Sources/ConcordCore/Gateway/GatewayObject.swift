import Foundation

/// A version of a STIX object as a Gateway collection holds it: the JSON as the partner sent
/// it, and the properties TAXII filters on and the policy decides by, kept beside it.
public struct GatewayObject: Sendable, Hashable {
    public var collection: String
    public var id: String
    public var type: String
    public var specVersion: String
    /// The version TAXII names the object by: its `modified` time, else `created`, else the
    /// time it was added (objects without versions, such as observables).
    public var version: STIXTimestamp
    /// When the collection received this version; unique across the store and assigned by it,
    /// so that paging by `added_after` never skips an object.
    public var dateAdded: Date?
    /// The strictest TLP marking the object carries, if any.
    public var tlp: TLPLevel?
    public var createdByRef: String?
    /// The organisation that added it, and the key it used.
    public var addedBy: GatewayParticipant
    public var addedByKey: String
    /// Organisations and keys the sender named as recipients (`x_concord_recipients`).
    public var recipients: [String]
    /// The sender asked that partners not learn `created_by_ref` (`x_concord_protect_source`).
    public var protectsSource: Bool
    /// The observable values the object names, for correlation; written with the object, not
    /// read back with it.
    public var observables: [Observable]
    public var json: [UInt8]

    public init(
        collection: String, id: String, type: String, specVersion: String, version: STIXTimestamp,
        dateAdded: Date? = nil, tlp: TLPLevel?, createdByRef: String?, addedBy: GatewayParticipant,
        addedByKey: String = "",
        recipients: [String] = [], protectsSource: Bool = false, observables: [Observable] = [], json: [UInt8]
    ) {
        self.collection = collection
        self.id = id
        self.type = type
        self.specVersion = specVersion
        self.version = version
        self.dateAdded = dateAdded
        self.tlp = tlp
        self.createdByRef = createdByRef
        self.addedBy = addedBy
        self.addedByKey = addedByKey
        self.recipients = recipients
        self.protectsSource = protectsSource
        self.observables = observables
        self.json = json
    }
}

/// Which versions of each object a query returns (TAXII `match[version]`): any of the first,
/// the last and the named ones, or all.
public struct GatewayVersions: Sendable, Hashable {
    public var first = false
    public var last = false
    public var exactly: [STIXTimestamp] = []
    public var all = false

    public static let last = GatewayVersions(last: true)
    public static let first = GatewayVersions(first: true)
    public static let all = GatewayVersions(all: true)
    public static func exactly(_ versions: [STIXTimestamp]) -> GatewayVersions { GatewayVersions(exactly: versions) }

    public init(first: Bool = false, last: Bool = false, exactly: [STIXTimestamp] = [], all: Bool = false) {
        self.first = first
        self.last = last
        self.exactly = exactly
        self.all = all
    }
}

/// A TAXII object query on one collection, in `date_added` order.
public struct GatewayQuery: Sendable, Hashable {
    public var collection: String
    /// Only objects added strictly after this time.
    public var addedAfter: Date?
    /// Continues after the last object of an earlier page (`GatewayPage.next`).
    public var cursor: Int64?
    public var limit: Int
    public var ids: [String]
    public var types: [String]
    public var versions: GatewayVersions
    public var specVersions: [String]

    public init(
        collection: String, addedAfter: Date? = nil, cursor: Int64? = nil, limit: Int, ids: [String] = [],
        types: [String] = [], versions: GatewayVersions = .last, specVersions: [String] = []
    ) {
        self.collection = collection
        self.addedAfter = addedAfter
        self.cursor = cursor
        self.limit = limit
        self.ids = ids
        self.types = types
        self.versions = versions
        self.specVersions = specVersions
    }
}

public struct GatewayPage: Sendable, Hashable {
    public var objects: [GatewayObject]
    /// Set when more objects match: the cursor of the last object on this page.
    public var next: Int64?

    public init(objects: [GatewayObject], next: Int64?) {
        self.objects = objects
        self.next = next
    }
}

/// A TAXII status resource as stored: who asked, and the JSON the API serves.
public struct GatewayStatusRecord: Sendable, Hashable {
    public var id: String
    public var apiRoot: String
    public var requester: String
    public var json: [UInt8]

    public init(id: String, apiRoot: String, requester: String, json: [UInt8]) {
        self.id = id
        self.apiRoot = apiRoot
        self.requester = requester
        self.json = json
    }
}

extension Date {
    /// Microseconds since 1970: TAXII dates are compared and paged at this precision. Rounded
    /// to the nearest, so that a time made by `init(microsecondsSince1970:)` reads back exactly.
    public var microsecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

    public init(microsecondsSince1970 value: Int64) {
        self.init(timeIntervalSince1970: Double(value) / 1_000_000)
    }
}

extension STIXTimestamp {
    /// Nanoseconds since 1970: the exact key a version is stored and compared by.
    public var nanosecondsSince1970: Int64 { seconds * 1_000_000_000 + Int64(nanoseconds) }

    /// Microseconds since 1970, any finer fraction dropped.
    public var microsecondsSince1970: Int64 { seconds * 1_000_000 + Int64(nanoseconds / 1000) }
}
