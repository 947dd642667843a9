import Booking
import Foundation
import GRDB
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing

/// Carries each request to the gateway its URL's host names; a host it does not know is down.
private struct HostRouter: MISTransport {
    let gateways: [String: Gateway]

    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse {
        guard let host = URLComponents(string: request.url)?.host, let gateway = gateways[host] else {
            throw MISFailure(.unreachable, detail: "connection refused")
        }
        return await gateway.respond(to: request)
    }
}

/// One map of which gateway serves which clinic, across several gateways.
@Suite("Region")
struct RegionTests {
    private func referenceGateway(patients: Int) throws -> (ReferenceMIS, Gateway) {
        let database = try MISDatabase.inMemory()
        try DemoRegion(patients: patients).generate(into: database)
        let mis = ReferenceMIS(database: database)
        try mis.openSchedule(now: Date())
        return (mis, Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "region-secret"])))
    }

    @Test func twoVendorsClinic101StayApartAndADeadGatewayBlocksNoOther() async throws {
        // Two MIS vendors whose clinics are both numbered from 101, and a third gateway that is down.
        let (first, firstGateway) = try referenceGateway(patients: 200)
        let (second, secondGateway) = try referenceGateway(patients: 200)
        let endpoints = [
            MISEndpoint(id: "first", url: "http://first.invalid/serverais", keyID: "registry", secret: "region-secret"),
            MISEndpoint(id: "second", url: "http://second.invalid/serverais", keyID: "registry", secret: "region-secret", clinicPrefix: "b."),
            MISEndpoint(id: "dead", url: "http://dead.invalid/serverais", keyID: "registry", secret: "region-secret", clinicPrefix: "c."),
        ]
        let region = Region(settings: endpoints, transport: HostRouter(gateways: ["first.invalid": firstGateway, "second.invalid": secondGateway]), logger: coreLogger)
        for _ in 0..<6 { _ = try await region.clinics() }
        let clinics = try await region.clinics().map(\.clinic.id)
        #expect(clinics.count == 16 && clinics.contains("101") && clinics.contains("b.101") && !clinics.contains { $0.hasPrefix("c.") })
        // The dead gateway's circuit is open; the others' are not.
        #expect(region.clients.map(\.isCircuitOpen) == [false, false, true])
        let (clinic, client) = try #require(try await region.clinic("b.101"))
        #expect(clinic.id == "b.101" && client.endpoint.id == "second")
        #expect(try await region.clinic("c.101") == nil)
        // A booking in «b.101» is made in the second MIS and comes back under the registry's id.
        let database = try AppDatabase.inMemory()
        let desk = BookingDesk(region: region, database: database)
        let surgeon = try #require(try await client.doctors(clinic: "b.101", specialty: "113").first)
        let day = try #require(try await DoctorSchedule.find(clinic: "b.101", doctor: surgeon.id, in: region, rules: desk.rules, now: Date())?.days.first)
        let patientID = try await second.database.read { db in
            try String.fetchOne(db, sql: "SELECT c.patient_id FROM card c JOIN patient p ON p.id = c.patient_id WHERE c.clinic_id = '101' AND p.birth_date < '2000-01-01' AND p.id NOT LIKE '%D' LIMIT 1")!
        }
        let patient = IdentifiedPatient(key: "k", displayName: "А. Б.", birthDate: "1970-01-01", cards: ["b.101": ClinicCard(patientID: patientID, attachedClinicID: nil, attachedDistrict: nil, dispensarySpecialtyIDs: [])])
        let chosen = try await desk.resolve(clinic: "b.101", doctor: surgeon.id, slot: day.times[0].id, now: Date())
        let booked = try await desk.book(chosen, patient: patient, ledger: [], requestID: "region-booking", by: .patient, now: Date())
        #expect(booked.clinicID == "b.101" && booked.status == .active)
        #expect(try second.history(clinic: "101", patient: patientID).map(\.slotID) == [day.times[0].id])
        #expect(try first.history(clinic: "101", patient: patientID).isEmpty)
        let history = try await client.history(clinic: "b.101", patient: patientID)
        #expect(history.map(\.clinicID) == ["b.101"])
    }
}
