import Foundation
import Testing
@testable import MISBridge

@Suite("Message codec")
struct MessageCodingTests {
    let yekaterinburg = TimeZone(identifier: "Asia/Yekaterinburg")!
    let start = Date(timeIntervalSince1970: 1_795_381_200 + 8 * 3_600)

    /// Writes an answer, checks it against the XSD, and reads its payload back.
    private func roundTrip(_ operation: MISOperation, _ write: (inout XMLWriter) -> Void) throws -> XMLElementView {
        let text = MISResponse.success(operation, write)
        #expect(protocolSchema.problems(in: Array(text.utf8)) == [], "\(operation)")
        return try MISResponse.payload(of: Array(text.utf8), for: operation)
    }

    @Test func referenceDataRoundTrips() throws {
        let district = MISDistrict(id: "1", name: "Северный", okato: "65401000000")
        let clinic = MISClinic(id: "17", districtID: "1", fullName: "ГБУЗ «Поликлиника № 3» & филиал", shortName: "Поликлиника № 3", address: "ул. Ленина, 52", phone: "+7 343 210-00-03", oid: "1.2.643.5.1.13.13.12.2.66.6617", timeZone: "Asia/Yekaterinburg")
        let specialty = MISSpecialty(id: "109", name: "Терапевт участковый", federalCode: "27", freeCount: 41, nearestDate: "2026-11-23", lastDate: "2026-12-06", selfBooking: .open, minimumAge: 18, maximumAge: nil)
        let doctor = MISDoctor(id: "3051", name: "Иванова Мария Петровна", specialtyID: "109", district: "12", room: "214", freeCount: 9, nearestDate: nil, lastDate: nil)
        #expect(try MISAnswer.districts(roundTrip(.getDistrictList) { w in w.start("districts"); district.write(into: &w) }) == [district])
        #expect(try MISAnswer.clinics(roundTrip(.getLPUList) { w in w.start("clinics"); clinic.write(into: &w) }) == [clinic])
        #expect(try MISAnswer.specialties(roundTrip(.getSpecialityList) { w in w.start("specialties"); specialty.write(into: &w) }) == [specialty])
        #expect(try MISAnswer.doctors(roundTrip(.getDoctorList) { w in w.start("doctors"); doctor.write(into: &w) }) == [doctor])
        #expect(try MISAnswer.doctors(roundTrip(.getDoctorList) { w in w.start("doctors") }) == [])
    }

    @Test func scheduleAnswersRoundTripWithOffsets() throws {
        let slot = MISSlot(id: "410001", start: start, end: start.addingTimeInterval(1_200), room: "214", address: "ул. Ленина, 52")
        let payload = try roundTrip(.getAvailableAppointments) { w in w.start("slots"); slot.write(into: &w, zone: yekaterinburg) }
        #expect(payload.children.first?.attribute("start") == "2026-11-23T10:00:00+05:00")
        #expect(try MISAnswer.slots(payload) == [slot])
        let date = MISAvailableDate(day: "2026-11-23", freeCount: 12)
        #expect(try MISAnswer.dates(roundTrip(.getAvailableDates) { w in w.start("dates"); date.write(into: &w) }) == [date])
    }

    @Test func patientAppointmentAndChangesRoundTrip() throws {
        let patient = MISPatient(id: "p1", lastName: "Петров", firstName: "Иван", middleName: "", birthDate: "1980-02-29", sex: "male", attachedClinicID: "17", attachedDistrict: "12", dispensarySpecialtyIDs: ["115", "120"])
        #expect(try MISAnswer.patient(roundTrip(.checkPatient) { w in patient.write(into: &w) }) == patient)
        let appointment = MISAppointment(id: "a1", ticket: "17-0001", clinicID: "17", slotID: "410001", doctorID: "3051", doctorName: "Иванова М. П.", specialtyID: "109", specialtyName: "Терапевт", start: start, end: start.addingTimeInterval(1_200), room: "214", status: .cancelled, channel: .internet, cancelledBy: .clinic, cancelReason: "Врач на больничном")
        #expect(try MISAnswer.appointment(roundTrip(.setAppointment) { w in appointment.write(into: &w, zone: yekaterinburg) }) == appointment)
        #expect(try MISAnswer.appointments(roundTrip(.getPatientHistory) { w in w.start("appointments"); appointment.write(into: &w, zone: yekaterinburg) }) == [appointment])
        let change = MISChange(sequence: 7, kind: .moved, appointmentID: "a1", patientID: "p1", previousStart: start, newStart: start.addingTimeInterval(3_600), at: start.addingTimeInterval(-86_400), reason: nil)
        let reschedule = MISChange(sequence: 8, kind: .moved, appointmentID: "a2", patientID: "p1", previousStart: start, newStart: start.addingTimeInterval(7_200), at: start, reason: "перенос", by: .internet, newAppointmentID: "a3")
        let batch = try MISAnswer.changes(roundTrip(.getChanges) { w in w.start("changes", ["cursor": "7"]); change.write(into: &w, zone: yekaterinburg); reschedule.write(into: &w, zone: yekaterinburg) })
        #expect(batch == MISChangeBatch(cursor: "7", changes: [change, reschedule]))
    }

