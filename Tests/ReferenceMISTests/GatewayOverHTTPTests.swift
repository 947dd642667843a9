import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import MISBridge
import Testing
@testable import ReferenceMIS

/// The reference gateway over real HTTP, asked by the real bridge client.
@Suite("Reference gateway over HTTP")
struct GatewayOverHTTPTests {
    static let transport = HTTPClientTransport(connectTimeout: .seconds(5))
    let logger = Logger(label: "bridge-tests")

    private func client(port: Int, policy: MISCallPolicy = MISCallPolicy(), breaker: CircuitBreaker = CircuitBreaker()) -> MISClient {
        MISClient(endpoint: MISEndpoint(id: "test", url: "http://127.0.0.1:\(port)/serverais", keyID: "registry", secret: "bridge-secret"),
                  transport: Self.transport, policy: policy, breaker: breaker, logger: logger)
    }

    @Test func talksToTheReferenceGatewayEndToEnd() async throws {
        let mis = try makeMIS(patients: 300)
        try mis.openSchedule(now: Date())
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "bridge-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { testClient in
            let client = client(port: testClient.port!)
            #expect(try await client.version().protocolVersion == 1)
            #expect(try await client.clinics().count == 8)
            let doctor = try #require(try await client.doctors(clinic: "101", specialty: "113").first { $0.freeCount > 0 })
            let day = try #require(doctor.nearestDate)
            let slot = try #require(try await client.availableAppointments(clinic: "101", doctor: doctor.id, from: day, to: day).first)
            let patient = try await mis.database.writer.read { db in try GRDBRow.patient(db) }
            let found = try await client.checkPatient(clinic: "101", MISPatientQuery(policy: patient.policy, birthDate: patient.birthDate))
            #expect(found.id == patient.id)
            let booking = MISBookingRequest(slotID: slot.id, patientID: found.id, channel: .internet, requestID: UUID().uuidString)
            let appointment = try await client.setAppointment(clinic: "101", booking)
            #expect(try await client.setAppointment(clinic: "101", booking) == appointment)
            await #expect(throws: MISFailure.self) {
                try await client.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: found.id, channel: .internet, requestID: UUID().uuidString))
            }
            #expect(try await client.cancel(clinic: "101", appointment: appointment.id, patient: found.id, reason: "передумал", by: .internet).status == .cancelled)
        }
    }

    @Test func twoHundredConcurrentBookingsOverHTTPMakeOneAppointment() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bridge-race-\(UUID().uuidString)/mis.sqlite").path
        let mis = try makeMIS(patients: 400, path: path)
        try mis.openSchedule(now: Date())
        let target = try await mis.database.writer.read { db in
            try GRDB.Row.fetchOne(db, sql: "SELECT s.id FROM slot s JOIN doctor d ON d.id = s.doctor_id WHERE d.specialty_id = '112' AND s.clinic_id = '105' AND s.start > ? ORDER BY s.start LIMIT 1", arguments: [Int(Date().timeIntervalSince1970) + 7_200])!
        }
        let slotID = String(target["id"] as Int64)
        // The dental clinic, where every patient has a card.
        let patients = try await mis.database.writer.read { db in try String.fetchAll(db, sql: "SELECT patient_id FROM card WHERE clinic_id = '105' ORDER BY patient_id LIMIT 200") }
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "bridge-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { testClient in
            // A generous deadline: under load every request must still get its real answer.
            var policy = MISCallPolicy()
            policy.attemptTimeout = .seconds(60)
            policy.callBudget = .seconds(60)
            let client = client(port: testClient.port!, policy: policy)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for (index, patient) in patients.enumerated() {
                    group.addTask {
                        do {
                            _ = try await client.setAppointment(clinic: "105", MISBookingRequest(slotID: slotID, patientID: patient, channel: .internet, requestID: "http-race-\(index)"))
                            return "booked"
                        } catch {
                            return (error as? MISFailure)?.label ?? "other"
                        }
                    }
                }
                return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(outcomes["booked"] == 1, "\(outcomes)")
            #expect(patients.count == 200 && outcomes["error_4"] == 199, "\(outcomes)")
        }
        let stored = try await mis.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointment WHERE slot_id = ?", arguments: [Int64(slotID)!]) }
        #expect(stored == 1)
    }

    @Test func anAllowedAddressIsAnsweredOverTheNetwork() async throws {
        let mis = try makeMIS(patients: 50)
        for (allowed, expectOK) in [(Set(["127.0.0.1"]), true), (Set(["10.1.2.3"]), false)] {
            let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "bridge-secret"], allowedAddresses: allowed))
            let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { testClient in
                do {
                    let version = try await client(port: testClient.port!).version()
                    #expect(expectOK && version.protocolVersion == 1)
                } catch let failure as MISFailure {
                    #expect(!expectOK && failure.code == .unauthorised)
                }
            }
        }
    }

    @Test func oneCallFindsThePatientInEveryClinicOfTheGateway() async throws {
        let mis = try makeMIS(patients: 300)
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "bridge-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { testClient in
            let client = client(port: testClient.port!)
            let patient = try await mis.database.writer.read { db in try GRDBRow.patient(db) }
            let cards = try await client.patientCards(MISPatientQuery(policy: patient.policy, birthDate: patient.birthDate))
            // Where the patient has a card: the attached clinic and the dental one, not every clinic of the region.
            let clinics = cards.map(\.clinic)
            #expect(clinics.contains(patient.attachedClinic) && clinics.contains("105") && clinics.count < 8 && clinics == clinics.sorted())
            if patient.birthDate < "2009-01-01" { #expect(!clinics.contains("103")) }
            #expect(cards.allSatisfy { $0.patient.id == patient.id })
            await #expect(throws: MISFailure(.patientNotFound, message: "Пациент с таким полисом и датой рождения не найден")) {
                try await client.patientCards(MISPatientQuery(policy: "7700000000000008", birthDate: "1980-01-01"))
            }
        }
    }
}

/// Reads one generated patient for the end-to-end test.
enum GRDBRow {
    struct Patient {
        let id: String
        let policy: String
        let birthDate: String
        let attachedClinic: String
    }

    static func patient(_ db: GRDB.Database) throws -> Patient {
        let row = try GRDB.Row.fetchOne(db, sql: "SELECT p.id, p.policy, p.birth_date, a.clinic_id FROM patient p JOIN attachment a ON a.patient_id = p.id WHERE p.id NOT LIKE '%D' ORDER BY p.id LIMIT 1")!
        return Patient(id: row["id"], policy: row["policy"], birthDate: row["birth_date"], attachedClinic: row["clinic_id"])
    }
}
