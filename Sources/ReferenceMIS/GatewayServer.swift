import Foundation
import GRDB
import Hummingbird
import Logging
import ServerLimits
import ServiceLifecycle

/// Runs the reference MIS as a server: opens (and on first start fills) its database, keeps opening
/// schedule days as mornings come, and answers the protocol until SIGTERM or SIGINT.
public enum GatewayServer {
    /// Where the gateway listens, its database, who may call, and the size of a fresh demo region.
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        public var port = 8081
        public var databasePath = "data/reference-mis.sqlite"
        public var configuration = GatewayConfiguration(keys: ["registry": "demo-secret"])
        public var demoPatients = 20_000
        /// Days of past visits, no-shows and cancellations a fresh demo region holds.
        public var demoHistoryDays = 28
        /// Half-sent requests and idle connections are cut off; callers are registries with
        /// connection pools, so a few hundred connections an address is plenty.
        public var connectionLimits = ConnectionLimits(connectionsPerAddress: 512)

        public init() {}
    }

    public static func run(_ settings: Settings, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let mis = ReferenceMIS(database: try openSeeded(settings, logger: logger))
        try mis.openSchedule(now: Date())
        let gateway = Gateway(mis: mis, configuration: settings.configuration)
        let app = Application(
            router: gateway.router(),
            server: settings.connectionLimits.http1Server(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "reference-mis"),
            services: [ScheduleOpener(mis: mis, logger: logger)],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger
        )
        try await app.runService()
    }

    /// The database at the configured path, filled with the demo region and its past weeks if it is empty.
    public static func openSeeded(_ settings: Settings, logger: Logger) throws -> MISDatabase {
        let database = try MISDatabase.open(path: settings.databasePath)
        if try database.isEmpty() {
            logger.info("filling the reference MIS with the demo region", metadata: ["mis.patients": .stringConvertible(settings.demoPatients)])
            try DemoRegion(patients: settings.demoPatients).generate(into: database)
            try DemoHistory(days: settings.demoHistoryDays).generate(into: ReferenceMIS(database: database), now: Date())
        }
        return database
    }
}

extension MISDatabase {
    /// Whether no clinic has been created yet.
    public func isEmpty() throws -> Bool {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clinic") == 0 }
    }
}

/// Opens new schedule days every few minutes, so that a day appears at the set morning hour.
struct ScheduleOpener: Service {
    let mis: ReferenceMIS
    let logger: Logger

    func run() async throws {
        // Ends as soon as graceful shutdown begins, so SIGTERM stops the server promptly.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(300))
                do {
                    try mis.openSchedule(now: Date())
                } catch {
                    logger.error("opening schedule days failed", metadata: ["error.type": .string(String(describing: type(of: error)))])
                }
            }
        }
    }
}
