import ConcordCore
import Foundation
import Hummingbird

/// `/public/notices/v1/`: the same paths, query parameters and JSON as the public notices API
/// that existing clients consume. No key is needed. Ids in paths write the reference's slash
/// as a dash (`2026/00012` is `2026-00012`), as that API does.
struct PublicNoticesController {
    let service: PublicNoticeService

    static let root = "/public/notices/v1"

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.get("\(Self.root)/{type}", use: search)
        router.get("\(Self.root)/{type}/{entity}", use: notice)
        router.get("\(Self.root)/{type}/{entity}/images", use: images)
        router.get("\(Self.root)/{type}/{entity}/images/{picture}", use: image)
    }

    @Sendable func search(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<PublicNoticeList> {
        let (type, path) = try Self.type(context)
        let parameters = request.uri.queryParameters
        func text(_ name: String) -> String? {
            parameters.get(name).map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap {
                $0.isEmpty ? nil : $0
            }
        }
        func number(_ name: String) throws -> Int? {
            guard let value = text(name) else { return nil }
            guard let number = Int(value) else { throw DomainError.invalid(field: name, "'\(value)' is not a number") }
            return number
        }
        let query = PublicNoticeQuery(
            forename: text("forename"), name: text("name"), nationality: text("nationality"),
            ageMin: try number("ageMin"), ageMax: try number("ageMax"), sexID: text("sexId"),
            arrestWarrantCountryID: text("arrestWarrantCountryId"), freeText: text("freeText"))
        let page = try await service.search(
            type, query, page: try number("page") ?? 1,
            resultPerPage: try number("resultPerPage") ?? PublicNoticeService.defaultPageSize,
            by: context.principal)
        let links = PublicLinks(base: Self.base(request) + "\(Self.root)/\(path)")
        return JSONResponse(PublicNoticeList(page, query: query, path: path, links: links))
    }

    @Sendable func notice(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<PublicNoticeDetail> {
        let (type, path) = try Self.type(context)
        let found = try await service.notice(type, try Self.entityID(context), by: context.principal)
        let links = PublicLinks(base: Self.base(request) + "\(Self.root)/\(path)")
        return JSONResponse(PublicNoticeDetail(found, links: links))
    }

    @Sendable func images(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<PublicNoticeImages> {
        let (type, path) = try Self.type(context)
        let found = try await service.notice(type, try Self.entityID(context), by: context.principal)
        let links = PublicLinks(base: Self.base(request) + "\(Self.root)/\(path)")
        return JSONResponse(PublicNoticeImages(found, links: links))
    }

    /// The photo exactly as its owner sent it.
    @Sendable func image(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        let (type, _) = try Self.type(context)
        let image = try await service.image(
            type, try Self.entityID(context), picture: context.parameters.get("picture") ?? "",
            by: context.principal)
        return Response(
            status: .ok, headers: [.contentType: image.mediaType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: image.bytes)))
    }

    /// The notice types the public API serves, by their path.
    static let types: [String: NoticeType] = ["red": .red, "yellow": .yellow, "un": .unSpecial]

    private static func type(_ context: ConcordRequestContext) throws -> (NoticeType, String) {
        let path = context.parameters.get("type") ?? ""
        guard let type = types[path] else { throw Problem.notFound("no such endpoint") }
        return (type, path)
    }

    /// `2026-00012` in a path is the notice `2026/00012`.
    private static func entityID(_ context: ConcordRequestContext) throws -> String {
        let text = context.parameters.get("entity") ?? ""
        guard let reference = NoticeReference(text.replacingOccurrences(of: "-", with: "/")) else {
            throw Problem.notFound("no notice \(text)")
        }
        return reference.description
    }

    /// Links are absolute when the request names its host, as the public API's are.
    private static func base(_ request: Request) -> String {
        guard let host = request.head.authority else { return "" }
        return "\(request.head.scheme ?? "http")://\(host)"
    }
}

/// Builds the `href`s of one notice type's resources.
struct PublicLinks {
    /// Up to the type: `https://host/public/notices/v1/red`.
    let base: String

    func notice(_ entityID: String) -> String { "\(base)/\(entityID.replacingOccurrences(of: "/", with: "-"))" }
    func images(_ entityID: String) -> String { notice(entityID) + "/images" }
    func image(_ entityID: String, _ picture: String) -> String { images(entityID) + "/\(picture)" }
}

struct Link: Encodable, Sendable {
    let href: String
}

/// A search's answer: `{"total", "query", "_embedded": {"notices": [...]}, "_links"}`.
struct PublicNoticeList: Encodable, Sendable {
    let total: Int
    let query: Query
    let notices: [Item]
    let links: [String: Link]

    struct Query: Encodable, Sendable {
        let filters: PublicNoticeQuery
        let page: Int
        let resultPerPage: Int

        enum CodingKeys: String, CodingKey {
            case forename, name, nationality, ageMin, ageMax, sexId, arrestWarrantCountryId, freeText, page
            case resultPerPage

            var isNumber: Bool { self == .ageMin || self == .ageMax || self == .page || self == .resultPerPage }
        }

        /// The filters given, then the page, in the order the public API echoes them.
        func parameters(page: Int) -> [(key: CodingKeys, value: String)] {
            let all: [(CodingKeys, String?)] = [
                (.forename, filters.forename), (.name, filters.name), (.nationality, filters.nationality),
                (.ageMin, filters.ageMin.map(String.init)), (.ageMax, filters.ageMax.map(String.init)),
                (.sexId, filters.sexID), (.arrestWarrantCountryId, filters.arrestWarrantCountryID),
                (.freeText, filters.freeText), (.page, String(page)), (.resultPerPage, String(resultPerPage)),
            ]
            return all.compactMap { key, value in value.map { (key, $0) } }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for (key, value) in parameters(page: page) {
                if key.isNumber, let number = Int(value) {
                    try container.encode(number, forKey: key)
                } else {
                    try container.encode(value, forKey: key)
                }
            }
        }

        /// The query string that asks for `page` with the same filters.
        func string(page: Int) -> String {
            var components = URLComponents()
            components.queryItems = parameters(page: page).map { URLQueryItem(name: $0.key.rawValue, value: $0.value) }
            return components.percentEncodedQuery ?? ""
        }
    }

    struct Item: Encodable, Sendable {
        let extract: PublicNoticeExtract
        let links: [String: Link]

        enum CodingKeys: String, CodingKey {
            case entityID = "entity_id", forename, name, dateOfBirth = "date_of_birth", nationalities
            case links = "_links"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(extract.entityID, forKey: .entityID)
            try container.encode(extract.forename, forKey: .forename)
            try container.encode(extract.name, forKey: .name)
            try container.encode(extract.dateOfBirth, forKey: .dateOfBirth)
            try container.encode(extract.nationalities, forKey: .nationalities)
            try container.encode(links, forKey: .links)
        }
    }

    init(_ page: PublicNoticeService.Page, query filters: PublicNoticeQuery, path: String, links: PublicLinks) {
        total = page.total
        query = Query(filters: filters, page: page.page, resultPerPage: page.resultPerPage)
        notices = page.notices.map { Item(extract: $0.extract, links: PublicNoticeDetail.links($0, links)) }
        var pages: [String: Link] = [
            "self": Link(href: "\(links.base)?\(query.string(page: page.page))"),
            "first": Link(href: "\(links.base)?\(query.string(page: 1))"),
            "last": Link(href: "\(links.base)?\(query.string(page: page.lastPage))"),
        ]
        if page.page < page.lastPage {
            pages["next"] = Link(href: "\(links.base)?\(query.string(page: page.page + 1))")
        }
        if page.page > 1 {
            pages["previous"] = Link(href: "\(links.base)?\(query.string(page: min(page.page - 1, page.lastPage)))")
        }
        self.links = pages
    }

    enum CodingKeys: String, CodingKey {
        case total, query, embedded = "_embedded", links = "_links"
    }

    enum EmbeddedKeys: String, CodingKey {
        case notices
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(query, forKey: .query)
        var embedded = container.nestedContainer(keyedBy: EmbeddedKeys.self, forKey: .embedded)
        try embedded.encode(notices, forKey: .notices)
        try container.encode(links, forKey: .links)
    }
}

/// One notice's public extract, with its arrest warrants for red notices.
struct PublicNoticeDetail: Encodable, Sendable {
    let found: PublicNoticeService.Found
    let links: [String: Link]

    init(_ found: PublicNoticeService.Found, links: PublicLinks) {
        self.found = found
        self.links = Self.links(found, links)
    }

    static func links(_ found: PublicNoticeService.Found, _ links: PublicLinks) -> [String: Link] {
        let entityID = found.extract.entityID
        var result = ["self": Link(href: links.notice(entityID)), "images": Link(href: links.images(entityID))]
        if let first = found.images.first { result["thumbnail"] = Link(href: links.image(entityID, first)) }
        return result
    }

    enum CodingKeys: String, CodingKey {
        case sexID = "sex_id", placeOfBirth = "place_of_birth", arrestWarrants = "arrest_warrants"
    }

    struct Warrant: Encodable {
        let warrant: PublicArrestWarrant

        enum CodingKeys: String, CodingKey {
            case issuingCountryID = "issuing_country_id", charge, chargeTranslation = "charge_translation"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(warrant.issuingCountryID, forKey: .issuingCountryID)
            try container.encode(warrant.charge, forKey: .charge)
            try container.encode(warrant.chargeTranslation, forKey: .chargeTranslation)
        }
    }

    /// The fields of a search's item, then those only the detail has.
    func encode(to encoder: any Encoder) throws {
        let extract = found.extract
        try PublicNoticeList.Item(extract: extract, links: links).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(extract.sexID, forKey: .sexID)
        try container.encode(extract.placeOfBirth, forKey: .placeOfBirth)
        try container.encode(extract.arrestWarrants.map(Warrant.init), forKey: .arrestWarrants)
    }
}

/// `{"_embedded": {"images": [{"picture_id", "_links": {"self"}}]}, "_links": {"self", "notice"}}`.
struct PublicNoticeImages: Encodable, Sendable {
    let images: [Image]
    let links: [String: Link]

    struct Image: Encodable, Sendable {
        let pictureID: String
        let links: [String: Link]

        enum CodingKeys: String, CodingKey {
            case pictureID = "picture_id", links = "_links"
        }
    }

    init(_ found: PublicNoticeService.Found, links: PublicLinks) {
        let entityID = found.extract.entityID
        images = found.images.map { Image(pictureID: $0, links: ["self": Link(href: links.image(entityID, $0))]) }
        self.links = ["self": Link(href: links.images(entityID)), "notice": Link(href: links.notice(entityID))]
    }

    enum CodingKeys: String, CodingKey {
        case embedded = "_embedded", links = "_links"
    }

    enum EmbeddedKeys: String, CodingKey {
        case images
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var embedded = container.nestedContainer(keyedBy: EmbeddedKeys.self, forKey: .embedded)
        try embedded.encode(images, forKey: .images)
        try container.encode(links, forKey: .links)
    }
}
