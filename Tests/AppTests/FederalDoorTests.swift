import Booking
import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App

/// The registry's door for the federal portal: the protocol over the whole region, reservations
/// for the person the portal knows, confirmed by the clinic's registrar, read back from GetChanges.
@Suite struct FederalDoorTests {
    private let schema = XMLSchemaValidator(path: repositoryRoot.appendingPathComponent("docs/mis-protocol.xsd").path)!

    /// A client of the door as the portal is: the door's key, the registry's router.
    private func portal(_ browser: Browser, secret: String = federalTestKey.secret) -> MISClient {
        MISClient(endpoint: MISEndpoint(id: "door", url: "http://registry/federal/serverais", keyID: federalTestKey.id, secret: secret),
                  transport: RegistryDoorTransport(client: browser.client), logger: testLogger)
    }

    /// A person the MIS does not know, as the portal sends them.
    private func person(_ number: Int = 1) -> MISPersonDetails {
        let first15 = String(format: "770011100%06d", number)
        return MISPersonDetails(lastName: "Голубева", firstName: "Вера", middleName: "Андреевна", birthDate: "1984-03-17", sex: "female",
                                policy: first15 + String(PolicyNumber.checkDigit(forFirst15: Array(first15))), phone: "+7 916 555-01-02")
    }

