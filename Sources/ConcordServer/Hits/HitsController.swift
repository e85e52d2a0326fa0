import ConcordCore
import Hummingbird

/// `/v1/hits`: each side's inbox and the follow-up of a hit.
struct HitsController {
    let service: HitService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.get("/v1/hits", use: list)
        router.get("/v1/hits/{id}", use: hit)
        router.post("/v1/hits/{id}/state", use: move)
    }

    @Sendable func list(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<HitPage> {
        let cursor = request.uri.queryParameters.get("cursor").map { String($0) }
        return JSONResponse(try await service.list(after: cursor, by: context.principal))
    }

    @Sendable func hit(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Hit> {
        JSONResponse(try await service.hit(try context.parameters.require("id"), by: context.principal))
    }

    @Sendable func move(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Hit> {
        let body = try await request.decodeJSON(HitStateChange.self, context: context)
        return JSONResponse(try await service.move(try context.parameters.require("id"), body, by: context.principal))
    }
}
