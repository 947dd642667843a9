import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Web

@testable import App

/// Behind nginx the client's address comes from `X-Forwarded-For`, but only a trusted proxy's.
@Suite struct ForwardedClientTests {
    @Test func theClientIsTheFirstUntrustedHopFromTheRight() {
        let proxies: Set = ["127.0.0.1", "10.0.0.2"]
        // nginx appends what it saw; whatever the client wrote stays to the left and is not believed.
        #expect(ClientAddress.behind("127.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.7"], trusted: proxies) == "203.0.113.7")
        // Two proxies in a row: the hop the outer one saw.
        #expect(ClientAddress.behind("127.0.0.1", forwardedFor: ["203.0.113.7", "10.0.0.2"], trusted: proxies) == "203.0.113.7")
        // Junk ends the walk at the last good hop (a proxy's address, never the junk).
        #expect(ClientAddress.behind("127.0.0.1", forwardedFor: ["203.0.113.7, <script>, 10.0.0.2"], trusted: proxies) == "10.0.0.2")
        #expect(ClientAddress.behind("127.0.0.1", forwardedFor: [], trusted: proxies) == "127.0.0.1")
        // Someone who is not a proxy cannot claim another address.
        #expect(ClientAddress.behind("198.51.100.1", forwardedFor: ["127.0.0.1"], trusted: proxies) == "198.51.100.1")
    }

    @Test func theProxiesAreConfiguredByAddress() throws {
        #expect(try AppConfiguration(environment: ["REGISTRATURA_TRUSTED_PROXIES": "127.0.0.1,::1"]).trustedProxies == ["127.0.0.1", "::1"])
        #expect(try AppConfiguration(environment: [:]).trustedProxies.isEmpty)
        #expect(throws: ConfigurationError("REGISTRATURA_TRUSTED_PROXIES takes IP addresses separated by commas, not 'nginx'")) {
            try AppConfiguration(environment: ["REGISTRATURA_TRUSTED_PROXIES": "nginx"])
        }
    }

    @Test func aForwardedAddressCountsOnlyFromATrustedProxy() async throws {
        // The metrics allow-list shows which address the node believes: only the forwarded one is allowed.
        for (trusted, expected) in [(Set(["127.0.0.1"]), HTTPResponse.Status.ok), ([], .notFound)] {
            var configuration = testConfiguration()
            configuration.metricsAllowedAddresses = ["203.0.113.7"]
            configuration.trustedProxies = trusted
            let app = try await buildApplication(configuration, logger: testLogger)
            try await app.test(.live) { client in
                let forwarded = try await client.execute(uri: "/metrics", method: .get, headers: [ForwardedClientMiddleware.forwardedFor: "203.0.113.7"]) { $0 }
                #expect(forwarded.status == expected)
                let direct = try await client.execute(uri: "/metrics", method: .get) { $0 }
                #expect(direct.status == .notFound)
            }
        }
    }
}
