import Deadline
import Foundation
import Logging
import Metrics
import PostgresNIO
import Synchronization

/// The registry's store on PostgreSQL, shared by every registry node of a region: the same tables
/// and meaning as the SQLite store (`AppDatabase`), with what several nodes need — a secret made
/// once for all, migrations run by one node at a time, idempotent bookings decided by the database.
public struct PostgresStore: RegistryStore {
    /// The node's connections to the database: one pool, or one per event loop of the server.
    public let pools: PostgresPools
    /// The pool of the event loop this runs on — a request's statements go out and their answers
    /// are read on the loop that serves it — or the first pool off the loops.
    var client: PostgresClient { pools.current }
    let logger: Logger
    let timers = DatabaseTimers(backend: "postgresql")
    let sessionPatients = SessionPatients()
    /// Secrets already read: they never change once made, so each is read once per node.
    public let secrets: SecretCache
    /// How long one operation may wait for the database (a connection included) before it gives up.
    public var deadline: Duration = .seconds(5)
    /// Keys the audit trail's chain (`AuditKey`); held by the process, never written to the database.
    public var auditKey: AuditKey?

    /// A store on `client`, whose `run()` must be running (a service of the application, or a task
    /// of a test). Call `migrate()` before use. `secrets` lets a store share what another store of
    /// the same database has read (start-up reads them before the serving client runs).
    public init(client: PostgresClient, logger: Logger, secrets: SecretCache = SecretCache()) {
        self.init(pools: PostgresPools(client), logger: logger, secrets: secrets)
    }

    /// A store on `pools`, whose `run()` must be running.
    public init(pools: PostgresPools, logger: Logger, secrets: SecretCache = SecretCache()) {
        self.pools = pools
        self.logger = logger
        self.secrets = secrets
    }

    /// The client for a `postgres://user:password@host:port/database` address, or for PostgreSQL's
    /// local socket in a folder, `postgres://user@/database?host=/run/postgresql` (libpq's form);
    /// `searchPath` puts the registry's tables in a schema of their own (tests).
    public static func client(url: String, logger: Logger, searchPath: String? = nil) throws -> PostgresClient {
        PostgresClient(configuration: try configuration(url: url, searchPath: searchPath), backgroundLogger: logger)
    }

    /// A node's serving pools: one for each loop of `loops` (the server's), `connections` shared out
    /// among them and all kept open. No idle timeouts and no keep-alive queries: PostgresNIO's pool
    /// set a timer for them each time a statement gave its connection back, and cancelled it on the
    /// next (about 5 % of PostgreSQL's bookings/s); PostgreSQL's TCP keepalives keep idle
    /// connections alive instead (docs/operations.md).
    public static func pools(url: String, logger: Logger, loops: any EventLoopGroup, connections: Int = 20) throws -> PostgresPools {
        var configuration = try configuration(url: url, searchPath: nil)
        let loops = Array(loops.makeIterator())
        configuration.options.maximumConnections = max(1, connections / loops.count)
        configuration.options.minimumConnections = configuration.options.maximumConnections
        configuration.options.keepAliveBehavior = nil
        return PostgresPools(loops.map { loop in (loop, PostgresClient(configuration: configuration, eventLoopGroup: loop, backgroundLogger: logger)) })
    }

    private static func configuration(url: String, searchPath: String?) throws -> PostgresClient.Configuration {
        guard let address = PostgresAddress(url) else { throw StoreAddressError(url: url) }
        var configuration: PostgresClient.Configuration
        switch address.server {
        case .network(let host, let port):
            configuration = PostgresClient.Configuration(host: host, port: port, username: address.user, password: address.password, database: address.database, tls: .disable)
        case .socket(let path):
            configuration = PostgresClient.Configuration(unixSocketPath: path, username: address.user, password: address.password, database: address.database)
        }
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        return configuration
    }

    /// Whether `url` reads as either form of address `client(url:)` takes.
    public static func isAddress(_ url: String) -> Bool {
        PostgresAddress(url) != nil
    }

