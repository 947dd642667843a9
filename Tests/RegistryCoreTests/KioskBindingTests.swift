import Foundation
import Persistence
import RegistryCore
import Testing

/// Networks as administrators write them, and a kiosk's token kept to the network it stands in.
@Suite("Kiosks bound to their network")
struct KioskBindingTests {
    @Test func networksAreReadAndMatchedAsWritten() throws {
        let hall = try #require(IPNetwork("10.20.0.0/24"))
        #expect(hall.contains("10.20.0.15") && hall.contains("10.20.0.255") && hall.contains("::ffff:10.20.0.9"))
        #expect(!hall.contains("10.20.1.15") && !hall.contains("10.2.0.15") && !hall.contains(nil) && !hall.contains("not an address") && !hall.contains("fd00::1"))
        #expect(hall.description == "10.20.0.0/24")
        let one = try #require(IPNetwork("10.20.0.15"))
        #expect(one.contains("10.20.0.15") && !one.contains("10.20.0.16") && one.description == "10.20.0.15")
        let v6 = try #require(IPNetwork("fd00:1::/64"))
        #expect(v6.contains("fd00:1::abcd") && !v6.contains("fd00:2::1") && v6.description == "fd00:1::/64")
        #expect(try #require(IPNetwork("10.20.0.0/20")).contains("10.20.15.1") && !(try #require(IPNetwork("10.20.0.0/20")).contains("10.20.16.1")))
        for bad in ["", "10.20.0.0/33", "10.20.0", "10.20.0.0/-1", "hall", "10.20.0.0/24/1", "::1/129", "10.20.0.0/٢٤"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
        #expect(IPNetworks("10.0.0.0/8, 192.168.1.0/24")?.contains("192.168.1.7") == true)
        #expect(IPNetworks("10.0.0.0/8, hall") == nil)
    }

    @Test func aBoundKioskIsAdmittedOnlyFromItsNetworkAndEveryOtherTryIsAudited() async throws {
        let database = try AppDatabase.inMemory()
        let audit = AuditTrail(database: database)
        let devices = KioskDevices(database: database, audit: audit)
        guard case .failure(.badNetwork) = try await devices.register(name: "Холл", clinicID: "101", clinics: ["101"], network: "10.20.0/24", by: nil, address: nil, now: Date()) else { Issue.record("a bad network accepted"); return }
        guard case .success(let bound) = try await devices.register(name: "Холл", clinicID: "101", clinics: ["101"], network: " 10.20.0.0/24 ", by: nil, address: nil, now: Date()),
            case .success(let free) = try await devices.register(name: "Регистратура", clinicID: "101", clinics: ["101"], by: nil, address: nil, now: Date())
        else { Issue.record("not registered"); return }
        #expect(bound.kiosk.network == "10.20.0.0/24" && free.kiosk.network == nil)
        #expect(try await database.kiosk(id: bound.kiosk.id)?.network == "10.20.0.0/24")
        // From its hall: admitted; from anywhere else (a copied cookie): refused, and the trail says so.
        #expect(try await devices.admit(token: bound.token, from: "10.20.0.31", now: Date()) == .kiosk(try #require(try await database.kiosk(id: bound.kiosk.id))))
        guard case .elsewhere = try await devices.admit(token: bound.token, from: "203.0.113.9", now: Date()) else { Issue.record("admitted from elsewhere"); return }
        guard case .elsewhere = try await devices.admit(token: bound.token, from: nil, now: Date()) else { Issue.record("admitted from nowhere"); return }
        let refused = try await database.auditEntries(AuditQuery(action: AuditTrail.Action.kioskRefusedElsewhere.rawValue))
        #expect(refused.count == 2 && refused.contains { $0.address == "203.0.113.9" && $0.detail.contains(bound.kiosk.id) })
        // A kiosk registered without a network works from any address, as before.
        guard case .kiosk = try await devices.admit(token: free.token, from: "203.0.113.9", now: Date()) else { Issue.record("unbound kiosk refused"); return }
    }
}
