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
    /// The node's Ed25519 key: signs offline copies (MIND) and signature hash lists; without it,
    /// both are refused.
    public var exportKey: MindSigningKey?
    /// Where the document index snapshot lives, for fast restarts; nil for none.
    public var indexSnapshotPath: String?
    /// How long a webhook receiver may take to answer before the attempt counts as failed.
    public var webhookTimeout: Duration
    /// Known-benign observable values, flagged on Gateway ingest and in correlations.
    public var warninglists: Warninglists

    public init(
        host: String = "127.0.0.1", port: Int = 8080, pollInterval: Duration = .seconds(1),
        exportKey: MindSigningKey? = nil, indexSnapshotPath: String? = nil, webhookTimeout: Duration = .seconds(10),
        warninglists: Warninglists = .standard
    ) {
        self.host = host
        self.port = port
        self.pollInterval = pollInterval
        self.exportKey = exportKey
        self.indexSnapshotPath = indexSnapshotPath
        self.webhookTimeout = webhookTimeout
        self.warninglists = warninglists
    }
}

/// The services one node runs, assembled from a store.
public struct Concord: Sendable {
    public let store: any Store
    public let index: DocumentIndexFollower
    public let journal: QueryJournal
    public let alerts: AlertSignal
    public let keys: APIKeyCache
    public let documents: DocumentService
    public let exports: DocumentExportService
    public let agreements: AgreementService
    public let hits: HitService
    public let webhooks: WebhookService
    public let dispatcher: WebhookDispatcher
    public let notices: NoticeService
    public let noticeUpkeep: NoticeUpkeep
    public let diffusions: DiffusionService
    public let publicNotices: PublicNoticeService
    public let signatureIndex: SignatureIndexFollower
    public let signatures: SignatureService
    public let screeningIndex: ScreeningIndexFollower
    public let persons: NominalPersonService
    public let screening: ScreeningService
    public let gateway: GatewayService
    public let configuration: ServerConfiguration
    public let now: @Sendable () -> Date

    /// Loads the indexes from the store; the node can answer once this returns.
    public static func start(
        store: any Store, configuration: ServerConfiguration = .init(), logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> Concord {
        let index = DocumentIndexFollower(
            store: store, pollInterval: configuration.pollInterval, snapshotPath: configuration.indexSnapshotPath,
            logger: logger)
        try await index.load()
        let journal = QueryJournal(store: store)
        let alerts = AlertSignal()
        let book = NoticeBook(store: store)
        try await book.load()
        let notices = NoticeService(store: store, book: book, journal: journal, alerts: alerts, now: now)
        let signatureIndex = SignatureIndexFollower(
            store: store, pollInterval: configuration.pollInterval, logger: logger)
        try await signatureIndex.load()
        let screeningIndex = ScreeningIndexFollower(
            store: store, pollInterval: configuration.pollInterval, logger: logger)
        try await screeningIndex.load()
        return Concord(
            store: store, index: index, journal: journal, alerts: alerts, keys: APIKeyCache(),
            documents: DocumentService(
                store: store, index: index, journal: journal, alerts: alerts, now: now, notices: book),
            exports: DocumentExportService(
                store: store, journal: journal, signingKey: configuration.exportKey, now: now),
            agreements: AgreementService(store: store, journal: journal, now: now),
            hits: HitService(store: store, journal: journal, alerts: alerts, now: now),
            webhooks: WebhookService(store: store, journal: journal, now: now),
            dispatcher: WebhookDispatcher(
                store: store, journal: journal, signal: alerts, pollInterval: configuration.pollInterval,
                timeout: configuration.webhookTimeout, logger: logger, now: now),
            notices: notices,
            noticeUpkeep: NoticeUpkeep(
                book: book, notices: notices, pollInterval: configuration.pollInterval, logger: logger),
            diffusions: DiffusionService(store: store, book: book, journal: journal, alerts: alerts, now: now),
            publicNotices: PublicNoticeService(store: store, book: book, journal: journal, now: now),
            signatureIndex: signatureIndex,
            signatures: SignatureService(
                store: store, index: signatureIndex, journal: journal, alerts: alerts,
                signingKey: configuration.exportKey, now: now),
            screeningIndex: screeningIndex,
            persons: NominalPersonService(
                store: store, index: screeningIndex, journal: journal, alerts: alerts, now: now),
            screening: ScreeningService(
                store: store, index: screeningIndex, journal: journal, alerts: alerts, now: now),
            gateway: GatewayService(
                store: store, journal: journal, warninglists: configuration.warninglists, now: now),
            configuration: configuration, now: now)
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
    // Every query and write is in the journal already; a log line per request would cost a
    // tenth of a check's time, so requests are logged only with LOG_LEVEL=debug.
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AuthenticationMiddleware(store: concord.store, keys: concord.keys, now: concord.now))
    OperationsController(store: concord.store, index: concord.index, registry: metricsRegistry)
        .addRoutes(to: router)
    DocumentsController(
        service: concord.documents, exports: concord.exports,
        importer: DocumentImportService(store: concord.store, index: concord.index, now: concord.now)
    ).addRoutes(to: router)
    KeysController(service: KeyService(store: concord.store, cache: concord.keys, now: concord.now))
        .addRoutes(to: router)
    AgreementsController(service: concord.agreements, documents: concord.documents).addRoutes(to: router)
    HitsController(service: concord.hits).addRoutes(to: router)
    WebhooksController(service: concord.webhooks).addRoutes(to: router)
    NoticesController(notices: concord.notices, diffusions: concord.diffusions).addRoutes(to: router)
    PublicNoticesController(service: concord.publicNotices).addRoutes(to: router)
    SignaturesController(service: concord.signatures).addRoutes(to: router)
    PersonsController(persons: concord.persons, screening: concord.screening).addRoutes(to: router)
    GatewayController(service: concord.gateway).addRoutes(to: router)
    TAXIIController(service: concord.gateway).addRoutes(to: router)
    EventsController(
        store: concord.store, hits: concord.hits, journal: concord.journal, signal: concord.alerts,
        pollInterval: concord.configuration.pollInterval, now: concord.now
    ).addRoutes(to: router)
    return router
}

/// The HTTP application with the services it owns. Shutdown runs in reverse order: the server
/// stops taking requests and finishes those in flight, then the webhook dispatcher, the
/// screening index, the notices' upkeep and the index followers stop.
public func buildApplication(
    _ concord: Concord, configuration: ServerConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(concord),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "concord"),
        services: [
            concord.index, concord.signatureIndex, concord.noticeUpkeep, concord.screeningIndex, concord.dispatcher,
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}
