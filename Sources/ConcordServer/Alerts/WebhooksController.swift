import ConcordCore
import Hummingbird

/// `/v1/webhooks`: where a side's alerts are pushed.
struct WebhooksController {
    let service: WebhookService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/webhooks", use: register)
        router.get("/v1/webhooks", use: list)
        router.delete("/v1/webhooks/{id}", use: remove)
    }

    @Sendable func register(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<WebhookView> {
        let body = try await request.decodeJSON(NewWebhook.self, context: context)
        let view = try await service.register(body, by: context.principal)
        return JSONResponse(view, status: .created)
    }

    @Sendable func list(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<WebhookList> {
        JSONResponse(WebhookList(webhooks: try await service.list(by: context.principal)))
    }

    @Sendable func remove(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        try await service.remove(try context.parameters.require("id"), by: context.principal)
        return Response(status: .noContent)
    }
}
