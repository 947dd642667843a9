import Booking
import Foundation
import Hummingbird
import KioskChannel
import Logging
import MISBridge
import NIOCore
import Notifications
import OperatorChannel
import StaffChannel
import FederalChannel
import PatientChannel
import Persistence
import RegistryCore
import ServerLimits
import ServiceLifecycle
import Templating
import Web

/// Builds the registry and serves until SIGTERM or SIGINT, then shuts down gracefully.
public func runRegistry(
    _ configuration: AppConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let app = try await buildApplication(configuration, logger: logger, onServerRunning: onServerRunning)
    try await app.runService()
}

/// Wires the registry: templates, middleware, controllers. Tests call it with their own configuration.
public func buildApplication(
    _ configuration: AppConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
    // Metrics are bootstrapped before anything that reports them is made (the bridge's clients).
    _ = RegistryMetrics.registry
    let pages = try PageRenderer(configuration: configuration)
    let region = Region(settings: configuration.misEndpoints, transport: HTTPClientTransport(connectionsPerGateway: configuration.misConnectionsPerGateway), logger: logger)
    let (database, storeServices) = try await openStore(configuration, logger: logger)
    // One group serves the connections and runs their requests (`EventLoopAffinityMiddleware`).
    let serverLoops = EventLoopGroupProvider.singleton
    let router = try await buildRouter(configuration, pages: pages, region: region, database: database, logger: logger, serverLoops: serverLoops.eventLoopGroup)
    return Application(
        router: HeadAsGetResponderBuilder(router: router),
        server: configuration.connectionLimits.http1Server(),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "registratura"),
        services: storeServices + [notificationWorker(configuration, pages: pages, database: database, logger: logger), housekeeping(configuration, region: region, database: database, logger: logger),
                                   StatisticsRounds(fill: StatisticsFill(region: region, database: database, logger: logger), firstFree: FirstFreeReading(region: region, database: database))],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        eventLoopGroupProvider: serverLoops,
        logger: logger
    )
}

/// The background rounds: reconciliation, change logs, lapsed sessions, the waiting list's offers.
func housekeeping(_ configuration: AppConfiguration, region: Region, database: any RegistryStore, logger: Logger) -> RegistryHousekeeping {
    var rounds = RegistryHousekeeping(reconciler: LedgerReconciler(region: region, database: database, logger: logger), database: database,
                                      sessionIdleTimeout: configuration.sessionIdleTimeout, staffSessionIdleTimeout: configuration.staffSessionIdleTimeout,
                                      kioskSessionIdleTimeout: configuration.kioskSessionIdleTimeout)
    rounds.auditCheckpoints = configuration.auditCheckpoints
    rounds.logger = logger
    rounds.waitlist = WaitlistMatcher(region: region, database: database, rules: configuration.bookingRules, offerLifetime: configuration.notifications.offerLifetime)
    return rounds
}

/// The worker that sends the outbox's messages through the configured mail server and SMS gateway.
func notificationWorker(_ configuration: AppConfiguration, pages: PageRenderer, database: any RegistryStore, logger: Logger) -> OutboxWorker {
    let settings = configuration.notifications
    let composer = LedgerMessageComposer(database: database, pages: pages, publicURL: settings.publicURL,
                                         sender: (settings.smtp?.from ?? "registratura@localhost", settings.smtp?.fromName ?? "Регистратура"),
                                         quietHours: settings.quietHours, now: Date.init)
    var worker = OutboxWorker(database: database, composer: composer, delivery: ChannelDelivery(mailer: settings.smtp.map(SMTPMailer.init), sms: settings.sms.map { SMSGateway(settings: $0) }),
                              logger: logger)
    worker.firstRetry = settings.firstRetry
    worker.lease = settings.lease
    worker.quietHours = settings.quietHours
    return worker
}

/// The registry's store: the SQLite file in the data directory, or the PostgreSQL the region's nodes
/// share. On PostgreSQL the schema is brought up to date first (through a client of its own, which
/// ends before serving); the serving client is returned as a service of the application.
func openStore(_ configuration: AppConfiguration, logger: Logger) async throws -> (any RegistryStore, [any Service]) {
    let auditKey = try configuration.auditKey()
    guard let url = configuration.databaseURL else {
        var database = try AppDatabase.open(path: configuration.dataDirectory + "/registry.sqlite")
        database.auditKey = auditKey
        return (database, [])
    }
    let setup = PostgresStore(client: try PostgresStore.client(url: url, logger: logger), logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await setup.pools.run() }
        defer { group.cancelAll() }
        try await setup.migrate()
        // Read now: building the routes needs it before the serving client runs.
        _ = try await setup.secret(named: CSRF.secretName)
    }
    let pools = try PostgresStore.pools(url: url, logger: logger, loops: EventLoopGroupProvider.singleton.eventLoopGroup)
    var store = PostgresStore(pools: pools, logger: logger, secrets: setup.secrets)
    store.auditKey = auditKey
    return (store, [PostgresPoolsService(pools: pools)])
}

