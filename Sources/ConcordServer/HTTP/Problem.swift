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
    /// Every field at fault, when a request is refused for several at once.
    public var errors: [FieldError]?
    public var headers: HTTPFields = [:]

    public struct FieldError: Encodable, Sendable {
        /// JSON pointer.
        let field: String
        let reason: String
    }

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
        let errors: [FieldError]?
        let requestId: String
    }

    /// TAXII 2.1's error message (§3.6.1), for the TAXII interface.
    struct TAXIIBody: Encodable {
        let title: String
        let description: String
        let errorID: String
        let errorCode: String
        let httpStatus: String

        enum CodingKeys: String, CodingKey {
            case title, description
            case errorID = "error_id"
            case errorCode = "error_code"
            case httpStatus = "http_status"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        if request.uri.path.hasPrefix("/taxii2") {
            var headers = self.headers
            headers[.contentType] = TAXII.mediaType
            if status == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"Concord TAXII\"" }
            let body = TAXIIBody(
                title: title, description: detail, errorID: context.id, errorCode: slug, httpStatus: "\(status.code)")
            return Response(
                status: status, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try ConcordJSON.encoder().encode(body))))
        }
        let body = Body(
            type: type, title: title, status: status.code, detail: detail, field: field, errors: errors,
            requestId: context.id)
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

    static let bodyTooLarge = bodyTooLarge(limit: ConcordRequestContext.maximumBodySize)

    static func bodyTooLarge(limit: Int) -> Problem {
        let endpoint = limit > ConcordRequestContext.maximumBodySize ? " (\(limit >> 20) MiB) on this endpoint" : ""
        return Problem(
            .contentTooLarge, "body-too-large", "The body is too large",
            detail: "request bodies are limited to \(limit) bytes\(endpoint)")
    }

    static func unsupportedMediaType(
        _ type: String, expected: String = "application/json", title: String = "Send JSON"
    ) -> Problem {
        Problem(.unsupportedMediaType, "unsupported-media-type", title, detail: "expected \(expected), got \(type)")
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

    /// Every missing or invalid field at once, the first also as `field`.
    init(_ failure: ValidationFailure) {
        let errors = failure.issues.map { FieldError(field: $0.pointer, reason: $0.reason) }
        let count = errors.count == 1 ? "1 field is" : "\(errors.count) fields are"
        self.init(
            .unprocessableContent, "invalid-fields", "Fields are missing or invalid",
            detail: "\(count) missing or invalid: " + failure.issues.map(\.description).joined(separator: "; "),
            field: errors.first?.field)
        self.errors = errors
    }

    static func unsupportedImage(_ detail: String) -> Problem {
        Problem(.unsupportedMediaType, "unsupported-image", "Send a JPEG or PNG image", detail: detail)
    }

    static func invalidImage(_ detail: String) -> Problem {
        Problem(.unprocessableContent, "invalid-image", "The image is damaged", detail: detail)
    }

    /// Reports a decoding failure with the JSON pointer of the field at fault.
    init(_ error: DecodingError) {
        self.init(DecodingFailure(error))
    }

    init(_ failure: DecodingFailure) {
        switch failure.kind {
        case .malformedJSON: self = .malformedJSON(failure.detail)
        case .unknownField: self = .unknownField(failure.field ?? "/")
        case .invalidField: self = .invalidField(failure.field ?? "/", failure.detail)
        }
    }

    static func pointer(_ field: String) -> String { DecodingFailure.pointer(field) }
}
