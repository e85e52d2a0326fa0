import ConcordCore
import Foundation
import Hummingbird

/// `/v1/notices`, `/v1/review/queue` and `/v1/diffusions`: decode, call a service, encode.
struct NoticesController {
    let notices: NoticeService
    let diffusions: DiffusionService

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.post("/v1/notices", use: create)
        router.get("/v1/notices", use: list)
        router.get("/v1/notices/{id}", use: notice)
        router.put("/v1/notices/{id}", use: edit)
        router.post("/v1/notices/{id}/submit", use: submit)
        router.post("/v1/notices/{id}/cancel", use: cancel)
        router.post("/v1/notices/{id}/decision", use: decide)
        router.post("/v1/notices/{id}/withdraw", use: withdraw)
        router.post("/v1/notices/{id}/penalty-exception", use: recordPenaltyException)
        router.post("/v1/notices/{id}/images", use: attachImage)
        router.get("/v1/review/queue", use: reviewQueue)
        router.post("/v1/diffusions", use: circulate)
        router.get("/v1/diffusions", use: diffusionList)
        router.get("/v1/diffusions/{id}", use: diffusion)
        router.post("/v1/diffusions/{id}/review", use: reviewDiffusion)
        router.post("/v1/diffusions/{id}/cancel", use: cancelDiffusion)
    }

    @Sendable func create(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<NoticeView> {
        let body = try await request.decodeJSON(NoticeRequest.self, context: context)
        let view = try await notices.create(body, by: context.principal)
        return JSONResponse(view, status: .created, headers: [.location: "/v1/notices/\(view.id)"])
    }

    @Sendable func list(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<ListPage<NoticeView>> {
        let query = request.uri.queryParameters
        let filter = NoticeFilter(
            type: try query.get("type").map { try Self.parse($0, "type") { NoticeType(rawValue: $0) } },
            state: try query.get("state").map { try Self.parse($0, "state") { NoticeState(rawValue: $0) } },
            owner: try query.get("owner").map { try Self.parse($0, "owner") { MemberCode($0) } })
        let cursor = query.get("cursor").map { String($0) }
        return JSONResponse(try await notices.list(filter, after: cursor, by: context.principal))
    }

    @Sendable func notice(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<NoticeView> {
        JSONResponse(try await notices.notice(try context.recordID(of: "notice"), for: context.principal))
    }

    @Sendable func edit(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<NoticeView> {
        let body = try await request.decodeJSON(NoticeRequest.self, context: context)
        return JSONResponse(
            try await notices.edit(try context.recordID(of: "notice"), to: body, by: context.principal))
    }

    @Sendable func submit(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<NoticeView> {
        JSONResponse(try await notices.submit(try context.recordID(of: "notice"), by: context.principal))
    }

    @Sendable func cancel(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<NoticeView> {
        let step = try await Self.step(request, context)
        return JSONResponse(try await notices.cancel(try context.recordID(of: "notice"), step, by: context.principal))
    }

    @Sendable func decide(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<NoticeView> {
        let body = try await request.decodeJSON(NoticeDecision.self, context: context)
        return JSONResponse(try await notices.decide(try context.recordID(of: "notice"), body, by: context.principal))
    }

    @Sendable func withdraw(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NoticeView> {
        let step = try await request.decodeJSON(NoticeStep.self, context: context)
        return JSONResponse(
            try await notices.withdraw(try context.recordID(of: "notice"), step, by: context.principal))
    }

    @Sendable func recordPenaltyException(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NoticeView> {
        let body = try await request.decodeJSON(PenaltyExceptionRequest.self, context: context)
        return JSONResponse(
            try await notices.recordPenaltyException(try context.recordID(of: "notice"), body, by: context.principal))
    }

    /// The photo is the body, as sent: JPEG or PNG, told apart by its bytes.
    @Sendable func attachImage(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<NoticeView> {
        let id = try context.recordID(of: "notice")
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: ImageFormat.maximumSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.bodyTooLarge(limit: ImageFormat.maximumSize)
        }
        let view = try await notices.attachImage(id, Data(buffer.readableBytesView), by: context.principal)
        return JSONResponse(view, status: .created)
    }

    @Sendable func reviewQueue(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<ReviewQueuePage> {
        JSONResponse(ReviewQueuePage(items: try await notices.reviewQueue(by: context.principal)))
    }

    @Sendable func circulate(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<DiffusionView> {
        let body = try await request.decodeJSON(DiffusionRequest.self, context: context)
        let view = try await diffusions.circulate(body, by: context.principal)
        return JSONResponse(view, status: .created, headers: [.location: "/v1/diffusions/\(view.id)"])
    }

    @Sendable func diffusionList(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<ListPage<DiffusionView>> {
        let cursor = request.uri.queryParameters.get("cursor").map { String($0) }
        return JSONResponse(try await diffusions.list(after: cursor, by: context.principal))
    }

    @Sendable func diffusion(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<DiffusionView> {
        JSONResponse(try await diffusions.diffusion(try context.recordID(of: "diffusion"), for: context.principal))
    }

    @Sendable func reviewDiffusion(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<DiffusionView> {
        let body = try await request.decodeJSON(DiffusionReview.self, context: context)
        return JSONResponse(
            try await diffusions.review(try context.recordID(of: "diffusion"), body, by: context.principal))
    }

    @Sendable func cancelDiffusion(
        _ request: Request, context: ConcordRequestContext
    ) async throws -> JSONResponse<DiffusionView> {
        let step = try await Self.step(request, context)
        return JSONResponse(
            try await diffusions.cancel(try context.recordID(of: "diffusion"), step, by: context.principal))
    }

    /// Reasons are optional where an owner steps back, so the body may be left out altogether.
    private static func step(_ request: Request, _ context: ConcordRequestContext) async throws -> NoticeStep {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { return NoticeStep(reasons: []) }
        return try await request.decodeJSON(NoticeStep.self, context: context)
    }

    private static func parse<Value>(
        _ text: String, _ field: String, _ make: (String) -> Value?
    ) throws -> Value {
        guard let value = make(text) else {
            throw DomainError.invalid(field: field, "'\(text)' is not a valid \(field)")
        }
        return value
    }
}

struct ReviewQueuePage: Encodable, Sendable {
    let items: [ReviewQueueEntry]
}
