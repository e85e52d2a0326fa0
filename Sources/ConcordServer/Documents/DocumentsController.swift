import ConcordCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/documents`: decode, call the service, encode.
struct DocumentsController {
    let service: DocumentService
    let exports: DocumentExportService
    let importer: DocumentImportService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/documents", use: record)
        router.post("/v1/documents/check", use: check)
        router.get("/v1/documents/export", use: export)
        router.post("/v1/documents/bulk", use: bulk)
        router.get("/v1/documents/{id}", use: document)
        router.delete("/v1/documents/{id}", use: withdraw)
        router.post("/v1/documents/{id}/review", use: renewReview)
        router.get("/v1/reviews/due", use: reviewsDue)
    }

    @Sendable func renewReview(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentView>
    {
        let body = try await request.decodeJSON(ReviewRenewal.self, context: context)
        return JSONResponse(
            try await service.renewReview(try context.recordID(of: "document"), body, by: context.principal))
    }

    @Sendable func reviewsDue(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentPage>
    {
        let query = request.uri.queryParameters
        let within = query.get("within").map { Int($0) ?? 0 } ?? 90
        let cursor = query.get("cursor").map { String($0) }
        return JSONResponse(try await service.reviewsDue(within: within, after: cursor, by: context.principal))
    }

    @Sendable func record(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentView>
    {
        let body = try await request.decodeJSON(NewTravelDocument.self, context: context)
        let view = try await service.record(body, by: context.principal)
        return JSONResponse(view, status: .created, headers: [.location: "/v1/documents/\(view.id)"])
    }

    @Sendable func document(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentView>
    {
        JSONResponse(try await service.document(try context.recordID(of: "document"), for: context.principal))
    }

    @Sendable func withdraw(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentView>
    {
        JSONResponse(try await service.withdraw(try context.recordID(of: "document"), by: context.principal))
    }

    @Sendable func check(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentCheckResponse>
    {
        let body = try await request.decodeJSON(
            DocumentCheckRequest.self, context: context, fastPath: DocumentJSONFastPath.decodeCheck)
        return JSONResponse(try await service.check(body, by: context.principal))
    }

    @Sendable func export(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        let signed = try await exports.export(since: try request.exportStart(), by: context.principal)
        return Response(signed: signed, signatureField: .bundleSignature, keyField: .bundleKey)
    }

    @Sendable func bulk(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<DocumentImportReport>
    {
        let query = request.uri.queryParameters
        let mode = try query.get("mode").map { text in
            guard let mode = ImportMode(rawValue: String(text)) else {
                throw DomainError.invalid(field: "mode", "'\(text)' is not one of best-effort, all-or-nothing")
            }
            return mode
        }
        let member = try query.get("member").map { text in
            guard let member = MemberCode(String(text)) else {
                throw DomainError.invalid(field: "member", "unknown member country '\(text)'")
            }
            return member
        }
        let body = try await request.collectNDJSON(upTo: ConcordRequestContext.maximumBulkBodySize)
        let report = try await importer.run(
            format: .ndjson, member: member, mode: mode ?? .bestEffort, by: context.principal,
            read: DocumentImportService.reading(Array(body.readableBytesView)))
        return JSONResponse(report)
    }
}

extension HTTPField.Name {
    /// Base64 Ed25519 signature of the response body.
    static let bundleSignature = HTTPField.Name("Concord-Bundle-Signature")!
    /// The signing key (hex), for information only: an offline copy trusts the key it was given.
    static let bundleKey = HTTPField.Name("Concord-Bundle-Key")!
}
