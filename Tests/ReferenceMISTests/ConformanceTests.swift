import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import MISBridge
import Testing
@testable import ReferenceMIS

@Suite("Conformance check")
struct ConformanceTests {
    @Test func theReferenceGatewayPassesEveryCheck() async throws {
        let mis = try makeMIS(patients: 300)
        try mis.openSchedule(now: Date())
        let patient = try await mis.database.writer.read { db in try GRDBRow.patient(db) }
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "conformance-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let check = ConformanceCheck(
                endpoint: MISEndpoint(id: "reference", url: "http://127.0.0.1:\(client.port!)/serverais", keyID: "registry", secret: "conformance-secret"),
                transport: GatewayOverHTTPTests.transport, schema: schema, testPatient: (patient.policy, patient.birthDate)
            )
            let results = await check.run()
            #expect(results.count >= 13)
            for result in results { #expect(result.verdict == .pass, "\(result.line)") }
            // The booking round reports the ticket only if every step through cancellation ran.
            #expect(results.first { $0.name.hasPrefix("booking round") }?.note?.hasPrefix("ticket ") == true)
        }
    }

    @Test func aSloppyGatewayFails() async throws {
        // Answers every request with a valid-looking version, checking nothing.
        let router = Router()
        let answer = MISResponse.success(.getVersion) { writer in
            writer.empty("version", ["protocol": "1", "implementation": "sloppy", "time": "2026-11-23T08:00:00Z"])
        }
        router.get("/serverais") { _, _ in answer }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let check = ConformanceCheck(
                endpoint: MISEndpoint(id: "sloppy", url: "http://127.0.0.1:\(client.port!)/serverais", keyID: "registry", secret: "x"),
                transport: GatewayOverHTTPTests.transport, schema: schema, testPatient: nil
            )
            let results = await check.run()
            let failed = results.filter { $0.verdict == .fail }.map(\.name)
            #expect(failed.contains("unsigned request is refused with error 10"))
            #expect(failed.contains("replayed request is refused with error 10"))
            #expect(failed.contains("unknown operation is error 9"))
        }
    }
}
