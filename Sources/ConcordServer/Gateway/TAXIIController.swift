import ConcordCore
import Foundation
import HTTPTypes
import Hummingbird

/// TAXII 2.1 at `/taxii2/` (OASIS, §4 and §5): discovery, API roots (one per trust group),
/// collections, objects, manifests, versions and status resources. Errors are TAXII error
/// messages (see `Problem`), and every answer is `application/taxii+json;version=2.1`.
struct TAXIIController {
    let service: GatewayService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        let taxii = router.group("taxii2")
        taxii.get("/", use: discovery)
        taxii.get("{root}", use: apiRoot)
        taxii.get("{root}/collections", use: collections)
        taxii.get("{root}/collections/{collection}", use: collection)
        taxii.get("{root}/collections/{collection}/objects", use: objects)
        taxii.post("{root}/collections/{collection}/objects", use: add)
        taxii.get("{root}/collections/{collection}/objects/{object}", use: object)
        taxii.delete("{root}/collections/{collection}/objects/{object}", use: delete)
        taxii.get("{root}/collections/{collection}/objects/{object}/versions", use: versions)
        taxii.get("{root}/collections/{collection}/manifest", use: manifest)
        taxii.get("{root}/status/{status}", use: status)
    }

    @Sendable func discovery(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let roots = try await service.discovery(for: context.principal)
        let base = Self.baseURL(request)
        return try TAXIIResponse(
            encoding: Discovery(
                title: "Concord Gateway",
                description: "Cyber threat exchange between police and partners under agreement",
                apiRoots: roots.map { "\(base)/taxii2/\($0.name)/" }))
    }

    @Sendable func apiRoot(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let root = try await service.apiRoot(try context.parameters.require("root"), for: context.principal)
        return try TAXIIResponse(
            encoding: APIRootInformation(
                title: root.title, description: root.description, versions: [TAXII.mediaType],
                maxContentLength: GatewayService.maximumContentLength))
    }

    @Sendable func collections(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let found = try await service.collections(try context.parameters.require("root"), for: context.principal)
        return try TAXIIResponse(encoding: CollectionList(collections: found.map(CollectionResource.init)))
    }

    @Sendable func collection(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let found = try await service.collection(
            try context.parameters.require("root"), try context.parameters.require("collection"),
            for: context.principal)
        return try TAXIIResponse(encoding: CollectionResource(found))
    }

    @Sendable func objects(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let page = try await read(request, context, allowed: .all, action: "taxii.objects")
        return try TAXIIResponse(envelope: page, property: "objects") { try Self.body(of: $0) }
    }

    @Sendable func object(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let page = try await read(
            request, context, allowed: [.version], object: try context.parameters.require("object"),
            action: "taxii.object")
        return try TAXIIResponse(envelope: page, property: "objects") { try Self.body(of: $0) }
    }

    @Sendable func versions(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let page = try await read(
            request, context, allowed: [], object: try context.parameters.require("object"), versions: .all,
            action: "taxii.versions")
        return TAXIIResponse(envelope: page, property: "versions") { Self.quoted($0.object.version.text) }
    }

    @Sendable func manifest(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let page = try await read(request, context, allowed: .all, action: "taxii.manifest")
        return try TAXIIResponse(envelope: page, property: "objects") { shown in
            let record = ManifestRecord(
                id: shown.object.id, dateAdded: Self.dateAdded(shown.object), version: shown.object.version.text,
                mediaType: TAXII.stixMediaType)
            return Array(try JSONEncoder.taxii.encode(record))
        }
    }

    @Sendable func add(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let contentType = request.headers[.contentType] ?? "none"
        guard TAXII.isTAXIIContent(contentType) else {
            throw Problem.unsupportedMediaType(contentType, expected: TAXII.mediaType, title: "Send a TAXII envelope")
        }
        let limit = GatewayService.maximumContentLength
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem.bodyTooLarge(limit: limit)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.bodyTooLarge(limit: limit)
        }
        let status = try await service.add(
            try context.parameters.require("root"), try context.parameters.require("collection"),
            envelope: Array(body.readableBytesView), by: context.principal)
        return TAXIIResponse(bytes: Array(try JSONEncoder.taxii.encode(status)), status: .accepted)
    }

    @Sendable func delete(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        var filter = try Self.filter(request, allowed: [.version], paging: false)
        if !Self.parameters(request).contains(where: { $0.name == "match[version]" }) { filter.versions = .all }
        try await service.delete(
            try context.parameters.require("root"), try context.parameters.require("collection"),
            objectID: try context.parameters.require("object"), filter, by: context.principal)
        return TAXIIResponse(bytes: [], status: .ok)
    }

    @Sendable func status(_ request: Request, context: ConcordRequestContext) async throws -> TAXIIResponse {
        try Self.negotiate(request)
        let json = try await service.status(
            try context.parameters.require("root"), try context.parameters.require("status"), for: context.principal)
        return TAXIIResponse(bytes: json)
    }

    // MARK: Helpers

    private func read(
        _ request: Request, _ context: ConcordRequestContext, allowed: TAXIIFilter.Allowed, object: String? = nil,
        versions: GatewayVersions? = nil, action: String
    ) async throws -> GatewayService.ShownPage {
        var filter = try Self.filter(request, allowed: allowed, paging: true)
        if let versions { filter.versions = versions }
        return try await service.read(
            try context.parameters.require("root"), try context.parameters.require("collection"), filter,
            objectID: object, action: action, for: context.principal)
    }

    /// The query's filters; a malformed or unknown parameter is a 400, as TAXII requires.
    static func filter(_ request: Request, allowed: TAXIIFilter.Allowed, paging: Bool) throws -> TAXIIFilter {
        let parameters = Self.parameters(request)
        if !paging, let name = parameters.first(where: { ["added_after", "limit", "next"].contains($0.name) })?.name {
            throw Problem.invalidParameter(name, "is not a parameter of this endpoint")
        }
        do {
            return try TAXIIFilter(parameters: parameters, allowed: allowed)
        } catch {
            guard case .invalid(let field, let detail) = error else { throw error }
            throw Problem.invalidParameter(field, detail)
        }
    }

    /// The query's parameters with their names percent-decoded too, since clients send
    /// `match[type]` as `match%5Btype%5D` and the router decodes values only.
    static func parameters(_ request: Request) -> [(name: String, value: String)] {
        request.uri.queryParameters.map {
            (name: String($0.key).removingPercentEncoding ?? String($0.key), value: String($0.value))
        }
    }

    /// 406 for a client that accepts no TAXII 2.1 answer.
    static func negotiate(_ request: Request) throws {
        guard TAXII.accepts(request.headers[.accept]) else {
            throw Problem(
                .notAcceptable, "not-acceptable", "Only TAXII 2.1 is served",
                detail: "accept \(TAXII.mediaType)")
        }
    }

    /// Where the client reached this server, for the absolute URLs discovery lists.
    static func baseURL(_ request: Request) -> String {
        let scheme = request.headers[.forwardedProto] ?? "http"
        return "\(scheme)://\(request.head.authority ?? "localhost")"
    }

    static func dateAdded(_ object: GatewayObject) -> String {
        STIXTimestamp(object.dateAdded ?? Date(timeIntervalSince1970: 0)).text
    }

    /// The object as its sender wrote it, or without `created_by_ref` for a reader the sender's
    /// source is protected from.
    static func body(of shown: GatewayService.Shown) throws -> [UInt8] {
        guard shown.disclosure < .full, shown.object.createdByRef != nil else { return shown.object.json }
        guard case .object(var members) = try JSONValue.parse(shown.object.json) else { return shown.object.json }
        members["created_by_ref"] = nil
        return Array(try JSONEncoder.taxii.encode(JSONValue.object(members)))
    }

    static func quoted(_ text: String) -> [UInt8] { Array(("\"" + text + "\"").utf8) }

    struct Discovery: Encodable {
        let title: String
        let description: String
        let apiRoots: [String]

        enum CodingKeys: String, CodingKey {
            case title, description
            case apiRoots = "api_roots"
        }
    }

    struct APIRootInformation: Encodable {
        let title: String
        let description: String?
        let versions: [String]
        let maxContentLength: Int

        enum CodingKeys: String, CodingKey {
            case title, description, versions
            case maxContentLength = "max_content_length"
        }
    }

    struct CollectionResource: Encodable {
        let id: String
        let title: String
        let description: String?
        let canRead: Bool
        let canWrite: Bool
        let mediaTypes = [TAXII.stixMediaType]

        init(_ access: GatewayService.CollectionAccess) {
            id = access.collection.id
            title = access.collection.title
            description = access.collection.description
            canRead = access.canRead
            canWrite = access.canWrite
        }

        enum CodingKeys: String, CodingKey {
            case id, title, description
            case canRead = "can_read"
            case canWrite = "can_write"
            case mediaTypes = "media_types"
        }
    }

    struct CollectionList: Encodable {
        let collections: [CollectionResource]
    }

    struct ManifestRecord: Encodable {
        let id: String
        let dateAdded: String
        let version: String
        let mediaType: String

        enum CodingKeys: String, CodingKey {
            case id, version
            case dateAdded = "date_added"
            case mediaType = "media_type"
        }
    }
}

