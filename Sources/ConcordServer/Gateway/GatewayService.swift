import ConcordCore
import ConcordStore
import Foundation

/// Gateway: trust groups set up by the General Secretariat, the TAXII 2.1 collections in them,
/// and correlation of observables across collections. The policy decides every collection and
/// every object version; what it hides behaves as if it did not exist.
public struct GatewayService: Sendable {
    let store: any Store
    let journal: QueryJournal
    let warninglists: Warninglists
    let now: @Sendable () -> Date
    private var gate: Gatekeeper { Gatekeeper(journal: journal) }

    /// The largest envelope a client may post, as each API root announces.
    public static let maximumContentLength = 16 << 20
    /// How many stored versions a page may pass over for being hidden from the reader before it
    /// is returned short, with `more`, so that a reader behind much TLP:RED data still gets
    /// answers in bounded time.
    static let maximumScanned = 10_000

    public init(
        store: any Store, journal: QueryJournal, warninglists: Warninglists, now: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.journal = journal
        self.warninglists = warninglists
        self.now = now
    }

    // MARK: Trust groups

    public func putRoot(name: String, _ request: NewGatewayRoot, by principal: Principal) async throws -> GatewayRoot {
        let time = now().truncatedToMilliseconds
        try await gate.authorize(
            principal, .update, .gatewayRoots, action: "gateway.root.put", targets: [name], at: time,
            subject: "Gateway trust groups")
        let previous = try await store.gatewayRoots().first { $0.name == name }
        let root = try GatewayRoots.make(name: name, request, previous: previous, now: time)
        for (index, participant) in root.participants.enumerated() {
            guard case .partner(let id) = participant else { continue }
            guard let agreement = try await store.agreement(id: id), agreement.services.contains(.gateway) else {
                throw DomainError.invalid(
                    field: "participants/\(index)", "\(id) is not an agreement that includes gateway")
            }
        }
        try await store.apply(
            [.putGatewayRoot(root)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "gateway.root.put", targets: [name],
                purpose: nil,
                outcome: "version \(root.version): \(root.participants.count) participants, "
                    + "\(root.collections.count) collections"))
        return root
    }