    /// Brings the schema up to date: each migration not yet applied, in order, in one transaction,
    /// under a lock that makes nodes starting together take turns.
    public func migrate(within limit: Duration = .seconds(15)) async throws {
        try await bounded("the migrations", within: limit) { try await self.runMigrations() }
    }

    private func runMigrations() async throws {
        try await client.withTransaction(logger: logger) { connection in
            // Nodes of one schema migrate one at a time; stores in other schemas of the server (tests) need not wait.
            try await connection.query("SELECT pg_advisory_xact_lock(727001, hashtext(current_schema()))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)", logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM schema_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in PostgresMigrations.all where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let now = Date().timeIntervalSince1970
                try await connection.query("INSERT INTO schema_migration (name, applied_at) VALUES (\(migration.name), \(now))", logger: logger)
            }
        }
    }

    /// Whether the database answers a query now (readiness).
    public func isReachable() async -> Bool {
        (try? await bounded("a check", within: .seconds(2)) { _ = try await self.client.query("SELECT 1", logger: self.logger) }) != nil
    }

    // MARK: Timed access

    func read<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let started = DispatchTime.now()
        defer { timers.read.recordInterval(since: started) }
        return try await bounded("a read", body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let started = DispatchTime.now()
        defer { timers.write.recordInterval(since: started) }
        return try await bounded("a write", body)
    }

    /// `body`, or `StoreUnavailableError` once `deadline` has passed: a database that is down makes
    /// PostgresNIO wait for a connection, retrying, and notice cancellation only between retries —
    /// so the caller is answered at the deadline and the abandoned call ends in the background.
    func bounded<T: Sendable>(_ operation: String, within limit: Duration? = nil, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = limit ?? deadline
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        return try await race(timeout: limit, failure: StoreUnavailableError(operation: operation, seconds: seconds), body)
    }
}

/// The secrets a PostgreSQL store has read, by name.
public final class SecretCache: Sendable {
    private let known = Mutex<[String: [UInt8]]>([:])

    public init() {}

    func secret(named name: String) -> [UInt8]? { known.withLock { $0[name] } }
    func remember(_ secret: [UInt8], named name: String) { known.withLock { $0[name] = secret } }
}

/// A store address that is neither form `PostgresStore.client(url:)` takes.
public struct StoreAddressError: Error, CustomStringConvertible {
    let url: String

    public init(url: String) { self.url = url }

    public var description: String {
        "REGISTRATURA_DATABASE_URL must look like postgres://user:password@host:5432/database, or postgres://user@/database?host=/run/postgresql for the local socket"
    }
}

/// A PostgreSQL address as the registry takes it: `postgres://` or `postgresql://`, a user, a
/// database, and either a host (and port) or, libpq's way, a `host=` query naming the folder of
/// the server's local socket (the port, 5432 unless given, names the socket file in it).
struct PostgresAddress: Equatable {
    enum Server: Equatable {
        case network(host: String, port: Int)
        case socket(path: String)
    }

    let user: String
    let password: String?
    let database: String
    let server: Server

    init?(_ url: String) {
        guard let parts = URLComponents(string: url), parts.scheme == "postgres" || parts.scheme == "postgresql",
            let user = parts.user, !user.isEmpty, parts.path.count > 1
        else { return nil }
        let query = parts.queryItems ?? []
        let port = parts.port ?? query.first { $0.name == "port" }.flatMap { $0.value.flatMap(Int.init) } ?? 5432
        guard (1...65_535).contains(port) else { return nil }
        if let folder = query.first(where: { $0.name == "host" })?.value {
            // The socket's folder: an absolute path, and no host beside it.
            guard folder.hasPrefix("/"), parts.host?.isEmpty ?? true else { return nil }
            server = .socket(path: (folder.hasSuffix("/") ? String(folder.dropLast()) : folder) + "/.s.PGSQL.\(port)")
        } else {
            guard let host = parts.host, !host.isEmpty else { return nil }
            server = .network(host: host, port: port)
        }
        self.user = user
        password = parts.password
        database = String(parts.path.dropFirst())
    }
}
