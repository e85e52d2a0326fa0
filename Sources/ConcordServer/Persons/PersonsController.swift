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
        JSONResponse(try await persons.person(try Self.recordID(context), for: context.principal))
    }

    @Sendable func update(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NominalPersonView> {
        let body = try await request.decodeJSON(NominalPersonRequest.self, context: context)
        return JSONResponse(try await persons.update(try Self.recordID(context), to: body, by: context.principal))
    }

    @Sendable func withdraw(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NominalPersonView> {
        JSONResponse(try await persons.withdraw(try Self.recordID(context), by: context.principal))
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

    /// Ids are UUIDs; anything else cannot name a record, and says so without a lookup.
    private static func recordID(_ context: ConcordRequestContext) throws -> RecordID {
        let text = context.parameters.get("id") ?? ""
        guard let uuid = UUID(uuidString: text) else { throw Problem.notFound("no nominal person \(text)") }
        return RecordID(rawValue: uuid.uuidString.lowercased())
    }
}
