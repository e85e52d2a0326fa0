import ConcordCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/signatures`: the bank for police, matching, reports and hash lists for Baseline partners.
struct SignaturesController {
    let service: SignatureService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/signatures", use: add)
        router.post("/v1/signatures/bulk", use: bulk)
        router.post("/v1/signatures/match", use: match)
        router.post("/v1/signatures/reports", use: report)
        router.get("/v1/signatures/list", use: list)
        router.get("/v1/signatures/list/key", use: listKey)
        router.get("/v1/signatures/contributors", use: contributors)
        router.put("/v1/signatures/contributors/{member}", use: authorise)
        router.delete("/v1/signatures/contributors/{member}", use: revoke)
        router.get("/v1/signatures/{id}", use: signature)
        router.delete("/v1/signatures/{id}", use: withdraw)
    }

    @Sendable func add(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<SignatureView> {
        let body = try await request.decodeJSON(NewSignature.self, context: context)
        let view = try await service.add(body, by: context.principal)
        return JSONResponse(view, status: .created, headers: [.location: "/v1/signatures/\(view.id)"])
    }

    @Sendable func bulk(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<SignatureImportReport>
    {
        let mode = try request.uri.queryParameters.get("mode").map { text in
            guard let mode = ImportMode(rawValue: String(text)) else {
                throw DomainError.invalid(field: "mode", "'\(text)' is not one of best-effort, all-or-nothing")
            }
            return mode
        }
        let body = try await request.collectNDJSON(upTo: ConcordRequestContext.maximumBulkBodySize)
        return JSONResponse(
            try await service.addBulk(Array(body.readableBytesView), mode: mode ?? .bestEffort, by: context.principal))
    }

    @Sendable func signature(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<SignatureView>
    {
        JSONResponse(try await service.signature(try context.recordID(of: "signature"), for: context.principal))
    }

    @Sendable func withdraw(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<SignatureView>
    {
        JSONResponse(try await service.withdraw(try context.recordID(of: "signature"), by: context.principal))
    }

    @Sendable func match(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<SignatureMatchResponse>
    {
        let body = try await request.decodeJSON(SignatureMatchRequest.self, context: context)
        return JSONResponse(try await service.match(body, by: context.principal))
    }

    @Sendable func report(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<SignatureReportReceipt>
    {
        let body = try await request.decodeJSON(SignatureReport.self, context: context)
        return JSONResponse(try await service.report(body, by: context.principal), status: .created)
    }

    @Sendable func list(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        let signed = try await service.list(since: try request.exportStart(), by: context.principal)
        return Response(signed: signed, signatureField: .listSignature, keyField: .listKey)
    }

    @Sendable func listKey(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<SignatureListKey>
    {
        JSONResponse(try service.listKey())
    }

    @Sendable func contributors(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<ICSEAuthorisationList>
    {
        JSONResponse(try await service.contributors(by: context.principal))
    }

    @Sendable func authorise(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<ICSEAuthorisation>
    {
        let body =
            request.headers[.contentLength] == "0" || request.headers[.contentType] == nil
            ? ICSEGrant() : try await request.decodeJSON(ICSEGrant.self, context: context)
        return JSONResponse(try await service.authorise(try member(context), body, by: context.principal))
    }

    @Sendable func revoke(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<ICSEAuthorisation>
    {
        JSONResponse(try await service.revoke(try member(context), by: context.principal))
    }

    private func member(_ context: ConcordRequestContext) throws -> MemberCode {
        let text = context.parameters.get("member") ?? ""
        guard let member = MemberCode(text) else { throw Problem.notFound("no member country \(text)") }
        return member
    }
}

extension HTTPField.Name {
    /// Base64 Ed25519 signature of a hash list's body.
    static let listSignature = HTTPField.Name("Concord-List-Signature")!
    /// The signing key (hex), for information only: a partner trusts the key it was given.
    static let listKey = HTTPField.Name("Concord-List-Key")!
}
