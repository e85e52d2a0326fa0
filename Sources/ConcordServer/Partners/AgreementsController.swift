import ConcordCore
import Hummingbird

/// `/v1/agreements` for the General Secretariat, and I-Checkit for partners.
struct AgreementsController {
    let service: AgreementService
    let documents: DocumentService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/agreements", use: create)
        router.get("/v1/agreements", use: list)
        router.get("/v1/agreements/{id}", use: agreement)
        router.delete("/v1/agreements/{id}", use: terminate)
        router.post("/v1/agreements/{id}/keys", use: issueKey)
        router.post("/v1/icheckit/check", use: icheckit)
    }

    @Sendable func create(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Agreement> {
        let body = try await request.decodeJSON(NewAgreement.self, context: context)
        let agreement = try await service.create(body, by: context.principal)
        return JSONResponse(agreement, status: .created, headers: [.location: "/v1/agreements/\(agreement.id)"])
    }

    @Sendable func list(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<AgreementList>
    {
        JSONResponse(AgreementList(agreements: try await service.list(by: context.principal)))
    }

    @Sendable func agreement(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Agreement>
    {
        JSONResponse(try await service.agreement(try context.parameters.require("id"), by: context.principal))
    }

    @Sendable func terminate(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Agreement>
    {
        JSONResponse(try await service.terminate(try context.parameters.require("id"), by: context.principal))
    }

    @Sendable func issueKey(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<APIKeyView>
    {
        let body = try await request.decodeJSON(NewPartnerKey.self, context: context)
        let issued = try await service.issueKey(try context.parameters.require("id"), body, by: context.principal)
        return JSONResponse(APIKeyView(issued.record, secret: issued.secret), status: .created)
    }

    @Sendable func icheckit(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<PartnerCheckResponse>
    {
        let body = try await request.decodeJSON(
            DocumentCheckRequest.self, context: context, fastPath: DocumentJSONFastPath.decodeCheck)
        return JSONResponse(try await documents.partnerCheck(body, by: context.principal))
    }
}
