import Booking
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import MISBridge
@testable import ReferenceMIS
import Testing

/// A person the federal portal knows and the MIS does not: valid policy, SNILS and phone.
func portalPerson(lastName: String = "Голубева", firstName: String = "Вера", birthDate: String = "1984-03-17", number: Int = 1) -> MISPersonDetails {
    let first15 = String(format: "770000000%06d", number)
    let policy = first15 + String(PolicyNumber.checkDigit(forFirst15: Array(first15)))
    let body = String(format: "1120%05d", number)
    let snils = body + String(format: "%02d", SNILS.checksum(forFirst9: Array(body)))
    return MISPersonDetails(lastName: lastName, firstName: firstName, middleName: "Андреевна", birthDate: birthDate, sex: "female", policy: policy, snils: snils, phone: "+7 916 555-01-02")
}

@Suite("Reservations in the reference MIS")
struct ReservationTests {
    @Test func aClinicThatApprovesInternetBookingsHoldsThemAsReservationsUntilItConfirms() throws {
        // Given a clinic that approves its internet bookings
        let mis = try makeMIS()
        try mis.setApprovals(clinic: "101", channels: [.internet, .kiosk])
        #expect(try mis.clinic("101").approves == [.internet, .kiosk])
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let slot = try query.slot(specialty: "113")
        // When a patient books online, the time is held as a reservation
        let reserved = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: patient, channel: .internet, requestID: "r-1"), now: mondayMorning)
        #expect(reserved.status == .reserved && reserved.patientID == patient)
        // It holds the time as firmly as an appointment, and counts for one specialty a day
        #expect(throws: MISFailure(.slotTaken, message: "Это время уже занято")) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: "P100000", channel: .callCentre, requestID: "r-2"), now: mondayMorning)
        }
        let sameDay = try query.slot(specialty: "113", skip: 1)
        #expect(sameDay.day == slot.day)
        #expect(throws: MISFailure.self) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: sameDay.id, patientID: patient, channel: .callCentre, requestID: "r-3"), now: mondayMorning)
        }
        // The call centre's booking in the same clinic is an appointment at once
        let other = try query.slot(specialty: "113", skip: 2)
        #expect(try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: other.id, patientID: "P100000", channel: .callCentre, requestID: "r-4"), now: mondayMorning).status == .active)
        // The registrar's list shows it with the card's person
        let listed = try #require(try mis.reservations(clinic: "101").first)
        #expect(listed.appointment.id == reserved.id && listed.person.birthDate.count == 10 && listed.createdAt == mondayMorning)
        // Confirmed: an appointment, seen in the change log; deciding again says it was decided
        let confirmed = try mis.confirmReservation(clinic: "101", appointment: reserved.id, patient: patient, actor: "staff:5", now: mondayMorning.addingTimeInterval(60))
        #expect(confirmed.status == .active && confirmed.ticket == reserved.ticket)
        #expect(try mis.reservations(clinic: "101").isEmpty)
        #expect(throws: MISFailure(.alreadyDecided, message: "Запись уже подтверждена")) {
            try mis.confirmReservation(clinic: "101", appointment: reserved.id, patient: patient, actor: "staff:6", now: mondayMorning)
        }
        #expect(throws: MISFailure(.alreadyDecided, message: "Запись уже подтверждена")) {
            try mis.refuseReservation(clinic: "101", appointment: reserved.id, reason: .moDecline, text: nil, actor: "staff:6", now: mondayMorning)
        }
        let change = try #require(try mis.changes(clinic: "101", cursor: "0").changes.last)
        #expect(change.kind == .confirmed && change.appointmentID == reserved.id && change.patientID == patient && change.by == .clinic)
    }

    @Test func theFederalPortalReservesForAPersonAndTheRegistrarOpensACardToConfirm() throws {
        let mis = try makeMIS()
        let slot = try RegionQuery(mis: mis).slot(specialty: "113")
        let person = portalPerson()
        // A reservation with the person's own data, never an appointment, idempotent on its request id
        let request = MISBookingRequest(slotID: slot.id, person: person, channel: .federalPortal, requestID: "epgu-1")
        let reserved = try mis.setAppointment(clinic: "101", request, now: mondayMorning)
        #expect(reserved.status == .reserved && reserved.patientID == nil && reserved.channel == .federalPortal)
        #expect(try mis.setAppointment(clinic: "101", request, now: mondayMorning).id == reserved.id)
        // Rule 2 knows the person by policy and birth date
        let sameDay = try RegionQuery(mis: mis).slot(specialty: "113", skip: 1)
        #expect(throws: MISFailure(.alreadyBookedWithSpecialty, message: "Пациент уже записан к врачу этой специальности на этот день")) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: sameDay.id, person: person, channel: .federalPortal, requestID: "epgu-2"), now: mondayMorning)
        }
        // Listed with the person as the portal gave them
        let listed = try #require(try mis.reservations(clinic: "101").first)
        #expect(listed.person.fullName == "Голубева Вера Андреевна" && listed.person.snils == person.snils && listed.appointment.patientID == nil)
        // A card is opened (once: asked again, the same card) and the reservation confirmed with it
        let card = try mis.createPatient(clinic: "101", person: person, now: mondayMorning)
        #expect(try mis.createPatient(clinic: "101", person: person, now: mondayMorning).id == card.id)
        #expect(card.lastName == "Голубева" && card.birthDate == "1984-03-17" && card.attachedClinicID == nil)
        let confirmed = try mis.confirmReservation(clinic: "101", appointment: reserved.id, patient: card.id, actor: nil, now: mondayMorning)
        #expect(confirmed.status == .active && confirmed.patientID == card.id)
        #expect(try mis.history(clinic: "101", patient: card.id).map(\.id) == [reserved.id])
    }

    @Test func aPersonsDataIsCheckedBeforeAnythingIsWritten() throws {
        let mis = try makeMIS()
        let slot = try RegionQuery(mis: mis).slot(specialty: "113")
        let good = portalPerson()
        let bad: [(MISPersonDetails, String)] = [
            (MISPersonDetails(lastName: "Голубева1", firstName: "Вера", middleName: "", birthDate: "1984-03-17", sex: "female", policy: good.policy), "Фамилия должна состоять из букв"),
            (MISPersonDetails(lastName: "Голубева", firstName: "Вера", middleName: "", birthDate: "2030-01-01", sex: "female", policy: good.policy), "Дата рождения — прошедший день в виде ГГГГ-ММ-ДД"),
            (MISPersonDetails(lastName: "Голубева", firstName: "Вера", middleName: "", birthDate: "1984-03-17", sex: "female", policy: String(good.policy.dropLast()) + "0"),
             "Не сходится контрольная цифра полиса"),
            (MISPersonDetails(lastName: "Голубева", firstName: "Вера", middleName: "", birthDate: "1984-03-17", sex: "female", policy: good.policy, snils: "11200000100"),
             "СНИЛС указан неверно (11 цифр с контрольной суммой)"),
        ]
        for (person, message) in bad {
            #expect(throws: MISFailure(.badRequest, message: message)) {
                try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, person: person, channel: .federalPortal, requestID: "bad-" + message.prefix(8)), now: mondayMorning)
            }
            #expect(throws: MISFailure(.badRequest, message: message)) { try mis.createPatient(clinic: "101", person: person, now: mondayMorning) }
        }
        #expect(try mis.reservations(clinic: "101").isEmpty)
        // Without a card, only what anyone may book: a district doctor needs attachment
        let therapist = try RegionQuery(mis: mis).slot(specialty: "109")
        #expect(throws: MISFailure(.notAttached, message: "Пациент не прикреплён к этой поликлинике")) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: therapist.id, person: good, channel: .federalPortal, requestID: "t-1"), now: mondayMorning)
        }
    }

    @Test func aRefusalFreesTheTimeAndTellsWhyInTheChangeLog() throws {
        let mis = try makeMIS()
        let slot = try RegionQuery(mis: mis).slot(specialty: "113")
        let reserved = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, person: portalPerson(), channel: .federalPortal, requestID: "f-1"), now: mondayMorning)
        let refused = try mis.refuseReservation(clinic: "101", appointment: reserved.id, reason: .incorrectData, text: "Полис не совпал с картой", actor: "staff:3", now: mondayMorning)
        #expect(refused.status == .cancelled && refused.refusal == .incorrectData && refused.cancelReason == "Полис не совпал с картой" && refused.cancelledBy == .clinic)
        #expect(throws: MISFailure(.alreadyDecided, message: "Запись уже отклонена")) {
            try mis.confirmReservation(clinic: "101", appointment: reserved.id, patient: "P100000", actor: nil, now: mondayMorning)
        }
        // The time is free again
        let taken = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: "P100000", channel: .callCentre, requestID: "f-2"), now: mondayMorning)
        #expect(taken.status == .active)
        let change = try #require(try mis.changes(clinic: "101", cursor: "0").changes.first { $0.kind == .refused })
        #expect(change.refusal == .incorrectData && change.reason == "Полис не совпал с картой" && change.patientID == nil && change.appointmentID == reserved.id)
    }

    @Test func aClosedDayDisplacesRemoteBookingsUntilTheRegistrarMovesOrCancelsThem() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let slot = try query.slot(specialty: "113")
        let online = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: patient, channel: .internet, requestID: "d-1"), now: mondayMorning)
        let second = try query.slot(specialty: "113", skip: 1)
        let federal = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: second.id, person: portalPerson(), channel: .federalPortal, requestID: "d-2"), now: mondayMorning)
        try mis.cancelDoctorDay(doctor: online.doctorID, day: slot.day, reason: "врач на учёбе", now: mondayMorning)
        // Both displaced, listed for the registrar, each in the change log
        let listed = try mis.reservations(clinic: "101")
        #expect(listed.map(\.appointment.id) == [online.id, federal.id] && listed.allSatisfy { $0.appointment.status == .displaced })
        #expect(try mis.changes(clinic: "101", cursor: "0").changes.filter { $0.kind == .displaced }.map(\.appointmentID) == [online.id, federal.id])
        // A displaced booking cannot be confirmed; it is moved to a free time of the specialty, keeping its ticket, and is again what it was
        #expect(throws: MISFailure(.alreadyDecided, message: "Запись выпала из расписания: её нужно перенести или отменить")) {
            try mis.confirmReservation(clinic: "101", appointment: federal.id, patient: patient, actor: nil, now: mondayMorning)
        }
        let target = try query.slot(specialty: "113", notOnDay: slot.day)
        let moved = try mis.moveAppointment(clinic: "101", appointment: online.id, slot: target.id, reason: "врач на учёбе", actor: "staff:3", now: mondayMorning)
        #expect(moved.status == .active && moved.ticket == online.ticket && moved.slotID == target.id)
        let wrongSpecialty = try query.slot(specialty: "109", notOnDay: slot.day)
        #expect(throws: MISFailure(.badRequest, message: "Это время врача другой специальности")) {
            try mis.moveAppointment(clinic: "101", appointment: federal.id, slot: wrongSpecialty.id, reason: nil, actor: nil, now: mondayMorning)
        }
        let againTaken = MISFailure(.slotTaken, message: "Это время уже занято")
        #expect(throws: againTaken) { try mis.moveAppointment(clinic: "101", appointment: federal.id, slot: target.id, reason: nil, actor: nil, now: mondayMorning) }
        // The federal one is cancelled as the clinic: cancelled, with the reason; nothing is left to decide
        let cancelled = try mis.refuseReservation(clinic: "101", appointment: federal.id, reason: .noFreeSpace, text: nil, actor: "staff:3", now: mondayMorning)
        #expect(cancelled.status == .cancelled && cancelled.refusal == .noFreeSpace)
        #expect(try mis.reservations(clinic: "101").isEmpty)
        let kinds = try mis.changes(clinic: "101", cursor: "0").changes.map(\.kind)
        #expect(kinds.suffix(2) == [.moved, .refused])
    }

    @Test func ofTwoDecisionsAtOnceExactlyOneActs() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mis = try makeMIS(path: directory.appendingPathComponent("mis.sqlite").path)
        let card = try mis.createPatient(clinic: "101", person: portalPerson(), now: mondayMorning)
        for round in 0..<10 {
            let slot = try RegionQuery(mis: mis).slot(specialty: "113", skip: round * 3)
            let reserved = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, person: portalPerson(), channel: .federalPortal, requestID: "race-\(round)"), now: mondayMorning)
            // Two registrars: one confirms, one refuses, at the same moment
            let outcomes = await withTaskGroup(of: MISErrorCode?.self) { group in
                group.addTask {
                    do { _ = try mis.confirmReservation(clinic: "101", appointment: reserved.id, patient: card.id, actor: "staff:1", now: mondayMorning); return nil } catch { return (error as? MISFailure)?.code }
                }
                group.addTask {
                    do { _ = try mis.refuseReservation(clinic: "101", appointment: reserved.id, reason: .moDecline, text: nil, actor: "staff:2", now: mondayMorning); return nil } catch { return (error as? MISFailure)?.code }
                }
                return await group.reduce(into: [MISErrorCode?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1 && outcomes.contains(.alreadyDecided))
            let decided = try #require(try await mis.database.read { db in try String.fetchOne(db, sql: "SELECT status FROM appointment WHERE id = ?", arguments: [Int64(reserved.id)!]) })
            #expect(decided == "active" || decided == "cancelled")
            let logged = try mis.changes(clinic: "101", cursor: "0").changes.filter { $0.appointmentID == reserved.id && ($0.kind == .confirmed || $0.kind == .refused) }
            #expect(logged.count == 1)
            if decided == "active" { _ = try mis.cancel(clinic: "101", appointment: reserved.id, patient: card.id, reason: nil, by: .federalPortal, now: mondayMorning) }
        }
    }
}
