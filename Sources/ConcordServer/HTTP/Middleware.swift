import ConcordCore
import ConcordStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Echoes the request id (also in every log line of the request) so a caller can quote it.
struct RequestIDMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: ConcordRequestContext,
        next: (Request, ConcordRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.requestID] = context.id
        return response
    }
}

/// Turns every error into problem+json. Anything that is not a known refusal is logged with
/// the request id and reported without internals.
struct ProblemMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: ConcordRequestContext,
        next: (Request, ConcordRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try problem(for: error, context: context).response(from: request, context: context)
        }
    }

    private func problem(for error: any Error, context: ConcordRequestContext) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as DomainError:
            return Problem(error)
        case let failure as ValidationFailure:
            return Problem(failure)
        case let error as DecodingError:
            return Problem(error)
        case let error as HTTPError where error.status == .notFound:
            return .notFound("no such endpoint")
        case let error as HTTPError where error.status == .methodNotAllowed:
            return Problem(
                .methodNotAllowed, "method-not-allowed", "Method not allowed",
                detail: "this endpoint does not accept the method")
        case let error as any HTTPResponseError where error.status.code < 500:
            return Problem(error.status, "http-\(error.status.code)", error.status.reasonPhrase, detail: "\(error)")
        default:
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return .internalError
        }
    }
}

/// Resolves `Authorization: Bearer <key>` to a principal, or HTTP Basic with the key as the
/// password, because TAXII clients speak Basic. The API under `/v1/` and TAXII need a key before
/// anything else is looked at; elsewhere a request without one stays anonymous, for the policy
/// to judge. A bad, revoked or expired key is refused outright.
struct AuthenticationMiddleware: RouterMiddleware {
    let store: any Store
    let keys: APIKeyCache
    let now: @Sendable () -> Date

    func handle(
        _ request: Request, context: ConcordRequestContext,
        next: (Request, ConcordRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            let path = request.uri.path
            if path.hasPrefix("/v1/") || path.hasPrefix("/taxii2") {
                throw Problem.unauthenticated("an API key is required")
            }
            return try await next(request, context)
        }
        guard let secret = Self.bearerToken(header) ?? Self.basicPassword(header) else {
            throw Problem.unauthenticated("use 'Authorization: Bearer <api key>', or Basic with the key as password")
        }
        guard let key = try await keys.key(secretHash: APIKeys.hash(secret), store: store) else {
            throw Problem.unauthenticated("the API key is not valid")
        }
        switch key.validity(at: now()) {
        case .revoked: throw Problem.unauthenticated("the API key was revoked")
        case .expired: throw Problem.unauthenticated("the API key has expired")
        case .valid: break
        }
        var context = context
        context.principal = key.principal
        context.logger[metadataKey: "principal"] = "\(key.id)"
        return try await next(request, context)
    }
}

extension AuthenticationMiddleware {
    /// The token of `Bearer <token>`, the scheme in any case (RFC 9110) and blanks around the
    /// token ignored; read byte by byte because every request of the API passes here.
    static func bearerToken(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var start = scheme.count
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

extension AuthenticationMiddleware {
    /// The password of `Basic base64(user:password)`; the user name is not used.
    static func basicPassword(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let password = text[text.index(after: colon)...]
        return password.isEmpty ? nil : String(password)
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
