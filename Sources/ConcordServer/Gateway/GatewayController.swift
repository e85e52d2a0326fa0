import ConcordCore
import Foundation
import Hummingbird

/// `/v1/gateway`: trust groups for the General Secretariat, and correlation for participants.
struct GatewayController {
    let service: GatewayService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.get("/v1/gateway/roots", use: roots)
        router.put("/v1/gateway/roots/{name}", use: putRoot)
        router.get("/v1/gateway/correlations", use: correlations)
    }

    @Sendable func roots(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<GatewayRootList> {
        JSONResponse(GatewayRootList(roots: try await service.roots(by: context.principal)))
    }

    @Sendable func putRoot(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<GatewayRoot>
    {
        let body = try await request.decodeJSON(NewGatewayRoot.self, context: context)
        let root = try await service.putRoot(
            name: try context.parameters.require("name"), body, by: context.principal)
        return JSONResponse(root, status: root.version == 1 ? .created : .ok)
    }

    @Sendable func correlations(
        _ request: Request, context: ConcordRequestContext
    ) async throws
        -> JSONResponse<Correlation>
    {
        let parameters = request.uri.queryParameters
        guard let value = parameters.get("value"), !value.isEmpty else {
            throw DomainError.invalid(field: "value", "required: the observable value to correlate")
        }
        let kind = try parameters.get("kind").map { text in
            guard let kind = ObservableKind(rawValue: text) else {
                let kinds = ObservableKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw DomainError.invalid(field: "kind", "'\(text)' is not one of \(kinds)")
            }
            return kind
        }
        return JSONResponse(try await service.correlate(value, kind: kind, for: context.principal))
    }
}
