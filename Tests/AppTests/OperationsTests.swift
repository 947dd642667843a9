import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import Web
import Prometheus

/// What operators and load balancers ask a node: liveness, readiness, metrics.
@Suite("Operations")
struct OperationsTests {
    @Test func livenessAndReadinessSayWhatTheyChecked() async throws {
        try await withRegistry { client in
            let live = try await client.execute(uri: "/health/live", method: .get) { $0 }
            #expect(live.status == .ok && live.text == #"{"status":"ok"}"# && live.headers[.cacheControl] == "no-store")
            let health = try await client.execute(uri: "/health", method: .get) { $0 }
            #expect(health.status == .ok && health.text.contains(#""version":"\#(RegistryVersion.current)""#))
            let ready = try await client.execute(uri: "/health/ready", method: .get) { $0 }
            #expect(ready.status == .ok)
            #expect(ready.text.contains(#""status":"ready""#))
            #expect(ready.text.contains(#""database":"ok""#) && ready.text.contains(#""breaker":"closed""#) && ready.text.contains(#""id":"nowhere""#))
        }
    }

    @Test func readinessNamesAGatewayWhoseCircuitIsOpenAndStaysReady() async throws {
        try await withRegistry { client in
            // The default gateway of the tests listens nowhere: every page that asks it is an outage.
            for _ in 0..<6 { _ = try await client.execute(uri: "/districts", method: .get) { $0 } }
            let ready = try await client.execute(uri: "/health/ready", method: .get) { $0 }
            // The node itself is fine (its database answers): it stays in the balancer, and says which clinic is down.
            #expect(ready.status == .ok)
            #expect(ready.text.contains(#""breaker":"open""#) && ready.text.contains(#""id":"nowhere""#))
        }
    }

    @Test func metricsAreShownOnlyToAllowedAddresses() async throws {
        // Without a client address (router tests) nobody is allowed.
        try await withRegistry { client in
            let metrics = try await client.execute(uri: "/metrics", method: .get) { $0 }
            #expect(metrics.status == .notFound)
        }
        // Over the network from 127.0.0.1, allowed by default; then from an address not on the list.
        for (allowed, expected) in [(Set(["127.0.0.1", "::1"]), HTTPResponse.Status.ok), (["10.1.2.3"], .notFound)] {
            var configuration = testConfiguration()
            configuration.metricsAllowedAddresses = allowed
            let app = try await buildApplication(configuration, logger: testLogger)
            try await app.test(.live) { client in
                _ = try await client.execute(uri: "/health/live", method: .get) { $0 }
                _ = try await client.execute(uri: "/tickets/0123456789abcdef0123", method: .get) { $0 }
                let metrics = try await client.execute(uri: "/metrics", method: .get) { $0 }
                #expect(metrics.status == expected)
                if expected == .ok {
                    #expect(metrics.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                    // Requests per route (the route's pattern, never a patient's address) and their latency.
                    #expect(metrics.text.contains(#"http_requests{route="/health/live",method="GET",status="200"}"#))
                    #expect(metrics.text.contains(#"http_request_duration_count{route="/health/live",method="GET"}"#))
                    #expect(!metrics.text.contains("0123456789abcdef0123"), "a ticket's address stays out of the labels")
                } else {
                    #expect(!metrics.text.contains("http_requests"))
                }
            }
        }
    }

    @Test func aBookingIsCountedWithItsMISCallsAndDatabaseStatements() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let pair = try DemoGuide(mis).twoTimesOnOneDay(clinic: "101", specialty: "113", after: Date().addingTimeInterval(3 * 3_600 + 300))
            try #require(pair.count == 2)
            let check = try await browser.get("/book?clinic=101&doctor=\(pair[0].doctor)&slot=\(pair[0].slot)")
            let confirmed = try await browser.post("/book", ["clinic": "101", "doctor": pair[0].doctor, "slot": pair[0].slot, "requestId": try requestID(onCheckPage: check.text)])
            #expect(confirmed.status == .seeOther)
            let text = RegistryMetrics.registry.emitToString()
            #expect(text.contains(#"registry_bookings{channel="internet",kind="booked"}"#))
            #expect(text.contains(#"mis_requests{operation="SetAppointment",endpoint="reference",outcome="ok"}"#))
            #expect(text.contains(#"registry_db_duration_count{backend="sqlite",access="write"}"#))
            // A second surgeon's time that day, confirmed anyway, is refused at the desk and counted under its rule.
            let another = try await browser.post("/book", ["clinic": "101", "doctor": pair[1].doctor, "slot": pair[1].slot, "requestId": "another-0123456789abcdef"])
            #expect(another.status == .conflict)
            #expect(RegistryMetrics.registry.emitToString().contains(#"registry_refusals{rule="already-booked-that-day",channel="internet"}"#))
        }
    }

    @Test func theMetricsAllowListIsConfiguredByAddress() throws {
        let configuration = try AppConfiguration(environment: ["REGISTRATURA_METRICS_ALLOW": "10.0.0.5, ::1"])
        #expect(configuration.metricsAllowedAddresses == ["10.0.0.5", "::1"])
        #expect(throws: ConfigurationError("REGISTRATURA_METRICS_ALLOW takes IP addresses separated by commas, not 'prometheus.local'")) {
            try AppConfiguration(environment: ["REGISTRATURA_METRICS_ALLOW": "prometheus.local"])
        }
    }

    @Test func aDatabaseThatDoesNotAnswerGivesTheTryAgainPageNotAnError() async throws {
        try await withRegistry(configure: { router in
            router.get("/test-store-down") { _, _ -> Response in throw StoreUnavailableError(operation: "a read", seconds: 5) }
        }) { client in
            let response = try await client.execute(uri: "/test-store-down", method: .get) { $0 }
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "30")
            #expect(response.text.contains("Сервис временно недоступен"))
        }
    }
}