/// The router with all middleware and routes, without a server (route tests use it directly, and
/// may set the clock the booking rules read). Middleware every request passes comes first; each
/// channel then mounts its own route group, context and sign-in.
func buildRouter(_ configuration: AppConfiguration, pages: PageRenderer, region: Region, database: any RegistryStore, logger: Logger, now: @escaping @Sendable () -> Date = Date.init,
                 serverLoops: any EventLoopGroup = EventLoopGroupProvider.singleton.eventLoopGroup) async throws -> Router<RegistryRequestContext> {
    let router = Router(context: RegistryRequestContext.self)
    let staticFiles = StaticFiles(directory: configuration.publicDirectory, development: configuration.development, logger: logger)
    router.addMiddleware {
        ForwardedClientMiddleware(trustedProxies: configuration.trustedProxies)
        EventLoopAffinityMiddleware(group: serverLoops)
        RequestMetricsMiddleware()
        RequestLogMiddleware()
        SecurityHeadersMiddleware(overTLS: configuration.secureCookies)
        ErrorPageMiddleware(pages: pages, showsDetails: configuration.development) { path in
            if path == OperatorRoute.prefix || path.hasPrefix(OperatorRoute.prefix + "/") {
                return ErrorPages(template: "pages/operator/error", returnable: { OperatorRoute.localPath($0) })
            }
            if path == StaffRoute.prefix || path.hasPrefix(StaffRoute.prefix + "/") {
                return ErrorPages(template: "pages/staff/error", returnable: { StaffRoute.localPath($0) })
            }
            if KioskRoute.isKioskPath(path) { return ErrorPages(template: "pages/kiosk/error", returnable: { KioskRoute.localPath($0) }) }
            return ErrorPages(template: "pages/errors/error", returnable: { SiteRoute.localPath($0) })
        }
        RequestTargetCheck()
        MISDeadlineMiddleware(budget: configuration.pageMISDeadline)
        staticFiles
        // After the static files, which ask the routes first: a kiosk's styles and scripts pass.
        KioskConfinement(pages: pages, isStaticFile: staticFiles.serves)
    }
    let core = RegistryCoreServices(region: region, database: database, rules: configuration.bookingRules, logger: logger)
    OperationsController(startedAt: now(), database: database, region: region, metrics: RegistryMetrics.registry, metricsAllowed: configuration.metricsAllowedAddresses)
        .addRoutes(to: router)
    try await PatientChannel(settings: configuration.patientChannel, pages: pages, core: core, now: now).mount(on: router)
    try await OperatorChannel(settings: configuration.operatorChannel, pages: pages, core: core, now: now).mount(on: router)
    try await StaffChannel(settings: configuration.staffChannel, pages: pages, core: core, now: now).mount(on: router)
    try await KioskChannel(settings: configuration.kioskChannel, pages: pages, core: core, now: now).mount(on: router)
    FederalDoor(settings: FederalDoor.Settings(keys: configuration.federalKeys, networks: configuration.federalNetworks), core: core, now: now).mount(on: router)
    return router
}

extension AppConfiguration {
    /// What the patient site takes from the configuration.
    var patientChannel: PatientChannel.Settings {
        PatientChannel.Settings(secureCookies: secureCookies, sessionIdleTimeout: sessionIdleTimeout, identifyAttemptsPerAddress: identifyAttemptsPerAddress,
                                bookingRules: bookingRules, unicodeMailboxes: notifications.smtp?.smtpUTF8 ?? false)
    }

    /// What the lobby kiosk takes from the configuration.
    var kioskChannel: KioskChannel.Settings {
        KioskChannel.Settings(secureCookies: secureCookies, idleTimeout: kioskIdleTimeout, sessionIdleTimeout: kioskSessionIdleTimeout,
                              identifyAttemptsPerAddress: identifyAttemptsPerAddress)
    }

    /// What the workstation takes from the configuration.
    var operatorChannel: OperatorChannel.Settings {
        OperatorChannel.Settings(doors: StaffWiring.doors(secureCookies: secureCookies), staffNetworks: staffNetworks, sessionIdleTimeout: staffSessionIdleTimeout)
    }

    /// What the staff pages take from the configuration; a kiosk's start address is the kiosk channel's.
    var staffChannel: StaffChannel.Settings {
        StaffChannel.Settings(doors: StaffWiring.doors(secureCookies: secureCookies), staffNetworks: staffNetworks, sessionIdleTimeout: staffSessionIdleTimeout,
                              passwordHashCost: passwordHashCost, kioskStartPath: { KioskRoute.start(token: $0).path })
    }
}

extension PageRenderer {
    /// The registry's renderer: its templates and the site's own facts (name, links, asset versions).
    init(configuration: AppConfiguration) throws {
        try self.init(
            templatesDirectory: configuration.templatesDirectory,
            strict: configuration.development || configuration.strictTemplates,
            reloadsOnChange: configuration.development,
            site: SiteInfo(assetVersion: AssetVersion.of(directory: configuration.publicDirectory), rules: configuration.bookingRules)
        )
    }
}

/// The store's pools as a service of the application: they run until it stops.
struct PostgresPoolsService: Service {
    let pools: PostgresPools
    func run() async throws { await pools.run() }
}
