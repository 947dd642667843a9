import Booking
import Foundation
import GRDB
import MISBridge

/// The clinic's decisions on reservations and displaced entries, and the cards it opens
/// (docs/mis-protocol.md, "Reservations"). Each decision is one transaction that first checks the
/// entry still awaits one: of two decisions at once, exactly one acts.
extension ReferenceMIS {
    /// Which channels' bookings the clinic approves before they become appointments.
    public func setApprovals(clinic: String, channels: [MISChannel]) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE clinic SET approves = ? WHERE id = ?", arguments: [channels.map(\.rawValue).joined(separator: " "), clinic])
            guard db.changesCount == 1 else { throw MISFailure(.badRequest, message: "Неизвестная поликлиника") }
        }
    }

    /// The clinic's reservations awaiting a decision and its displaced entries, oldest first, each with
    /// the person: from the card when there is one, else as the caller gave them.
    public func reservations(clinic: String) throws -> [MISReservation] {
        _ = try self.clinic(clinic)
        return try database.writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT a.id, a.created_at, a.patient_id, p.last_name, p.first_name, p.middle_name, p.birth_date, p.sex, p.policy, p.snils, p.phone,
                       a.person_last_name, a.person_first_name, a.person_middle_name, a.person_birth_date, a.person_sex, a.person_policy, a.person_snils, a.person_phone
                FROM appointment a LEFT JOIN patient p ON p.id = a.patient_id
                WHERE a.clinic_id = ? AND a.status IN ('reserved', 'displaced') ORDER BY a.created_at, a.id
                """), arguments: [clinic]).map { row in
                let card = (row["patient_id"] as String?) != nil
                let person = card
                    ? MISPersonDetails(lastName: row["last_name"], firstName: row["first_name"], middleName: row["middle_name"], birthDate: row["birth_date"],
                                       sex: row["sex"], policy: row["policy"], snils: row["snils"], phone: row["phone"])
                    : MISPersonDetails(lastName: row["person_last_name"], firstName: row["person_first_name"], middleName: row["person_middle_name"] ?? "",
                                       birthDate: row["person_birth_date"], sex: row["person_sex"], policy: row["person_policy"], snils: row["person_snils"], phone: row["person_phone"])
                return MISReservation(appointment: try Self.appointment(db, id: row["id"]), createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int)), person: person)
            }
        }
    }

    /// Makes a reservation an active appointment of the card `patient` (a card of this clinic).
    public func confirmReservation(clinic: String, appointment: String, patient: String, actor: String?, now: Date) throws -> MISAppointment {
        try database.writer.write { db in
            let (id, row) = try Self.awaiting(db, clinic: clinic, appointment: appointment, accepting: ["reserved"])
            guard (row["start"] as Int) > Int(now.timeIntervalSince1970) else {
                throw MISFailure(.noReception, message: "Время брони уже прошло: подтвердить её нельзя, отклоните её")
            }
            guard let card = try Row.fetchOne(db.cachedStatement(sql: "SELECT policy, birth_date FROM patient WHERE id = ?"), arguments: [patient]),
                try Self.hasCard(db, patient: patient, clinic: clinic)
            else { throw MISFailure(.patientNotFound, message: "Карта пациента в этой поликлинике не найдена") }
            let person = BookedPerson(patientID: patient, birthDate: card["birth_date"], policy: Self.compactPolicy(card["policy"]))
            if try Self.holdsSpecialty(db, person, specialty: row["specialty_id"], day: row["day"], except: id) {
                throw MISFailure(.alreadyBookedWithSpecialty, message: "У пациента уже есть запись к врачу этой специальности на этот день")
            }
            try db.execute(sql: "UPDATE appointment SET status = 'active', patient_id = ?, decided_at = ?, decided_actor = ? WHERE id = ?",
                           arguments: [patient, Int(now.timeIntervalSince1970), actor, id])
            try Self.logChange(db, .confirmed, appointment: id, reason: nil, by: .clinic, now: now)
            return try Self.appointment(db, id: id)
        }
    }

    /// Refuses a reservation, or cancels a displaced entry, as the clinic; a reservation's time is free again.
    public func refuseReservation(clinic: String, appointment: String, reason: MISRefusalReason, text: String?, actor: String?, now: Date) throws -> MISAppointment {
        try database.writer.write { db in
            let (id, _) = try Self.awaiting(db, clinic: clinic, appointment: appointment, accepting: ["reserved", "displaced"])
            try db.execute(sql: """
                UPDATE appointment SET status = 'cancelled', cancelled_at = ?, cancelled_by = 'clinic', cancel_reason = ?, cancelled_actor = ?, refusal = ?,
                    decided_at = ?, decided_actor = ? WHERE id = ?
                """, arguments: [Int(now.timeIntervalSince1970), text, actor, reason.rawValue, Int(now.timeIntervalSince1970), actor, id])
            try Self.logChange(db, .refused, appointment: id, reason: text, by: .clinic, refusal: reason, now: now)
            try Self.freeReferral(db, of: id)
            return try Self.appointment(db, id: id)
        }
    }

    /// Moves an appointment, a reservation or a displaced entry to a free time of the same specialty in
    /// the clinic (`sameDoctor`: of the same doctor); it keeps its id and ticket, and a displaced entry
    /// becomes again what it was.
    public func moveAppointment(clinic: String, appointment: String, slot slotID: String, reason: String?, actor: String?, sameDoctor: Bool = false, now: Date) throws -> MISAppointment {
        do {
            return try database.writer.write { db in
                let (id, row) = try Self.awaiting(db, clinic: clinic, appointment: appointment, accepting: ["active", "reserved", "displaced"])
                guard let target = Int64(slotID),
                    let slot = try Row.fetchOne(db.cachedStatement(sql: """
                        SELECT s.id, s.start, s.day, s.closed, s.doctor_id, d.specialty_id FROM slot s JOIN doctor d ON d.id = s.doctor_id WHERE s.id = ? AND s.clinic_id = ?
                        """), arguments: [target, clinic])
                else { throw MISFailure(.noReception, message: "Такого времени приёма нет в расписании") }
                guard (slot["specialty_id"] as String) == (row["specialty_id"] as String), !sameDoctor || (slot["doctor_id"] as String) == (row["doctor_id"] as String) else {
                    throw MISFailure(.badRequest, message: sameDoctor ? "Это время другого врача" : "Это время врача другой специальности")
                }
                guard (slot["closed"] as Int) == 0, (slot["start"] as Int) > Int(now.timeIntervalSince1970) else {
                    throw MISFailure(.noReception, message: "На это время приём не ведётся")
                }
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM appointment WHERE slot_id = ? AND \(Self.holdsSlot)"), arguments: [target]) != nil {
                    throw MISFailure(.slotTaken, message: "Это время уже занято")
                }
                let person = try Self.person(db, of: row)
                if try Self.holdsSpecialty(db, person, specialty: slot["specialty_id"], day: slot["day"], except: id) {
                    throw MISFailure(.alreadyBookedWithSpecialty, message: "У пациента уже есть запись к врачу этой специальности на тот день")
                }
                try Self.logChange(db, .moved, appointment: id, newStart: slot["start"], reason: reason, by: .clinic, now: now)
                try db.execute(sql: """
                    UPDATE appointment SET slot_id = ?, day = ?, doctor_id = ?, status = coalesce(displaced_status, status), displaced_status = NULL,
                        decided_at = CASE WHEN status = 'displaced' THEN ? ELSE decided_at END, decided_actor = CASE WHEN status = 'displaced' THEN ? ELSE decided_actor END
                    WHERE id = ?
                    """, arguments: [target, slot["day"] as String, slot["doctor_id"] as String, Int(now.timeIntervalSince1970), actor, id])
                return try Self.appointment(db, id: id)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw MISFailure(.slotTaken, message: "Это время уже занято")
        }
    }

    /// Opens a card in the clinic for the person; a person the MIS knows already (the same policy and
    /// birth date) gets a card here if they had none, and is answered as they are.
    public func createPatient(clinic: String, person: MISPersonDetails, now: Date) throws -> MISPatient {
        let place = try self.clinic(clinic)
        try Self.check(person, now: now, zone: TimeZone(identifier: place.timeZone) ?? .current)
        return try database.writer.write { db in
            let known = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM patient WHERE replace(policy, ' ', '') = ? AND birth_date = ?"),
                                         arguments: [Self.compactPolicy(person.policy), person.birthDate])
            guard known.count <= 1 else { throw MISFailure(.severalPatientsFound, message: "С этим полисом и датой рождения уже несколько карт: выберите одну из них") }
            let id: String
            if let existing = known.first {
                id = existing["id"]
            } else {
                let next = (try Int.fetchOne(db, sql: "SELECT max(rowid) FROM patient") ?? 0) + 1
                id = "N\(next)"
                try db.cachedStatement(sql: """
                    INSERT INTO patient (id, policy, birth_date, last_name, first_name, middle_name, sex, document, snils, address, phone)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, '', ?)
                    """).execute(arguments: [id, person.policy, person.birthDate, person.lastName, person.firstName, person.middleName, person.sex, person.snils, person.phone])
            }
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO card VALUES (?, ?)").execute(arguments: [id, clinic])
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM patient WHERE id = ?"), arguments: [id]) else {
                throw MISFailure(.internal, message: "Карта не записана")
            }
            return try Self.patient(db, row)
        }
    }

    /// The appointment with its slot's start, if it is in one of the `accepting` states; otherwise
    /// error 6 (no such appointment in the clinic) or 13 (someone decided it), saying what became of it.
    private static func awaiting(_ db: Database, clinic: String, appointment: String, accepting: Set<String>) throws -> (Int64, Row) {
        guard let id = Int64(appointment),
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT a.*, s.start FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.id = ? AND a.clinic_id = ?"),
                                       arguments: [id, clinic])
        else { throw MISFailure(.appointmentNotFound, message: "Такой записи в поликлинике нет") }
        let status: String = row["status"]
        guard accepting.contains(status) else {
            let refused = (row["refusal"] as String?) != nil
            let what = switch status {
            case "active": (row["decided_at"] as Int?) != nil ? "уже подтверждена" : "уже действует: это не бронь"
            case "cancelled": refused ? "уже отклонена" : "отменена"
            case "visited", "missed": "уже состоялась"
            case "displaced": "выпала из расписания: её нужно перенести или отменить"
            default: "уже не ожидает решения"
            }
            throw MISFailure(.alreadyDecided, message: "Запись \(what)")
        }
        return (id, row)
    }

    /// The person an appointment row is for, as rule 2 finds their other bookings.
    private static func person(_ db: Database, of row: Row) throws -> BookedPerson {
        if let patientID = row["patient_id"] as String?, let card = try Row.fetchOne(db.cachedStatement(sql: "SELECT policy, birth_date FROM patient WHERE id = ?"), arguments: [patientID]) {
            return BookedPerson(patientID: patientID, birthDate: card["birth_date"], policy: compactPolicy(card["policy"]))
        }
        return BookedPerson(patientID: nil, birthDate: row["person_birth_date"] ?? "", policy: row["person_policy"] ?? "")
    }
}