    @Test func reservationsRoundTrip() throws {
        let clinic = MISClinic(id: "17", districtID: "1", fullName: "Поликлиника № 3", shortName: "П3", address: "ул. Ленина, 52", phone: "+7 343 210-00-03", oid: "1.2", timeZone: "Asia/Yekaterinburg",
                               approves: [.internet, .kiosk])
        let payload = try roundTrip(.getLPUList) { w in w.start("clinics"); clinic.write(into: &w) }
        #expect(payload.children.first?.attribute("approves") == "internet kiosk")
        #expect(try MISAnswer.clinics(payload) == [clinic])
        let reserved = MISAppointment(id: "a9", ticket: "17-0009", clinicID: "17", slotID: "410002", doctorID: "3051", doctorName: "Иванова М. П.", specialtyID: "113", specialtyName: "Хирург",
                                      start: start, end: start.addingTimeInterval(1_200), room: "214", status: .reserved, channel: .federalPortal)
        let person = MISPersonDetails(lastName: "Голубева", firstName: "Вера", middleName: "", birthDate: "1984-03-17", sex: "female", policy: "7700000000000011", snils: "11200000100", phone: "+7 916 555-01-02")
        let reservation = MISReservation(appointment: reserved, createdAt: start.addingTimeInterval(-3_600), person: person)
        #expect(try MISAnswer.reservations(roundTrip(.getReservationList) { w in w.start("reservations"); reservation.write(into: &w, zone: yekaterinburg) }) == [reservation])
        let refused = MISAppointment(id: "a9", ticket: "17-0009", clinicID: "17", slotID: "410002", doctorID: "3051", doctorName: "Иванова М. П.", specialtyID: "113", specialtyName: "Хирург",
                                     start: start, end: start.addingTimeInterval(1_200), room: "214", status: .cancelled, channel: .federalPortal, cancelledBy: .clinic,
                                     cancelReason: "Полис не совпал", patientID: "p1", refusal: .incorrectData)
        #expect(try MISAnswer.appointment(roundTrip(.refuseReservation) { w in refused.write(into: &w, zone: yekaterinburg) }) == refused)
        let changes = [
            MISChange(sequence: 9, kind: .refused, appointmentID: "a9", patientID: nil, previousStart: start, newStart: nil, at: start, reason: "Полис не совпал", by: .clinic, refusal: .incorrectData),
            MISChange(sequence: 10, kind: .confirmed, appointmentID: "a8", patientID: "p1", previousStart: start, newStart: nil, at: start, reason: nil, by: .clinic),
            MISChange(sequence: 11, kind: .displaced, appointmentID: "a7", patientID: "p2", previousStart: start, newStart: nil, at: start, reason: "врач заболел", by: .clinic),
        ]
        let batch = try MISAnswer.changes(roundTrip(.getChanges) { w in w.start("changes", ["cursor": "11"]); for change in changes { change.write(into: &w, zone: yekaterinburg) } })
        #expect(batch.changes == changes)
        // A reservation list naming an appointment that awaits nothing breaks the contract
        let active = MISReservation(appointment: MISAppointment(id: "a1", ticket: "17-0001", clinicID: "17", slotID: "1", doctorID: "1", doctorName: "", specialtyID: "1", specialtyName: "",
                                                                start: start, end: start.addingTimeInterval(600), room: "", status: .active, channel: .internet), createdAt: start, person: person)
        #expect(throws: MISFailure.self) { try MISAnswer.reservations(roundTrip(.getReservationList) { w in w.start("reservations"); active.write(into: &w, zone: yekaterinburg) }) }
    }

    @Test(arguments: MISErrorCode.allCases)
    func everyErrorCodeReachesTheCaller(code: MISErrorCode) {
        let text = MISResponse.failure("SetAppointment", code, "сообщение")
        #expect(protocolSchema.problems(in: Array(text.utf8)) == [])
        #expect(throws: MISFailure(code, message: "сообщение")) { try MISResponse.payload(of: Array(text.utf8), for: .setAppointment) }
    }

    @Test func answersThatBreakTheContractAreBadAnswers() {
        func kind(_ text: String, _ operation: MISOperation = .getAvailableAppointments) -> MISFailure.Kind? {
            do {
                _ = try MISAnswer.slots(try MISResponse.payload(of: Array(text.utf8), for: operation))
                return nil
            } catch {
                return error.kind
            }
        }
        #expect(kind("<html><body>502</body></html>") == .badAnswer)
        #expect(kind("<response operation=\"GetLPUList\" version=\"1\"><slots/></response>") == .badAnswer)
        #expect(kind("<response operation=\"GetAvailableAppointments\" version=\"1\"><slots><slot id=\"1\" start=\"завтра\" end=\"x\" room=\"1\" address=\"a\"/></slots></response>") == .badAnswer)
        #expect(kind("<response operation=\"GetAvailableAppointments\" version=\"1\"><slots><slot id=\"1\"/></slots></response>") == .badAnswer)
        #expect(kind("<response operation=\"GetAvailableAppointments\" version=\"1\"><error code=\"77\">?</error></response>") == .badAnswer)
        #expect(kind("<response operation=\"GetAvailableAppointments\" version=\"1\"/>") == .badAnswer)
    }

    @Test func protocolTimeParsesAndFormats() {
        #expect(ProtocolTime.date(from: "2026-11-23T10:00:00+05:00") == start)
        #expect(ProtocolTime.date(from: "2026-11-23T05:00:00Z") == start)
        #expect(ProtocolTime.date(from: "2026-11-23T10:00:00") == nil)
        #expect(ProtocolTime.date(from: "2026-13-23T10:00:00Z") == nil)
        #expect(ProtocolTime.string(start, in: TimeZone(identifier: "America/Sao_Paulo")!) == "2026-11-23T02:00:00-03:00")
        #expect(ProtocolTime.isDay("2028-02-29") && !ProtocolTime.isDay("2026-02-29") && !ProtocolTime.isDay("2026-1-2"))
        #expect(ProtocolTime.startOfDay("2026-11-23", in: yekaterinburg) == Date(timeIntervalSince1970: 1_795_381_200 - 2 * 3_600))
    }
}
