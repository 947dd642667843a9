import Foundation
import Hummingbird
import Logging
import MISBridge
import Persistence
import RegistryCore
import Templating

/// Builds the registry and serves until SIGTERM or SIGINT, then shuts down gracefully.
public func runRegistry(
    _ configuration: AppConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let app = try buildApplication(configuration, logger: logger, onServerRunning: onServerRunning)
    try await app.runService()
}

/// Wires the registry: templates, middleware, controllers. Tests call it with their own configuration.
public func buildApplication(
    _ configuration: AppConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
    let pages = try PageRenderer(configuration: configuration)
    let region = Region(settings: configuration.misEndpoints, transport: HTTPClientTransport(), logger: logger)
    let database = try AppDatabase.open(path: configuration.dataDirectory + "/registry.sqlite")
    let router = try buildRouter(configuration, pages: pages, region: region, database: database, logger: logger)
    return Application(
        router: HeadAsGetResponderBuilder(router: router),
        server: configuration.connectionLimits.http1Server(),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "registratura"),
        services: [RegistryHousekeeping(reconciler: LedgerReconciler(region: region, database: database, logger: logger), database: database, sessionIdleTimeout: configuration.sessionIdleTimeout)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// The router with all middleware and routes, without a server (route tests use it directly, and
/// may set the clock the booking rules read).
func buildRouter(_ configuration: AppConfiguration, pages: PageRenderer, region: Region, database: AppDatabase, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) throws -> Router<RegistryRequestContext> {
    let router = Router(context: RegistryRequestContext.self)
    let csrf = CSRF(key: try database.secret(named: "csrf"), secureCookies: configuration.secureCookies)
    let desk = BookingDesk(region: region, database: database, rules: configuration.bookingRules)
    router.addMiddleware {
        RequestLogMiddleware()
        SecurityHeadersMiddleware(overTLS: configuration.secureCookies)
        ErrorPageMiddleware(pages: pages, showsDetails: configuration.development)
        RequestTargetCheck()
        MISDeadlineMiddleware(budget: configuration.pageMISDeadline)
        StaticFiles(directory: configuration.publicDirectory, development: configuration.development, logger: logger)
        SessionMiddleware(database: database, idleTimeout: configuration.sessionIdleTimeout, secureCookies: configuration.secureCookies)
    }
    HomeController(pages: pages).addRoutes(to: router)
    BrowseController(pages: pages, region: region, rules: configuration.bookingRules, now: now).addRoutes(to: router)
    SearchController(pages: pages, region: region).addRoutes(to: router)
    IdentifyController(pages: pages, region: region, finder: PatientFinder(region: region, database: database, attemptsPerAddress: configuration.identifyAttemptsPerAddress), desk: desk, database: database, csrf: csrf, secureCookies: configuration.secureCookies).addRoutes(to: router)
    CabinetController(pages: pages, region: region, desk: desk, database: database, csrf: csrf).addRoutes(to: router)
    let reconciler = LedgerReconciler(region: region, database: database, logger: logger)
    BookController(pages: pages, desk: desk, reconciler: reconciler, database: database, csrf: csrf, now: now).addRoutes(to: router)
    MoveController(pages: pages, region: region, desk: desk, reconciler: reconciler, database: database, csrf: csrf, now: now).addRoutes(to: router)
    EarliestController(pages: pages, region: region, desk: desk, database: database, now: now).addRoutes(to: router)
    HealthController(startedAt: Date()).addRoutes(to: router)
    return router
}
