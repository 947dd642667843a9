import Foundation
import Testing
@testable import Persistence

/// The two forms of a PostgreSQL address: a host and port, or the server's local socket (libpq's `host=` folder).
@Suite("PostgreSQL addresses")
struct PostgresAddressTests {
    @Test func aHostAndPortOrTheDefaultPort() throws {
        let address = try #require(PostgresAddress("postgres://registratura:secret@db.example.org:6432/registry"))
        #expect(address.user == "registratura" && address.password == "secret" && address.database == "registry")
        #expect(address.server == .network(host: "db.example.org", port: 6432))
        #expect(PostgresAddress("postgresql://r@10.0.0.5/registry")?.server == .network(host: "10.0.0.5", port: 5432))
    }

    @Test func theLocalSocketInAFolderNamedByTheHostParameter() throws {
        let address = try #require(PostgresAddress("postgres://registratura@/registry?host=/run/postgresql"))
        #expect(address.server == .socket(path: "/run/postgresql/.s.PGSQL.5432"))
        #expect(address.user == "registratura" && address.password == nil && address.database == "registry")
        // The port names the socket file; a trailing slash on the folder is the same folder.
        #expect(PostgresAddress("postgres://r@/registry?host=/tmp/pg/&port=6543")?.server == .socket(path: "/tmp/pg/.s.PGSQL.6543"))
    }

    @Test(arguments: [
        "", "registry", "mysql://r@host/registry", "postgres://host/registry", "postgres://r@host", "postgres://r@host/",
        "postgres://r@/registry", "postgres://r@/registry?host=relative/folder", "postgres://r@host/registry?host=/run/postgresql",
        "postgres://r@host:0/registry", "postgres://r@/registry?host=/run/postgresql&port=70000",
    ]) func anythingElseIsRefused(_ url: String) {
        #expect(PostgresAddress(url) == nil)
        #expect(!PostgresStore.isAddress(url))
    }

    /// Through the test server's own socket: the store migrates and keeps a session as over TCP.
    @Test func aStoreWorksThroughTheLocalSocket() async throws {
        guard let url = ProcessInfo.processInfo.environment["REGISTRATURA_TEST_POSTGRES_SOCKET_URL"] else {
            Issue.record("REGISTRATURA_TEST_POSTGRES_SOCKET_URL is not set: run ./scripts/test, which starts a throwaway PostgreSQL")
            return
        }
        try await withPostgresStore(url: url) { store in
            let now = Date(timeIntervalSince1970: 1_795_413_600)
            try await store.createSession(id: "s1", csrfToken: "t1", now: now)
            #expect(try await store.session(id: "s1", now: now, idleTimeout: 900)?.csrfToken == "t1")
        }
    }
}
