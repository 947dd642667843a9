import Foundation
import GRDB
import Booking
import MISBridge
import Testing
@testable import ReferenceMIS

/// Monday 23 November 2026, 09:00 in Moscow.
let mondayMorning = Date(timeIntervalSince1970: 1_795_413_600)

/// A reference MIS with a small demo region and its schedule opened at `mondayMorning`.
func makeMIS(patients: Int = 600, path: String? = nil) throws -> ReferenceMIS {
    let database = try path.map { try MISDatabase.open(path: $0) } ?? MISDatabase.inMemory()
    try DemoRegion(patients: patients).generate(into: database)
    let mis = ReferenceMIS(database: database)
    try mis.openSchedule(now: mondayMorning)
    return mis
}

/// Finds data in the generated region for a scenario.
struct RegionQuery {
    let mis: ReferenceMIS

    func row(_ sql: String, _ arguments: StatementArguments = []) throws -> Row {
        try mis.database.writer.read { db in try Row.fetchOne(db, sql: sql, arguments: arguments)! }
    }

    /// An adult attached to clinic 101 with no dispensary registrations.
    func adultOf101() throws -> String {
        try row("""
            SELECT p.id FROM patient p JOIN attachment a ON a.patient_id = p.id
            WHERE a.clinic_id = '101' AND p.birth_date < '2000-01-01' AND p.id NOT LIKE '%D'
            AND NOT EXISTS (SELECT 1 FROM dispensary d WHERE d.patient_id = p.id) LIMIT 1
            """)["id"]
    }

    /// The first free slot of a specialty in clinic 101 on a day at least `days` ahead.
    func slot(specialty: String, clinic: String = "101", skip: Int = 0, notOnDay: String? = nil) throws -> (id: String, day: String) {
        let row = try row("""
            SELECT s.id, s.day FROM slot s JOIN doctor d ON d.id = s.doctor_id
            WHERE d.specialty_id = ? AND s.clinic_id = ? AND s.start > ? AND s.day IS NOT ?
            ORDER BY s.start LIMIT 1 OFFSET ?
            """, [specialty, clinic, Int(mondayMorning.timeIntervalSince1970) + 3 * 3_600, notOnDay, skip])
        return (String(row["id"] as Int64), row["day"])
    }
}

@Suite("Reference MIS")
struct ReferenceMISTests {
    @Test func demoRegionHasTheShapeTheIssueAsksFor() throws {
        let mis = try makeMIS()
        #expect(try mis.districts().count == 3)
        let clinics = try mis.clinics(district: nil)
        #expect(clinics.count == 8)
        #expect(Set(clinics.map(\.timeZone)).count >= 2)
        let counts = try RegionQuery(mis: mis).row("SELECT (SELECT COUNT(*) FROM specialty) AS specialties, (SELECT COUNT(*) FROM doctor) AS doctors")
        #expect(counts["specialties"] as Int == 20)
        #expect(counts["doctors"] as Int == 80)
    }

    @Test func generatedIdentifiersAreValid() throws {
        let mis = try makeMIS(patients: 2_000)
        let rows = try mis.database.writer.read { db in try Row.fetchAll(db, sql: "SELECT policy, snils FROM patient") }
        var unified = 0, legacy = 0
        for row in rows {
            let policy: String = row["policy"]
            switch try PolicyNumber(parsing: policy) {
            case .unified: unified += 1
            case .legacy: legacy += 1
            }
            if let snils = row["snils"] as String? { _ = try SNILS(parsing: snils) }
        }
        #expect(unified > 1_500 && legacy > 100)
        let dispensary = try RegionQuery(mis: mis).row("SELECT COUNT(DISTINCT patient_id) AS n FROM dispensary")["n"] as Int
        #expect(dispensary > 50)
    }