    @Test func theDoorPassesTheConformanceCheckForAPortalsDoor() async throws {
        try await withDemoRegion { browser, _ in
            let check = ConformanceCheck(endpoint: MISEndpoint(id: "door", url: "http://registry/federal/serverais", keyID: federalTestKey.id, secret: federalTestKey.secret),
                                         transport: RegistryDoorTransport(client: browser.client), schema: schema, testPatient: nil, profile: .federalDoor)
            let results = await check.run()
            for result in results { #expect(result.verdict == .pass, "\(result.line)") }
            #expect(results.contains { $0.name.hasPrefix("reservation round") && $0.verdict == .pass })
            #expect(results.contains { $0.name.hasPrefix("staff operations are refused") && $0.verdict == .pass })
        }
    }

    @Test func aPortalReservationIsConfirmedByTheRegistrarAndThePortalReadsIt() async throws {
        let database = try await storeWithStaff([("reg", "Сергеева Е. И.", .registrar)], clinics: ["reg": ["101"]])
        try await withDemoRegion(database: database) { browser, mis in
            let door = portal(browser)
            // The portal sees open specialties with federal codes only, within 14 days
            let specialties = try await door.specialties(clinic: "101")
            #expect(!specialties.isEmpty && specialties.allSatisfy { $0.selfBooking == .open && !$0.federalCode.isEmpty })
            let all = try mis.specialties(clinic: "101", now: Date())
            #expect(all.contains { $0.selfBooking != .open } && specialties.count < all.count)
            let surgeon = try #require(specialties.first { $0.id == "113" })
            let horizon = ProtocolTime.day(Date().addingTimeInterval(13 * 86_400), in: TimeZone(identifier: "Europe/Moscow")!)
            #expect(surgeon.lastDate.map { $0 <= horizon } ?? true)
            let doctor = try #require(try await door.doctors(clinic: "101", specialty: "113").first { $0.freeCount > 0 })
            let day = try #require(doctor.nearestDate)
            let slot = try #require(try await door.availableAppointments(clinic: "101", doctor: doctor.id, from: day, to: day).first)

            // A reservation for the person's own data; a malformed SNILS is refused before the MIS hears of it
            let bad = MISPersonDetails(lastName: "Голубева", firstName: "Вера", middleName: "", birthDate: "1984-03-17", sex: "female", policy: person().policy, snils: "12345678900")
            await #expect(throws: MISFailure(.badRequest, message: "СНИЛС указан неверно (11 цифр с контрольной суммой)")) {
                try await door.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, person: bad, channel: .federalPortal, requestID: "epgu-0"))
            }
            let reserved = try await door.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, person: person(), channel: .federalPortal, requestID: "epgu-1"))
            #expect(reserved.status == .reserved && reserved.channel == .federalPortal)
            let key = try #require(reserved.patientID)
            #expect(try await door.history(clinic: "101", patient: key).map(\.id) == [reserved.id])
            // The same person cannot hold a second time of the specialty that day, whichever channel asks
            let other = try #require(try await door.availableAppointments(clinic: "101", doctor: doctor.id, from: day, to: day).first { $0.id != slot.id })
            await #expect(throws: MISFailure.self) {
                try await door.setAppointment(clinic: "101", MISBookingRequest(slotID: other.id, person: person(), channel: .federalPortal, requestID: "epgu-2"))
            }

            // The registrar confirms it with a new card
            let registrar = Browser(browser.client)
            _ = try await registrar.get("/staff/sign-in")
            _ = try await registrar.post("/staff/sign-in", ["login": "reg", "password": staffPassword])
            let page = try await registrar.get("/staff/clinics/101/queue/\(reserved.id)").text
            #expect(page.contains("Голубева Вера Андреевна") && page.contains("Госуслуги") && page.contains("Создать карту и подтвердить"))
            let confirmed = try await registrar.post("/staff/clinics/101/queue/\(reserved.id)/confirm", ["create": "1"])
            #expect(confirmed.status == .seeOther)
            #expect(try database.auditEntries(AuditQuery(action: "patient.card-created")).count == 1)

            // The portal reads it in its feed, and the appointment in the person's history
            let changes = try await door.changes(clinic: "101", cursor: "0")
            #expect(changes.changes.map(\.kind) == [.confirmed] && changes.changes[0].appointmentID == reserved.id && changes.changes[0].patientID == key)
            #expect(try await door.history(clinic: "101", patient: key).first?.status == .active)
            #expect(try await door.changes(clinic: "101", cursor: changes.cursor).changes.isEmpty)

            // The clinic closes the day: the portal reads it displaced; the portal cancels it
            try mis.cancelDoctorDay(doctor: doctor.id, day: day, reason: "врач на учёбе", now: Date())
            // (The registrar's queue reads the clinic's change log first, as the housekeeping round does.)
            #expect(try await registrar.get("/staff/clinics/101/queue").text.contains("Выпали из расписания"))
            let later = try await door.changes(clinic: "101", cursor: changes.cursor)
            #expect(later.changes.map(\.kind) == [.displaced] && later.changes[0].reason == "врач на учёбе")
            let cancelled = try await door.cancel(clinic: "101", appointment: reserved.id, patient: key, reason: "передумала", by: .federalPortal)
            #expect(cancelled.status == .cancelled)
            #expect(try await door.changes(clinic: "101", cursor: later.cursor).changes.map(\.kind) == [.cancelled])
        }
    }

    @Test func aRepeatedNonceAnUnknownKeyAndStaffOperationsAreRefused() async throws {
        try await withDemoRegion { browser, _ in
            await #expect(throws: MISFailure(.unauthorised, message: "подпись не совпадает")) { try await portal(browser, secret: "wrong").districts() }
            let door = portal(browser)
            #expect(try await !door.districts().isEmpty)
            // A signed request sent twice is a replay, also for another node that shares the store
            let signer = RequestSigner(keyID: federalTestKey.id, secret: federalTestKey.secret)
            let parameters = [("op", "GetDistrictList")]
            let headers = signer.headers(method: "GET", path: "/federal/serverais", parameters: parameters)
            let transport = RegistryDoorTransport(client: browser.client)
            let request = MISHTTPRequest(method: "GET", url: "http://registry/federal/serverais?op=GetDistrictList", headers: headers, body: nil)
            #expect(try await transport.send(request, timeout: .seconds(5)).status == 200)
            let replay = try await transport.send(request, timeout: .seconds(5))
            #expect(replay.status == 401 && String(decoding: replay.body, as: UTF8.self).contains("code=\"10\""))
            await #expect(throws: MISFailure(.badRequest, message: "Операция не предоставляется порталу")) { _ = try await door.reservations(clinic: "101") }
            await #expect(throws: MISFailure(.badRequest, message: "Операция не предоставляется порталу")) {
                _ = try await door.schedule(clinic: "101", doctor: nil, from: "2026-12-01", to: "2026-12-02")
            }
        }
    }
}
