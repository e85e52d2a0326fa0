import ConcordCore
import Foundation
import Hummingbird

/// `/v1/persons` (nominal person records) and `/v1/screening/persons`: decode, call a service, encode.
struct PersonsController {
    let persons: NominalPersonService
    let screening: ScreeningService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/persons", use: record)
        router.get("/v1/persons/{id}", use: person)
        router.put("/v1/persons/{id}", use: update)
        router.delete("/v1/persons/{id}", use: withdraw)
        router.post("/v1/screening/persons", use: screen)
        router.post("/v1/screening/persons/batch", use: screenBatch)
    }

    @Sendable func record(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NominalPersonView> {
        let body = try await request.decodeJSON(NominalPersonRequest.self, context: context)
        let view = try await persons.record(body, by: context.principal)
        return JSONResponse(view, status: .created, headers: [.location: "/v1/persons/\(view.id)"])
    }

    @Sendable func person(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NominalPersonView> {
        JSONResponse(try await persons.person(try context.recordID(of: "nominal person"), for: context.principal))
    }

    @Sendable func update(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NominalPersonView> {
        let body = try await request.decodeJSON(NominalPersonRequest.self, context: context)
        return JSONResponse(
            try await persons.update(try context.recordID(of: "nominal person"), to: body, by: context.principal))
    }

    @Sendable func withdraw(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NominalPersonView> {
        JSONResponse(try await persons.withdraw(try context.recordID(of: "nominal person"), by: context.principal))
    }

    @Sendable func screen(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<ScreeningResult> {
        let body = try await request.decodeJSON(ScreeningRequest.self, context: context)
        return JSONResponse(try await screening.screen(body, by: context.principal))
    }

    @Sendable func screenBatch(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<ScreeningBatchResult> {
        let body = try await request.decodeJSON(ScreeningBatchRequest.self, context: context)
        return JSONResponse(try await screening.screen(batch: body, by: context.principal))
    }
}