    @Test func patronymicsAreRussian() throws {
        // Given every patronymic the demo region gives patients and doctors
        let mis = try makeMIS(patients: 2_000)
        let rows = try mis.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT middle_name FROM patient UNION SELECT substr(name, instr(substr(name, instr(name, ' ') + 1), ' ') + instr(name, ' ') + 1) FROM doctor")
        }
        // Then each is a proper form (Дмитриевич, Павловна, Михайлович), never «Дмитрийович» or «Павелович»
        let proper = Set(Names.fathers.flatMap { [$0.value + "ич", $0.value + "на"] })
        #expect(proper.contains("Дмитриевич") && proper.contains("Павловна") && proper.contains("Михайлович"))
        let wrong = Set(rows).subtracting(proper)
        #expect(wrong.isEmpty, "\(wrong.sorted().prefix(10))")
        #expect(Set(rows).count > 20)
    }

    @Test func generationIsDeterministic() throws {
        let first = try RegionQuery(mis: makeMIS(patients: 300)).row("SELECT group_concat(policy || last_name, ',') AS all_ FROM patient")
        let second = try RegionQuery(mis: makeMIS(patients: 300)).row("SELECT group_concat(policy || last_name, ',') AS all_ FROM patient")
        #expect(first["all_"] as String == second["all_"] as String)
    }

    @Test func scheduleCoversTheHorizonInTheClinicsZone() throws {
        let mis = try makeMIS()
        let therapist = try mis.doctors(clinic: "101", specialty: "109", now: mondayMorning).first!
        let dates = try mis.availableDates(clinic: "101", doctor: therapist.id, from: "2026-11-23", to: "2026-12-13", now: mondayMorning)
        #expect(!dates.isEmpty)
        #expect(dates.allSatisfy { $0.day >= "2026-11-23" && $0.day <= "2026-12-06" })
        #expect(!dates.contains { $0.day == "2026-11-29" || $0.day == "2026-12-06" })  // Sundays
        let slots = try mis.availableAppointments(clinic: "101", doctor: therapist.id, from: "2026-11-23", to: "2026-11-23", now: mondayMorning)
        #expect(slots.allSatisfy { $0.start > mondayMorning })
        let eastern = try mis.doctors(clinic: "108", specialty: "109", now: mondayMorning).first!
        let easternSlot = try mis.availableAppointments(clinic: "108", doctor: eastern.id, from: "2026-11-24", to: "2026-11-24", now: mondayMorning).first!
        // Local working hours start at 08:00 or 13:00 in Yekaterinburg, i.e. 03:00 or 08:00 UTC.
        #expect([3, 8].contains(Int(easternSlot.start.timeIntervalSince1970) % 86_400 / 3_600))
    }

    @Test func aNewDayOpensEachMorning() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let lastDay = try query.row("SELECT MAX(day) AS day FROM slot WHERE clinic_id = '101'")["day"] as String
        try mis.openSchedule(now: mondayMorning.addingTimeInterval(86_400))
        let nextLastDay = try query.row("SELECT MAX(day) AS day FROM slot WHERE clinic_id = '101'")["day"] as String
        #expect(nextLastDay > lastDay)
    }

    @Test func aRunWritesOnlyTheDaysThatCameIntoTheHorizon() throws {
        let mis = try makeMIS(patients: 50)
        let query = RegionQuery(mis: mis)
        let count = { try query.row("SELECT COUNT(*) AS n FROM slot")["n"] as Int }
        let before = try count()
        try mis.openSchedule(now: mondayMorning.addingTimeInterval(600))
        #expect(try count() == before)
        // The next morning: one day more in every clinic, its slots as the first run would have written them.
        try mis.openSchedule(now: mondayMorning.addingTimeInterval(86_400))
        let newDay = try query.row("SELECT MAX(day) AS day FROM slot WHERE clinic_id = '101'")["day"] as String
        let added = try query.row("SELECT COUNT(*) AS n FROM slot WHERE day = ?", [newDay])["n"] as Int
        let after = try count()
        #expect(added > 0 && after == before + added)
        let fresh = try makeMIS(patients: 50)
        try fresh.openSchedule(now: mondayMorning.addingTimeInterval(86_400))
        #expect(try RegionQuery(mis: fresh).row("SELECT COUNT(*) AS n FROM slot WHERE day = ?", [newDay])["n"] as Int == added)
    }

    @Test func findsPatientsAndTellsNamesakesApartByDocument() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let twin = try query.row("SELECT p.*, a.clinic_id FROM patient p JOIN attachment a ON a.patient_id = p.id WHERE p.id LIKE '%D' LIMIT 1")
        let clinic: String = twin["clinic_id"]
        let original = try query.row("SELECT * FROM patient WHERE id = ?", [String((twin["id"] as String).dropLast())])
        let ask = MISPatientQuery(policy: twin["policy"], birthDate: twin["birth_date"])
        #expect(throws: MISFailure(.severalPatientsFound, message: "Найдено несколько карт: уточните номер документа")) { try mis.checkPatient(clinic: clinic, ask) }
        let withDocument = MISPatientQuery(policy: twin["policy"], birthDate: twin["birth_date"], document: (original["document"] as String).replacingOccurrences(of: " ", with: ""))
        #expect(try mis.checkPatient(clinic: clinic, withDocument).id == original["id"] as String)
        #expect(throws: MISFailure.self) { try mis.checkPatient(clinic: clinic, MISPatientQuery(policy: "7700000000000008", birthDate: "1980-01-01")) }
    }

    @Test func bookingRules() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let therapist = try query.slot(specialty: "109")
        let booked = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: therapist.id, patientID: patient, channel: .internet, requestID: "r1"), now: mondayMorning)
        #expect(booked.status == .active && booked.ticket?.hasPrefix("101-") == true)
        // Same request again: the same appointment, not a second one and not "taken".
        #expect(try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: therapist.id, patientID: patient, channel: .internet, requestID: "r1"), now: mondayMorning) == booked)
        // Same slot, another request: taken.
        #expect(throws: MISFailure(.slotTaken, message: "Это время уже занято")) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: therapist.id, patientID: patient, channel: .internet, requestID: "r2"), now: mondayMorning)
        }
        // Another therapist time the same day: one per specialty per day.
        let sameDay = try query.row("SELECT s.id FROM slot s JOIN doctor d ON d.id = s.doctor_id WHERE d.specialty_id = '109' AND s.clinic_id = '101' AND s.day = ? AND s.id != ? AND s.start > ? LIMIT 1", [therapist.day, Int64(therapist.id)!, Int(mondayMorning.timeIntervalSince1970)])
        #expect(throws: MISFailure(.alreadyBookedWithSpecialty, message: "Пациент уже записан к врачу этой специальности на этот день")) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: String(sameDay["id"] as Int64), patientID: patient, channel: .internet, requestID: "r3"), now: mondayMorning)
        }
        // Referral-only and dispensary-only specialties.
        if let narrow = try? query.row("SELECT s.id, s.day, sp.id AS specialty FROM slot s JOIN doctor d ON d.id = s.doctor_id JOIN specialty sp ON sp.id = d.specialty_id WHERE s.clinic_id = '101' AND sp.self_booking != 'open' AND s.start > ? LIMIT 1", [Int(mondayMorning.timeIntervalSince1970)]) {
            let slot = String(narrow["id"] as Int64)
            #expect(throws: MISFailure.self) {
                try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: patient, channel: .internet, requestID: "r4"), now: mondayMorning)
            }
            // Any string is no referral: only one the clinic issued for this patient and specialty.
            #expect(throws: MISFailure.self) {
                try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: patient, channel: .internet, requestID: "r4b", referral: "НАП-1"), now: mondayMorning)
            }
            try mis.issueReferral(number: "test-1", patient: patient, clinic: "101", specialty: narrow["specialty"], issuedBy: "101", validUntil: narrow["day"])
            #expect(try mis.checkReferral(clinic: "101", number: "test-1", patient: patient, now: mondayMorning).status == .valid)
            let withReferral = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: patient, channel: .internet, requestID: "r5", referral: "test-1"), now: mondayMorning)
            #expect(withReferral.status == .active)
            // Used once; another patient's number is not found at all.
            #expect(try mis.checkReferral(clinic: "101", number: "test-1", patient: patient, now: mondayMorning).status == .used)
            #expect(throws: MISFailure(.referralNotFound, message: "Направление с таким номером для этого пациента не найдено")) {
                try mis.checkReferral(clinic: "101", number: "test-1", patient: "someone-else", now: mondayMorning)
            }
            #expect(try mis.checkReferral(clinic: "101", number: "test-1", patient: patient, now: mondayMorning.addingTimeInterval(30 * 86_400)).status == .used)
            try mis.issueReferral(number: "test-2", patient: patient, clinic: "101", specialty: narrow["specialty"], issuedBy: "101", validUntil: "2026-11-01")
            #expect(try mis.checkReferral(clinic: "101", number: "test-2", patient: patient, now: mondayMorning).status == .expired)
        }
        // Paediatrician: children only.
        let paediatric = try query.slot(specialty: "110", clinic: "103")
        #expect(throws: MISFailure.self) {
            try mis.setAppointment(clinic: "103", MISBookingRequest(slotID: paediatric.id, patientID: patient, channel: .internet, requestID: "r6"), now: mondayMorning)
        }
        // Past times cannot be booked.
        let past = try query.row("SELECT id FROM slot WHERE clinic_id = '101' AND start <= ? LIMIT 1", [Int(mondayMorning.timeIntervalSince1970)])
        #expect(throws: MISFailure(.noReception, message: "На это время приём не ведётся")) {
            try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: String(past["id"] as Int64), patientID: patient, channel: .internet, requestID: "r7"), now: mondayMorning)
        }
    }

    @Test func aReferralIsMatchedAsPeopleWriteItFreedByACancellationAndCarriedByAMove() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let specialty: String = try query.row("""
            SELECT sp.id FROM specialty sp JOIN doctor d ON d.specialty_id = sp.id WHERE d.clinic_id = '101' AND sp.self_booking = 'referral' LIMIT 1
            """)["id"]
        let slots = try (0..<4).map { try query.slot(specialty: specialty, skip: $0) }
        try mis.issueReferral(number: "101-900001", patient: patient, clinic: "101", specialty: specialty, issuedBy: "101", validUntil: "2099-12-31")
        func status() throws -> MISReferral.Status { try mis.checkReferral(clinic: "101", number: "101-900001", patient: patient, now: mondayMorning).status }
        // Given the referral's number as a keypad, a phone or a word processor writes it
        for typed in ["101-900001", "101 900001", "101–900001", "101900001", "№ 101—900001", "101\u{2011}900001", " 101 - 900001 "] {
            let found = try mis.checkReferral(clinic: "101", number: typed, patient: patient, now: mondayMorning)
            #expect(found.status == .valid && found.number == "101-900001", "\(typed)")
        }
        #expect(throws: MISFailure.self) { try mis.checkReferral(clinic: "101", number: "101-900002", patient: patient, now: mondayMorning) }
        // When it books with the digits alone, it is used
        let first = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[0].id, patientID: patient, channel: .kiosk, requestID: "ref-1", referral: "101900001"), now: mondayMorning)
        #expect(try first.status == .active && status() == .used)
        // A cancellation by the patient gives it back
        _ = try mis.cancel(clinic: "101", appointment: first.id, patient: patient, reason: nil, by: .internet, now: mondayMorning)
        #expect(try status() == .valid)
        // A move carries it to the new appointment
        let second = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[1].id, patientID: patient, channel: .internet, requestID: "ref-2", referral: "101 900001"), now: mondayMorning)
        let moved = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[2].id, patientID: patient, channel: .internet, requestID: "ref-3",
                                                                            previousAppointmentID: second.id, referral: "101-900001"), now: mondayMorning)
        #expect(try moved.status == .active && status() == .used)
        // The front desk's cancellation of the moved appointment gives it back: it went with the move
        try mis.cancelAtDesk(appointment: moved.id, reason: "врач на больничном", now: mondayMorning)
        #expect(try status() == .valid)
        // A closed day displaces a call-centre booking, which keeps it until the clinic cancels the booking
        let third = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[3].id, patientID: patient, channel: .callCentre, requestID: "ref-4", referral: "101–900001"), now: mondayMorning)
        #expect(try status() == .used)
        try mis.cancelDoctorDay(doctor: third.doctorID, day: slots[3].day, reason: "врач на учёбе", now: mondayMorning)
        #expect(try status() == .used)
        _ = try mis.refuseReservation(clinic: "101", appointment: third.id, reason: .noFreeSpace, text: nil, actor: nil, now: mondayMorning)
        #expect(try status() == .valid)
    }

    @Test func districtDoctorsNeedAttachment() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        // A card in clinic 102, but attached elsewhere.
        let outsider: String = try query.row("""
            SELECT p.id FROM patient p JOIN card c ON c.patient_id = p.id AND c.clinic_id = '102' WHERE p.birth_date < '2000-01-01'
            AND NOT EXISTS (SELECT 1 FROM attachment a WHERE a.patient_id = p.id AND a.clinic_id = '102') LIMIT 1
            """)["id"]
        let therapist = try query.slot(specialty: "109", clinic: "102")
        #expect(throws: MISFailure(.notAttached, message: "Пациент не прикреплён к этой поликлинике")) {
            try mis.setAppointment(clinic: "102", MISBookingRequest(slotID: therapist.id, patientID: outsider, channel: .internet, requestID: "a1"), now: mondayMorning)
        }
        // No card in the clinic at all: not found there, whatever the specialty.
        let stranger: String = try query.row("SELECT p.id FROM patient p WHERE NOT EXISTS (SELECT 1 FROM card c WHERE c.patient_id = p.id AND c.clinic_id = '102') LIMIT 1")["id"]
        let surgeon = try query.slot(specialty: "113", clinic: "102")
        #expect(throws: MISFailure(.patientNotFound, message: "Карта пациента в этой поликлинике не найдена")) {
            try mis.setAppointment(clinic: "102", MISBookingRequest(slotID: surgeon.id, patientID: stranger, channel: .internet, requestID: "a2"), now: mondayMorning)
        }
    }

    @Test func rescheduleCancelAndHistory() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let first = try query.slot(specialty: "113")
        let appointment = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: first.id, patientID: patient, channel: .callCentre, requestID: "m1"), now: mondayMorning)
        let later = try query.slot(specialty: "113", skip: 1)
        let moved = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: later.id, patientID: patient, channel: .callCentre, requestID: "m2", previousAppointmentID: appointment.id), now: mondayMorning)
        let history = try mis.history(clinic: "101", patient: patient)
        #expect(history.count == 2)
        #expect(history.first { $0.id == appointment.id }?.status == .cancelled)
        let cancelled = try mis.cancel(clinic: "101", appointment: moved.id, patient: patient, reason: "не смогу прийти", by: .internet, now: mondayMorning)
        #expect(cancelled.status == .cancelled && cancelled.cancelledBy == .internet && cancelled.cancelReason == "не смогу прийти")
        #expect(throws: MISFailure.self) { try mis.cancel(clinic: "101", appointment: moved.id, patient: "someone-else", reason: nil, by: .internet, now: mondayMorning) }
        // The change log holds both, whoever made them: the reschedule names the appointment it made.
        let changes = try mis.changes(clinic: "101", cursor: "0").changes
        #expect(changes.map(\.kind) == [.moved, .cancelled])
        #expect(changes[0].appointmentID == appointment.id && changes[0].newAppointmentID == moved.id && changes[0].by == .callCentre && changes[0].newStart == moved.start)
        #expect(changes[1].appointmentID == moved.id && changes[1].by == .internet && changes[1].reason == "не смогу прийти" && changes[1].newAppointmentID == nil)
    }

    @Test func theFrontDeskMovesAndCancelsIntoTheChangeLog() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let first = try query.slot(specialty: "113")
        let appointment = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: first.id, patientID: patient, channel: .internet, requestID: "d1"), now: mondayMorning)
        let doctor = appointment.doctorID
        let free = try mis.availableAppointments(clinic: "101", doctor: doctor, from: first.day, to: "2026-12-06", now: mondayMorning)
        let target = try #require(free.last)
        try mis.moveAtDesk(appointment: appointment.id, toSlot: target.id, reason: "врач на учёбе", now: mondayMorning)
        // The same appointment and ticket, at its new time; the old time is free again.
        let moved = try #require(try mis.history(clinic: "101", patient: patient).first)
        #expect(moved.id == appointment.id && moved.ticket == appointment.ticket && moved.start == target.start && moved.status == .active)
        #expect(try mis.availableAppointments(clinic: "101", doctor: doctor, from: first.day, to: first.day, now: mondayMorning).contains { $0.id == first.id })
        #expect(throws: MISFailure(.slotTaken, message: "Это время занято или его нет у этого врача")) { try mis.moveAtDesk(appointment: appointment.id, toSlot: target.id, reason: "", now: mondayMorning) }
        try mis.cancelAtDesk(appointment: appointment.id, reason: "пациент позвонил", now: mondayMorning)
        #expect(throws: MISFailure.self) { try mis.cancelAtDesk(appointment: appointment.id, reason: "", now: mondayMorning) }
        let changes = try mis.changes(clinic: "101", cursor: "0").changes
        #expect(changes.map(\.kind) == [.moved, .cancelled])
        #expect(changes.allSatisfy { $0.by == .clinic && $0.appointmentID == appointment.id })
        #expect(changes[0].previousStart == appointment.start && changes[0].newStart == target.start && changes[1].previousStart == target.start)
    }

    @Test func clinicCancellationsAppearInChanges() throws {
        let mis = try makeMIS()
        let query = RegionQuery(mis: mis)
        let patient = try query.adultOf101()
        let slot = try query.slot(specialty: "112")
        let appointment = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: patient, channel: .kiosk, requestID: "c1"), now: mondayMorning)
        let doctor = try query.row("SELECT doctor_id FROM slot WHERE id = ?", [Int64(slot.id)!])["doctor_id"] as String
        try mis.cancelDoctorDay(doctor: doctor, day: slot.day, reason: "врач на больничном", now: mondayMorning)
        let batch = try mis.changes(clinic: "101", cursor: "0")
        #expect(batch.changes.map(\.appointmentID) == [appointment.id])
        #expect(batch.changes.first?.reason == "врач на больничном")
        #expect(try mis.changes(clinic: "101", cursor: batch.cursor).changes.isEmpty)
        #expect(try mis.availableAppointments(clinic: "101", doctor: doctor, from: slot.day, to: slot.day, now: mondayMorning).isEmpty)
        try mis.declareHoliday(clinic: "101", day: "2026-12-01", reason: "праздник", now: mondayMorning)
        #expect(try RegionQuery(mis: mis).row("SELECT COUNT(*) AS n FROM slot WHERE clinic_id = '101' AND day = '2026-12-01' AND closed = 0")["n"] as Int == 0)
    }

    @Test func manyConcurrentBookingsOfOneSlotMakeExactlyOneAppointment() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mis-\(UUID().uuidString)/mis.sqlite").path
        let mis = try makeMIS(patients: 400, path: path)
        let query = RegionQuery(mis: mis)
        let slot = try query.slot(specialty: "113")
        let patients = try await mis.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT p.id FROM patient p JOIN card c ON c.patient_id = p.id AND c.clinic_id = '101' WHERE p.birth_date < '2000-01-01' LIMIT 200")
        }
        let results = await withTaskGroup(of: Result<MISAppointment, MISFailure>.self) { group in
            for (index, patient) in patients.enumerated() {
                group.addTask {
                    do {
                        return .success(try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot.id, patientID: patient, channel: .internet, requestID: "race-\(index)"), now: mondayMorning))
                    } catch let failure as MISFailure {
                        return .failure(failure)
                    } catch {
                        return .failure(MISFailure(.internal, message: "\(error)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = results.filter { if case .success = $0 { true } else { false } }
        #expect(winners.count == 1)
        #expect(results.allSatisfy { if case .failure(let failure) = $0 { failure.code == .slotTaken } else { true } })
        #expect(try query.row("SELECT COUNT(*) AS n FROM appointment WHERE slot_id = ?", [Int64(slot.id)!])["n"] as Int == 1)
    }
}