    public func roots(by principal: Principal) async throws -> [GatewayRoot] {
        let time = now()
        try await gate.authorize(
            principal, .read, .gatewayRoots, action: "gateway.root.list", at: time, subject: "Gateway trust groups")
        let roots = try await store.gatewayRoots()
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "gateway.root.list", targets: [],
                purpose: nil, outcome: "listed \(roots.count)"))
        return roots
    }

    // MARK: TAXII

    /// Who is asking, once the policy lets them take part in the Gateway at all.
    struct Member {
        let principal: Principal
        let participant: GatewayParticipant
        let agreement: AgreementFacts?
    }

    func member(_ principal: Principal, action: String, at time: Date) async throws -> Member {
        var agreement: AgreementFacts?
        if let id = principal.agreement { agreement = try await store.agreement(id: id)?.facts(at: time) }
        guard let participant = GatewayParticipant.of(principal) else {
            try await gate.refuse(
                .forbidden("your role takes no part in the Gateway"), principal, action: action, targets: [], at: time)
        }
        let anywhere = GatewayCollectionFacts(readers: [participant], writers: [], agreement: agreement)
        guard Policy.decide(principal, .read, .gatewayCollection(anywhere)).isAllowed else {
            try await gate.refuse(
                .forbidden("your agreement does not include Gateway, or is not in force"), principal, action: action,
                targets: [], at: time)
        }
        return Member(principal: principal, participant: participant, agreement: agreement)
    }

    /// The trust groups a principal takes part in, for discovery.
    public func discovery(for principal: Principal) async throws -> [GatewayRoot] {
        let time = now()
        let member = try await member(principal, action: "taxii.discovery", at: time)
        let roots = try await store.gatewayRoots().filter { $0.includes(member.participant) }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "taxii.discovery", targets: [],
                purpose: nil, outcome: "listed \(roots.count)"))
        return roots
    }

    /// A trust group the principal takes part in; any other answers 404, as if it did not exist.
    func root(_ name: String, _ member: Member, action: String, at time: Date) async throws -> GatewayRoot {
        guard let root = try await store.gatewayRoots().first(where: { $0.name == name }),
            root.includes(member.participant)
        else {
            try await gate.refuse(
                .notFound("no API root '\(name)'"), member.principal, action: action, targets: [name], at: time)
        }
        return root
    }

    public func apiRoot(_ name: String, for principal: Principal) async throws -> GatewayRoot {
        let time = now()
        let member = try await member(principal, action: "taxii.root", at: time)
        let root = try await root(name, member, action: "taxii.root", at: time)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "taxii.root", targets: [name],
                purpose: nil, outcome: "disclosed"))
        return root
    }

    public struct CollectionAccess: Sendable {
        public let collection: GatewayCollection
        public let canRead: Bool
        public let canWrite: Bool
    }

    func access(_ collection: GatewayCollection, _ member: Member) -> CollectionAccess {
        let facts = collection.access(agreement: member.agreement)
        return CollectionAccess(
            collection: collection,
            canRead: Policy.decide(member.principal, .read, .gatewayCollection(facts)).isAllowed,
            canWrite: Policy.decide(member.principal, .create, .gatewayCollection(facts)).isAllowed)
    }

    /// The collections of a group that the principal may read or write; others are not listed.
    public func collections(_ rootName: String, for principal: Principal) async throws -> [CollectionAccess] {
        let time = now()
        let member = try await member(principal, action: "taxii.collections", at: time)
        let root = try await root(rootName, member, action: "taxii.collections", at: time)
        let visible = root.collections.map { access($0, member) }.filter { $0.canRead || $0.canWrite }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "taxii.collections", targets: [rootName],
                purpose: nil, outcome: "listed \(visible.count)"))
        return visible
    }

    public func collection(_ rootName: String, _ id: String, for principal: Principal) async throws -> CollectionAccess
    {
        let time = now()
        let (_, access) = try await collectionAccess(rootName, id, principal, action: "taxii.collection", at: time)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "taxii.collection", targets: [id],
                purpose: nil, outcome: "disclosed"))
        return access
    }

    func collectionAccess(
        _ rootName: String, _ id: String, _ principal: Principal, action: String, at time: Date
    ) async throws -> (Member, CollectionAccess) {
        let member = try await member(principal, action: action, at: time)
        let root = try await root(rootName, member, action: action, at: time)
        guard let collection = root.collection(id: id), case let found = access(collection, member),
            found.canRead || found.canWrite
        else {
            try await gate.refuse(
                .notFound("no collection '\(id)'"), principal, action: action, targets: [id], at: time)
        }
        return (member, found)
    }

    /// A collection the principal may read (`read`) or add to (`create`); 403 when it can see
    /// the collection but not do this.
    func authorized(
        _ rootName: String, _ id: String, _ principal: Principal, _ action: Action, name: String, at time: Date
    ) async throws -> (Member, CollectionAccess) {
        let (member, access) = try await collectionAccess(rootName, id, principal, action: name, at: time)
        let allowed = action == .read ? access.canRead : access.canWrite
        guard allowed else {
            let verb = action == .read ? "read" : "add to"
            try await gate.refuse(
                .forbidden("you may not \(verb) collection \(id)"), principal, action: name, targets: [id], at: time)
        }
        return (member, access)
    }

    func facts(_ object: GatewayObject, _ collection: GatewayCollection, _ member: Member) -> GatewayObjectFacts {
        GatewayObjectFacts(
            collection: collection.access(agreement: member.agreement), tlp: object.tlp,
            addedBy: object.addedBy,
            addedByKey: object.addedByKey,
            recipients: Set(object.recipients), protectsSource: object.protectsSource)
    }

    /// A version the principal may see, as it is shown to it.
    public struct Shown: Sendable {
        public let object: GatewayObject
        /// Nil when the sender's `created_by_ref` is withheld from this reader.
        public let disclosure: Disclosure
    }

    public struct ShownPage: Sendable {
        public let objects: [Shown]
        public let next: Int64?
    }

    /// Pages through the collection in `date_added` order, keeping what the policy lets the
    /// principal read; hidden versions are passed over as if absent.
    func visible(_ query: GatewayQuery, _ collection: GatewayCollection, _ member: Member) async throws -> ShownPage {
        var query = query
        let wanted = query.limit
        var shown: [Shown] = []
        var scanned = 0
        while true {
            let page = try await store.gatewayObjects(query)
            scanned += page.objects.count
            for object in page.objects {
                if case .allow(let disclosure) = Policy.decide(
                    member.principal, .read, .gatewayObject(facts(object, collection, member)))
                {
                    shown.append(Shown(object: object, disclosure: disclosure))
                }
            }
            guard let next = page.next else { return ShownPage(objects: shown, next: nil) }
            if shown.count >= wanted || scanned >= Self.maximumScanned { return ShownPage(objects: shown, next: next) }
            query.cursor = next
            query.limit = wanted - shown.count
        }
    }

    /// Objects, the manifest and an object's versions: one read of the collection, journaled.
    public func read(
        _ rootName: String, _ id: String, _ filter: TAXIIFilter, objectID: String? = nil, action: String,
        for principal: Principal
    ) async throws -> ShownPage {
        let time = now()
        let (member, access) = try await authorized(rootName, id, principal, .read, name: action, at: time)
        var query = filter.query(collection: access.collection.id)
        if let objectID { query.ids = [objectID] }
        let page = try await visible(query, access.collection, member)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: action,
                targets: [access.collection.id] + (objectID.map { [$0] } ?? []), purpose: nil,
                outcome: "returned \(page.objects.count)"))
        if let objectID, page.objects.isEmpty, page.next == nil, filter.next == nil {
            throw DomainError.notFound("no object '\(objectID)' in collection \(id)")
        }
        return page
    }

    /// Adds an envelope's objects; each refused one is named in the status with its reasons.
    public func add(
        _ rootName: String, _ id: String, envelope: [UInt8], by principal: Principal
    ) async throws
        -> TAXIIStatus
    {
        let time = now()
        let (member, access) = try await authorized(
            rootName, id, principal, .create, name: "taxii.objects.add", at: time)
        let parsed: (value: JSONValue, elements: [Range<Int>])
        do {
            parsed = try JSONValue.parse(envelope, keepingElementsOf: "objects")
        } catch {
            throw Problem.malformedJSON(error.description)
        }
        guard let objects = parsed.value["objects"]?.array else {
            throw Problem(
                .unprocessableContent, "not-an-envelope", "The body is not a TAXII envelope",
                detail: "send an object with an 'objects' list of STIX 2.1 objects")
        }
        var status = TAXIIStatus(id: UUID().uuidString.lowercased(), requestTimestamp: STIXTimestamp(time))
        var accepted: [GatewayObject] = []
        for (value, range) in zip(objects, parsed.elements) {
            let objectID = value["id"]?.string ?? ""
            switch GatewayIngest.object(
                value, json: Array(envelope[range]), collection: access.collection.id, addedBy: member.participant,
                key: principal.actor, at: time)
            {
            case .success(let object):
                accepted.append(object)
                let flagged = object.observables.flatMap { observable in
                    warninglists.lists(containing: observable).map { "\(observable) is on warninglist \($0)" }
                }
                status.successes.append(
                    TAXIIStatus.Detail(
                        id: object.id, version: object.version.text,
                        message: flagged.isEmpty ? nil : flagged.joined(separator: "; ")))
            case .failure(let failure):
                status.failures.append(
                    TAXIIStatus.Detail(
                        id: objectID, version: value["modified"]?.string ?? value["created"]?.string ?? "",
                        message: failure.description))
            }
        }
        let record = GatewayStatusRecord(
            id: status.id, apiRoot: rootName, requester: principal.actor,
            json: Array(try JSONEncoder.taxii.encode(status)))
        try await store.apply(
            (accepted.isEmpty ? [] : [.insertGatewayObjects(accepted)]) + [.insertGatewayStatus(record)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: "taxii.objects.add",
                targets: [access.collection.id, "status:\(status.id)"], purpose: nil,
                outcome: "added \(status.successes.count), refused \(status.failures.count)"))
        return status
    }

    /// Deletes the chosen versions of an object (all when none are named). Only versions the
    /// principal can see are considered; deleting another organisation's is refused.
    public func delete(
        _ rootName: String, _ id: String, objectID: String, _ filter: TAXIIFilter, by principal: Principal
    ) async throws {
        let time = now()
        let action = "taxii.object.delete"
        let (member, access) = try await authorized(rootName, id, principal, .create, name: action, at: time)
        var query = filter.query(collection: access.collection.id)
        query.ids = [objectID]
        query.limit = TAXII.maximumPageSize
        var versions: [STIXTimestamp] = []
        while true {
            let page = try await store.gatewayObjects(query)
            for object in page.objects {
                switch Policy.decide(principal, .withdraw, .gatewayObject(facts(object, access.collection, member))) {
                case .allow: versions.append(object.version)
                case .deny(.hidden): continue
                case .deny:
                    try await gate.refuse(
                        .forbidden("only the organisation that added a version may delete it"), principal,
                        action: action, targets: [access.collection.id, objectID], at: time)
                }
            }
            guard let next = page.next else { break }
            query.cursor = next
        }
        guard !versions.isEmpty else {
            try await gate.refuse(
                .notFound("no object '\(objectID)' in collection \(id)"), principal, action: action,
                targets: [access.collection.id, objectID], at: time)
        }
        try await store.apply(
            [.deleteGatewayObject(collection: access.collection.id, id: objectID, versions: versions)],
            journal: JournalDraft(
                category: .write, time: time, principal: principal, action: action,
                targets: [access.collection.id, objectID], purpose: nil, outcome: "deleted \(versions.count) versions"))
    }

    /// A status resource, to the principal that posted it only.
    public func status(_ rootName: String, _ id: String, for principal: Principal) async throws -> [UInt8] {
        let time = now()
        let member = try await member(principal, action: "taxii.status", at: time)
        _ = try await root(rootName, member, action: "taxii.status", at: time)
        guard let status = try await store.gatewayStatus(id: id.lowercased()), status.apiRoot == rootName,
            status.requester == principal.actor
        else {
            try await gate.refuse(
                .notFound("no status '\(id)'"), principal, action: "taxii.status", targets: [id], at: time)
        }
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: "taxii.status", targets: [id],
                purpose: nil, outcome: "disclosed"))
        return status.json
    }

    // MARK: Correlation

    /// The versions, across every collection the principal may read, that name the value; the
    /// principal learns nothing of those it may not see, not even that they exist.
    public func correlate(_ raw: String, kind: ObservableKind?, for principal: Principal) async throws -> Correlation {
        let time = now()
        let action = "gateway.correlate"
        let member = try await member(principal, action: action, at: time)
        guard let observable = Correlation.observable(raw, kind: kind) else {
            throw DomainError.invalid(
                field: "value",
                kind.map { "'\(raw)' is not a valid \($0.rawValue) value" }
                    ?? "'\(raw)' is not an address, network, domain, URL, email address or hash")
        }
        var collections: [String: (root: String, collection: GatewayCollection)] = [:]
        for root in try await store.gatewayRoots() where root.includes(member.participant) {
            for collection in root.collections { collections[collection.id] = (root.name, collection) }
        }
        let found = try await store.gatewayObjects(
            observedAs: observable.kind, values: observable.correlatingValues, limit: Correlation.maximumObjects)
        var sightings: [Correlation.Sighting] = []
        for object in found {
            guard let (root, collection) = collections[object.collection],
                Policy.decide(principal, .read, .gatewayObject(facts(object, collection, member))).isAllowed
            else { continue }
            sightings.append(
                Correlation.Sighting(
                    apiRoot: root, collection: collection.id, id: object.id, type: object.type,
                    version: object.version.text, dateAdded: STIXTimestamp(object.dateAdded ?? time).text,
                    tlp: object.tlp))
        }
        let correlation = Correlation(
            value: observable.value, kind: observable.kind, warninglists: warninglists.lists(containing: observable),
            objects: sightings)
        try await journal.record(
            JournalDraft(
                category: .query, time: time, principal: principal, action: action, targets: ["\(observable)"],
                purpose: nil, outcome: "returned \(sightings.count)"))
        return correlation
    }
}
