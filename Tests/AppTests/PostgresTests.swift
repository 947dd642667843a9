import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Persistence
import PostgresNIO
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import Web
import MISBridge

/// The registry on the PostgreSQL store: started from its address, and a patient's whole journey.
@Suite("Registry on PostgreSQL")
struct PostgresTests {
    /// A fresh database on the test command's PostgreSQL, dropped afterwards; `body` gets its address.
    private func withFreshDatabase(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        guard let url = ProcessInfo.processInfo.environment["REGISTRATURA_TEST_POSTGRES_URL"] else {
            Issue.record("REGISTRATURA_TEST_POSTGRES_URL is not set: run ./scripts/test, which starts a throwaway PostgreSQL")
            return
        }
        let name = "registry_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try PostgresStore.client(url: url, logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: testLogger)
            let address = String(url[..<url.lastIndex(of: "/")!]) + "/" + name
            do {
                try await body(address)
            } catch {
                _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: testLogger)
                throw error
            }
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: testLogger)
        }
    }

    @Test func aNodeStartsFromTheStoresAddressMigratesItAndIsReady() async throws {
        try await withFreshDatabase { url in
            // A node on PostgreSQL without the region's audit key does not start: it says what to do.
            var keyless = try AppConfiguration(environment: ["REGISTRATURA_DATABASE_URL": url])
            keyless.dataDirectory = testConfiguration().dataDirectory
            #expect(throws: ConfigurationError.self) { try keyless.auditKey() }
            var configuration = try AppConfiguration(environment: ["REGISTRATURA_DATABASE_URL": url, "REGISTRATURA_AUDIT_KEY": String(repeating: "5a", count: 32)])
            let defaults = testConfiguration()
            configuration.dataDirectory = defaults.dataDirectory
            configuration.templatesDirectory = defaults.templatesDirectory
            configuration.publicDirectory = defaults.publicDirectory
            configuration.port = 0
            let app = try await buildApplication(configuration, logger: testLogger)
            try await app.test(.live) { client in
                let ready = try await client.execute(uri: "/health/ready", method: .get) { $0 }
                #expect(ready.status == .ok && ready.text.contains(#""database":"ok""#))
                // The identification form carries a token signed with the store's secret.
                let form = try await client.execute(uri: "/identify", method: .get) { $0 }
                #expect(form.status == .ok && form.headers[values: .setCookie].contains { $0.hasPrefix("csrf=") })
            }
        }
    }

    @Test func aPatientBooksMovesAndCancelsWithTheLedgerOnPostgreSQL() async throws {
        try await withFreshDatabase { url in
            let client = try PostgresStore.client(url: url, logger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let store = PostgresStore(client: client, logger: testLogger)
                try await store.migrate()
                try await withDemoRegion(database: store) { browser, mis in
                    try await identifyAdult(browser, mis)
                    let (doctor, slot, _) = try await firstSurgeonTime(browser)
                    let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
                    let requestID = try requestID(onCheckPage: check.text)
                    let confirmed = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
                    #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/tickets/\(requestID)")
                    // The same confirmation again: the same ticket, one appointment.
                    #expect(try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID]).headers[.location] == "/tickets/\(requestID)")
                    #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
                    #expect(try await browser.get("/cabinet").text.contains("/tickets/\(requestID)"))
                    let person = try await adultOf101(mis)
                    let ledger = try await store.bookings(patientKey: AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate))
                    #expect(ledger.map(\.status) == [.active] && ledger.first?.actor == "patient")
                    _ = try await browser.get("/tickets/\(requestID)/cancel")
                    let cancelled = try await browser.post("/tickets/\(requestID)/cancel", ["reason": "не смогу"])
                    #expect(cancelled.status == .seeOther)
                    #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.cancelled])
                    #expect(try await store.booking(requestID: requestID)?.status == .cancelled)
                }
            }
        }
    }
}
