import ConcordCore
import ConcordStore
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// How often a node looks for writes made elsewhere (other nodes, the CLI).
    public var pollInterval: Duration

    public init(host: String = "127.0.0.1", port: Int = 8080, pollInterval: Duration = .seconds(1)) {
        self.host = host
        self.port = port
        self.pollInterval = pollInterval
    }
}

/// The services one node runs, assembled from a store.
public struct Concord: Sendable {
    public let store: any Store
    public let index: DocumentIndexFollower
    public let journal: QueryJournal
    public let documents: DocumentService
    public let now: @Sendable () -> Date

    /// Loads the indexes from the store; the node can answer once this returns.
    public static func start(
        store: any Store, configuration: ServerConfiguration = .init(), logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> Concord {
        let index = DocumentIndexFollower(store: store, pollInterval: configuration.pollInterval, logger: logger)
        try await index.load()
        let journal = QueryJournal(store: store)
        return Concord(
            store: store, index: index, journal: journal,
            documents: DocumentService(store: store, index: index, journal: journal, now: now), now: now)
    }
}

/// Swift-metrics can be bootstrapped once per process; every application shares this registry.
let metricsRegistry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}()

public func buildRouter(_ concord: Concord) -> Router<ConcordRequestContext> {
    let router = Router(context: ConcordRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AuthenticationMiddleware(store: concord.store, now: concord.now))
    OperationsController(store: concord.store, index: concord.index, registry: metricsRegistry)
        .addRoutes(to: router)
    DocumentsController(
        service: concord.documents,
        importer: DocumentImportService(store: concord.store, index: concord.index, now: concord.now)
    ).addRoutes(to: router)
    KeysController(service: KeyService(store: concord.store, now: concord.now)).addRoutes(to: router)
    return router
}

/// The HTTP application with the services it owns. Shutdown runs in reverse order: the server
/// stops taking requests and finishes those in flight, then the index follower stops.
public func buildApplication(
    _ concord: Concord, configuration: ServerConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(concord),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "concord"),
        services: [concord.index],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}
