import Foundation
import Logging
import Persistence

/// Runs `body` with the registry's store as the configuration names it — the SQLite file in the
/// data directory or the region's PostgreSQL, its schema brought up to date first — and closes it
/// afterwards. For the command line (`registratura accounts …`, `registratura audit …`).
public func withRegistryStore<T: Sendable>(_ configuration: AppConfiguration, logger: Logger, _ body: @escaping @Sendable (any RegistryStore) async throws -> T) async throws -> T {
    guard let url = configuration.databaseURL else {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        var database = try AppDatabase.open(path: configuration.dataDirectory + "/registry.sqlite")
        database.auditKey = try configuration.auditKey()
        return try await body(database)
    }
    var configured = PostgresStore(client: try PostgresStore.client(url: url, logger: logger), logger: logger)
    configured.auditKey = try configuration.auditKey()
    let store = configured
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await store.pools.run(); return nil }
        defer { group.cancelAll() }
        try await store.migrate()
        return try await body(store)
    }
}