/// A TAXII answer: its JSON, and the `date_added` range headers of envelopes.
struct TAXIIResponse: ResponseGenerator {
    let bytes: [UInt8]
    var status: HTTPResponse.Status = .ok
    var headers: HTTPFields = [:]

    init(bytes: [UInt8], status: HTTPResponse.Status = .ok) {
        self.bytes = bytes
        self.status = status
    }

    init(encoding value: some Encodable) throws {
        self.init(bytes: Array(try JSONEncoder.taxii.encode(value)))
    }

    /// An envelope of a page (§3.7): `more` and `next` when more follow, and the items under
    /// `property`, each written by `item`. An empty page is an empty envelope.
    init(
        envelope page: GatewayService.ShownPage, property: String, item: (GatewayService.Shown) throws -> [UInt8]
    ) rethrows {
        var json = Array("{".utf8)
        if let next = page.next {
            json += Array("\"more\":true,\"next\":\"\(next)\"".utf8)
        } else {
            json += Array("\"more\":false".utf8)
        }
        if !page.objects.isEmpty {
            json += Array(",\"\(property)\":[".utf8)
            for (index, shown) in page.objects.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                json += try item(shown)
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(UInt8(ascii: "}"))
        self.init(bytes: json)
        if let first = page.objects.first?.object, let last = page.objects.last?.object {
            headers[.taxiiDateAddedFirst] = TAXIIController.dateAdded(first)
            headers[.taxiiDateAddedLast] = TAXIIController.dateAdded(last)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        if !bytes.isEmpty { headers[.contentType] = TAXII.mediaType }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension JSONEncoder {
    static var taxii: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension HTTPField.Name {
    static let taxiiDateAddedFirst = HTTPField.Name("X-TAXII-Date-Added-First")!
    static let taxiiDateAddedLast = HTTPField.Name("X-TAXII-Date-Added-Last")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}

extension Problem {
    static func invalidParameter(_ name: String, _ detail: String) -> Problem {
        Problem(.badRequest, "invalid-parameter", "A query parameter is invalid", detail: "\(name) \(detail)")
    }
}
