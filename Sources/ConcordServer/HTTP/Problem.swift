import ConcordCore
import Foundation
import Hummingbird

/// An RFC 9457 problem: a stable `type` to switch on, a human `detail`, and the JSON pointer
/// of the offending field where there is one.
public struct Problem: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let slug: String
    public let title: String
    public let detail: String
    public let field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String, field: String? = nil) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.field = field
    }

    public var type: String { "urn:concord:problem:\(slug)" }

    struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let field: String?
        let requestId: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: type, title: title, status: status.code, detail: detail, field: field, requestId: context.id)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try ConcordJSON.encoder().encode(body))))
    }
}

extension Problem {
    static func malformedJSON(_ detail: String) -> Problem {
        Problem(.badRequest, "malformed-json", "The body is not valid JSON", detail: detail)
    }

    static func invalidField(_ field: String, _ detail: String) -> Problem {
        Problem(.unprocessableContent, "invalid-field", "A field is missing or invalid", detail: detail, field: field)
    }

    static func unknownField(_ field: String) -> Problem {
        Problem(
            .unprocessableContent, "unknown-field", "The body has a field this endpoint does not accept",
            detail: "unknown field '\(field.split(separator: "/").last ?? "")'", field: field)
    }

    static let bodyTooLarge = Problem(
        .contentTooLarge, "body-too-large", "The body is too large",
        detail: "request bodies are limited to \(ConcordRequestContext.maximumBodySize) bytes")

    static func unsupportedMediaType(_ type: String) -> Problem {
        Problem(
            .unsupportedMediaType, "unsupported-media-type", "Send JSON",
            detail: "expected application/json, got \(type)")
    }

    static func unauthenticated(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, "unauthenticated", "Authentication required", detail: detail)
        problem.headers[.wwwAuthenticate] = "Bearer"
        return problem
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, "not-found", "Not found", detail: detail)
    }

    static let internalError = Problem(
        .internalServerError, "internal", "Internal error",
        detail: "the request failed unexpectedly; quote the request id to the operators")

    init(_ error: DomainError) {
        switch error {
        case .invalid(let field, let detail):
            self = .invalidField(Problem.pointer(field), detail)
        case .unauthenticated(let detail):
            self = .unauthenticated(detail)
        case .forbidden(let detail):
            self.init(.forbidden, "forbidden", "Not allowed", detail: detail)
        case .notFound(let detail):
            self = .notFound(detail)
        case .conflict(let detail):
            self.init(.conflict, "conflict", "Conflicts with the current state", detail: detail)
        case .unavailable(let detail):
            self.init(.serviceUnavailable, "unavailable", "Not available on this node", detail: detail)
        }
    }

    /// Reports a decoding failure with the JSON pointer of the field at fault.
    init(_ error: DecodingError) {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self = .malformedJSON(Problem.describe(context.underlyingError) ?? context.debugDescription)
        case .dataCorrupted(let context):
            let field = Problem.pointer(context.codingPath)
            if context.debugDescription.hasPrefix("unknown field") {
                self = .unknownField(field)
            } else {
                self = .invalidField(field, context.debugDescription)
            }
        case .keyNotFound(let key, let context):
            let field = Problem.pointer(context.codingPath + [key])
            self = .invalidField(field, "missing field '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            self = .invalidField(Problem.pointer(context.codingPath), "expected \(Problem.jsonName(of: type))")
        case .valueNotFound(let type, let context):
            self = .invalidField(
                Problem.pointer(context.codingPath), "expected \(Problem.jsonName(of: type)), found null")
        @unknown default:
            self = .malformedJSON("\(error)")
        }
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
    }

    static func pointer(_ field: String) -> String { field.hasPrefix("/") ? field : "/" + field }

    static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: type == [Any].self ? "an array" : "an object or value of the documented type"
        }
    }

    private static func describe(_ error: (any Error)?) -> String? {
        guard let error else { return nil }
        let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return description ?? "\(error)"
    }
}
