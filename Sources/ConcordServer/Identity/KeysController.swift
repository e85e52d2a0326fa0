import ConcordCore
import Hummingbird

/// `/v1/keys`: the Secretariat administers every key, a head of NCB its own bureau's.
struct KeysController {
    let service: KeyService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/keys", use: issue)
        router.get("/v1/keys", use: list)
        router.delete("/v1/keys/{id}", use: revoke)
    }

    @Sendable func issue(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<APIKeyView> {
        let body = try await request.decodeJSON(NewAPIKey.self, context: context)
        let issued = try await service.issue(
            role: body.role, member: body.member, label: body.label, expiresAt: body.expiresAt,
            by: context.principal)
        return JSONResponse(APIKeyView(issued.record, secret: issued.secret), status: .created)
    }

    @Sendable func list(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<APIKeyList> {
        JSONResponse(APIKeyList(keys: try await service.list(by: context.principal).map { APIKeyView($0) }))
    }

    @Sendable func revoke(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<APIKeyView> {
        let id = context.parameters.get("id") ?? ""
        return JSONResponse(APIKeyView(try await service.revoke(id: id, by: context.principal)))
    }
}
