import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import MISBridge
import Testing
@testable import ReferenceMIS

/// GetSchedule: what a clinic's staff read — every slot of a period with every booking made for it.
@Suite("Schedule")
struct ScheduleTests {
    private let signer = RequestSigner(keyID: "registry", secret: "gateway-test-secret")

    private func withGateway(_ mis: ReferenceMIS, _ body: @escaping @Sendable (SignedClient) async throws -> Void) async throws {
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "gateway-test-secret"]), clock: { mondayMorning })
        try await Application(router: gateway.router()).test(.router) { client in
            try await body(SignedClient(client: client, signer: signer))
        }
    }

    @Test func aSlotListsEveryBookingOldestFirstAndSaysWhetherItIsHeld() async throws {
        let mis = try makeMIS()
        let doctor = try #require(try mis.doctors(clinic: "101", specialty: "113", now: mondayMorning).first { $0.freeCount > 0 })
        let day = try #require(doctor.nearestDate)
        let slots = try mis.availableAppointments(clinic: "101", doctor: doctor.id, from: day, to: day, now: mondayMorning)
        let slot = try #require(slots.first)
        let first = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: "P100000", channel: .internet, requestID: "s-1", actor: "patient"), now: mondayMorning)
        _ = try mis.cancel(clinic: "101", appointment: first.id, patient: "P100000", reason: "не смогу", by: .internet, now: mondayMorning.addingTimeInterval(60))
        let other = try #require(try await mis.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT patient_id FROM card WHERE clinic_id = '101' AND patient_id <> 'P100000' ORDER BY patient_id")
        })
        let second = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: other, channel: .callCentre, requestID: "s-2", actor: "operator:7"),
                                            now: mondayMorning.addingTimeInterval(120))
        try await withGateway(mis) { client in
            let schedule = try MISAnswer.schedule(try await client.payload("GetSchedule", [("clinic", "101"), ("doctor", doctor.id), ("from", day), ("to", day)], .getSchedule))
            #expect(schedule.next == nil)
            let shown = try #require(schedule.doctors.first)
            #expect(schedule.doctors.map(\.id) == [doctor.id])
            #expect(shown.name == doctor.name && shown.specialtyID == "113" && !shown.specialtyName.isEmpty)
            #expect(zip(shown.slots, shown.slots.dropFirst()).allSatisfy { $0.start < $1.start })
            let held = try #require(shown.slots.first { $0.id == slot.id })
            #expect(held.state == .booked)
            #expect(held.bookings.map(\.appointmentID) == [first.id, second.id])
            let cancelled = held.bookings[0], active = held.bookings[1]
            #expect(cancelled.status == .cancelled && cancelled.cancelledBy == .internet && cancelled.cancelReason == "не смогу" && cancelled.actor == "patient")
            #expect(cancelled.cancelledAt == mondayMorning.addingTimeInterval(60))
            #expect(active.status == .active && active.channel == .callCentre && active.actor == "operator:7" && active.patientID == other)
            #expect(active.createdAt == mondayMorning.addingTimeInterval(120) && active.ticket == second.ticket)
            #expect(active.patientName.split(separator: " ").count >= 2 && active.birthDate.count == 10)
            // The other slots of the day: free, as GetAvailableAppointments says.
            #expect(Set(shown.slots.filter { $0.state == .free }.map(\.id)) == Set(slots.dropFirst().map(\.id)))
        }
    }

    @Test func aClosedDayShowsItsSlotsClosedItsRemoteBookingsDisplacedAndTheDesksCancelled() async throws {
        let mis = try makeMIS()
        let doctor = try #require(try mis.doctors(clinic: "101", specialty: "113", now: mondayMorning).first { $0.freeCount > 1 })
        let day = try #require(doctor.nearestDate)
        let free = try mis.availableAppointments(clinic: "101", doctor: doctor.id, from: day, to: day, now: mondayMorning)
        let (slot, deskSlot) = (try #require(free.first), free[1])
        let booked = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: "P100000", channel: .kiosk, requestID: "c-1"), now: mondayMorning)
        let other = try #require(try await mis.database.writer.read { db in
            try String.fetchOne(db, sql: "SELECT patient_id FROM card WHERE clinic_id = '101' AND patient_id <> 'P100000' ORDER BY patient_id")
        })
        let atDesk = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: deskSlot.id, patientID: other, channel: .frontDesk, requestID: "c-2"), now: mondayMorning)
        try mis.cancelDoctorDay(doctor: doctor.id, day: day, reason: "врач заболел", now: mondayMorning)
        let schedule = try mis.schedule(clinic: "101", doctor: doctor.id, from: day, to: day, after: nil)
        let slots = try #require(schedule.doctors.first).slots
        #expect(!slots.isEmpty && slots.allSatisfy { $0.state == .closed })
        // The kiosk's booking is the clinic's to move or cancel; the desk's own is cancelled.
        let booking = try #require(slots.first { $0.id == slot.id }?.bookings.first)
        #expect(booking.appointmentID == booked.id && booking.status == .displaced && booking.cancelReason == "врач заболел")
        let desk = try #require(slots.first { $0.id == deskSlot.id }?.bookings.first)
        #expect(desk.appointmentID == atDesk.id && desk.status == .cancelled && desk.cancelledBy == .clinic)
        #expect(try mis.reservations(clinic: "101").map(\.appointment.id) == [booked.id])
    }

    @Test func aWholeClinicComesInWholeDoctorsPageByPage() throws {
        let mis = try makeMIS()
        let day = "2026-11-24"
        let whole = try mis.schedule(clinic: "101", doctor: nil, from: day, to: day, after: nil)
        #expect(whole.next == nil && whole.doctors.count > 3)
        #expect(whole.doctors.map(\.id) == whole.doctors.map(\.id).sorted())
        var pages: [MISSchedule] = [], after: String?
        repeat {
            let page = try mis.schedule(clinic: "101", doctor: nil, from: day, to: day, after: after, pageSlots: 1)
            pages.append(page)
            after = page.next
        } while after != nil && pages.count < 100
        #expect(after == nil)
        #expect(pages.count == whole.doctors.count)
        #expect(pages.flatMap(\.doctors) == whole.doctors)
        #expect(pages.dropLast().allSatisfy { $0.next == $0.doctors.last?.id })
    }

    @Test func anUnknownDoctorOrABadPeriodIsABadRequest() async throws {
        let mis = try makeMIS()
        try await withGateway(mis) { client in
            for parameters in [
                [("clinic", "101"), ("doctor", "no-such"), ("from", "2026-11-24"), ("to", "2026-11-24")],
                [("clinic", "101"), ("from", "2026-11-01"), ("to", "2026-12-31")],
                [("clinic", "101"), ("from", "2026-11-24"), ("to", "2026-11-23")],
                [("clinic", "101"), ("from", "24.11.2026"), ("to", "2026-11-24")],
                [("clinic", "101"), ("from", "2026-11-24")],
            ] {
                let answer = try await client.call("GetSchedule", parameters)
                #expect(answer.status == 400, "\(parameters)")
                #expect(answer.text.contains("code=\"9\""))
            }
        }
    }

    @Test func anAnswerWhoseSlotStateDisagreesWithItsBookingsIsRefused() throws {
        let answer = """
            <?xml version="1.0" encoding="UTF-8"?><response operation="GetSchedule" version="1"><schedule complete="true">\
            <doctor id="d" name="Врач" specialty="s" specialtyName="Терапевт" room="1">\
            <slot id="1" start="2026-11-24T08:00:00+03:00" end="2026-11-24T08:15:00+03:00" room="1" state="free">\
            <booking appointment="a" patient="p" patientName="Иванов Иван" birthDate="1980-01-01" channel="internet" createdAt="2026-11-20T08:00:00+03:00" status="active"/>\
            </slot></doctor></schedule></response>
            """
        #expect(throws: MISFailure.self) { try MISAnswer.schedule(try MISResponse.payload(of: Array(answer.utf8), for: .getSchedule)) }
        let unfinished = answer.replacingOccurrences(of: "complete=\"true\"", with: "complete=\"false\"")
        #expect(throws: MISFailure.self) { try MISAnswer.schedule(try MISResponse.payload(of: Array(unfinished.utf8), for: .getSchedule)) }
    }
}
