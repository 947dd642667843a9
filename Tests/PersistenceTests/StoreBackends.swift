import Foundation
import Logging
import PostgresNIO
import Testing
@testable import Persistence

/// The backends the store's contract is held against.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    var testDescription: String { rawValue }
}

/// Runs `body` with a fresh, migrated store of `backend`. PostgreSQL: a schema of its own on the
/// server named by `REGISTRATURA_TEST_POSTGRES_URL` (the test command starts one), dropped afterwards.
func withStore(_ backend: StoreBackend, _ body: @escaping @Sendable (any RegistryStore) async throws -> Void) async throws {
    switch backend {
    case .sqlite:
        try await body(try AppDatabase.inMemory())
    case .postgresql:
        guard let url = ProcessInfo.processInfo.environment["REGISTRATURA_TEST_POSTGRES_URL"] else {
            Issue.record("REGISTRATURA_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts a throwaway PostgreSQL")
            return
        }
        try await withPostgresStore(url: url, body)
    }
}

/// Runs `body` with a fresh, migrated PostgreSQL store at `url`, in a schema of its own dropped afterwards.
func withPostgresStore(url: String, _ body: @escaping @Sendable (PostgresStore) async throws -> Void) async throws {
    let logger = Logger(label: "store-tests")
    let schema = "contract_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    try await withPostgres(url: url, logger: logger) { admin in
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger)
    }
    do {
        try await withPostgres(url: url, logger: logger, searchPath: schema) { client in
            let store = PostgresStore(client: client, logger: logger)
            try await store.migrate()
            try await body(store)
        }
    } catch {
        _ = try? await withPostgres(url: url, logger: logger) { admin in try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger) }
        throw error
    }
    try await withPostgres(url: url, logger: logger) { admin in
        try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
    }
}

/// A PostgreSQL client running for the length of `body`, its connections' search path set to `searchPath` if given.
@discardableResult
func withPostgres<T: Sendable>(url: String, logger: Logger, searchPath: String? = nil, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws -> T {
    let client = try PostgresStore.client(url: url, logger: logger, searchPath: searchPath)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// What several nodes on one PostgreSQL rely on.
@Suite("PostgreSQL store, several nodes")
struct SeveralNodesTests {
    @Test func nodesStartingTogetherMigrateOnceAndShareOneSecret() async throws {
        guard let url = ProcessInfo.processInfo.environment["REGISTRATURA_TEST_POSTGRES_URL"] else {
            Issue.record("REGISTRATURA_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts a throwaway PostgreSQL")
            return
        }
        let logger = Logger(label: "store-tests")
        let schema = "nodes_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await withPostgres(url: url, logger: logger) { admin in try await admin.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"), logger: logger) }
        // Two nodes, each with its own client, start at once.
        let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await withPostgres(url: url, logger: logger, searchPath: schema) { client in
                        let store = PostgresStore(client: client, logger: logger)
                        try await store.migrate()
                        return try await store.secret(named: "csrf")
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(secrets.count == 2 && secrets[0] == secrets[1] && secrets[0].count == 32)
        try await withPostgres(url: url, logger: logger) { admin in
            let applied = try await admin.query(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(schema).schema_migration"), logger: logger).collect().first?.decode(Int.self)
            #expect(applied == PostgresMigrations.all.count)
            try await admin.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
        }
    }
}

/// A PostgreSQL that does not answer costs a page seconds, never a hang.
@Suite("PostgreSQL store, database down")
struct DatabaseDownTests {
    @Test func everyOperationAndTheMigrationsGiveUpAtTheirDeadline() async throws {
        let logger = Logger(label: "store-tests")
        // Nothing listens on port 9: PostgresNIO would retry the connection for ever.
        try await withPostgres(url: "postgres://registratura@127.0.0.1:9/registratura", logger: logger) { client in
            var store = PostgresStore(client: client, logger: logger)
            store.deadline = .seconds(1)
            let started = ContinuousClock.now
            await #expect(throws: StoreUnavailableError.self) { _ = try await store.bookings(patientKey: "k") }
            await #expect(throws: StoreUnavailableError.self) { try await store.saveContact(patientKey: "k", phone: nil, email: nil, consentAt: Date()) }
            await #expect(throws: StoreUnavailableError.self) { try await store.migrate(within: .seconds(1)) }
            #expect(!(await store.isReachable()))
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }
}

/// Saves contacts the patient has already confirmed (as `ContactConfirmations` would leave them), so
/// that messages to them go out: what most outbox tests need.
func saveConfirmedContact(_ store: any RegistryStore, patientKey: String, phone: String?, email: String?, consentAt: Date) async throws {
    try await store.saveContact(patientKey: patientKey, phone: phone, email: email, consentAt: consentAt)
    try await StaffStoreTests.execute("UPDATE contact SET email_confirmed_at = consent_at, phone_confirmed_at = consent_at WHERE patient_key = '\(patientKey)'", on: store)
}
