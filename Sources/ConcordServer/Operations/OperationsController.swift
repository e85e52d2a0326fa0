import ConcordStore
import Foundation
import Hummingbird
import Prometheus

/// Health, metrics and the API description.
struct OperationsController {
    let store: any Store
    let index: DocumentIndexFollower
    let registry: PrometheusCollectorRegistry

    struct Health: Encodable, Sendable {
        let status: String
        let journalPosition: Int64
        let documents: Int
    }

    func addRoutes(to router: Router<ConcordRequestContext>) {
        router.get("/health", use: health)
        router.get("/health/live", use: live)
        router.get("/metrics", use: metrics)
        router.get("/openapi.yaml", use: openAPI)
    }

    /// Healthy means the store answers, not only that the process runs.
    @Sendable func health(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Health> {
        let head = try await store.journalHead()
        return JSONResponse(Health(status: "ok", journalPosition: head?.position ?? 0, documents: index.count))
    }

    struct Liveness: Encodable, Sendable {
        let status: String
    }

    /// The process answers; nothing else is asked, so a slow store cannot make a supervisor
    /// restart a node that is only waiting for it. It is also the least an answer can cost,
    /// which load tests measure against.
    @Sendable func live(_ request: Request, context: ConcordRequestContext) async throws -> JSONResponse<Liveness> {
        JSONResponse(Liveness(status: "ok"))
    }

    @Sendable func metrics(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func openAPI(_ request: Request, context: ConcordRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/yaml"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
    }
}

public enum OpenAPIDocument {
    /// The document shipped with the server, describing every route.
    public static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Problem.notFound("the API description is missing from this build")
        }
        return Array(try Data(contentsOf: url))
    }
}
