import Booking
import Foundation
import GRDB
import MISBridge

extension ReferenceMIS {
    /// Books a slot, or reserves it — for a card, or for a person's own data: every check and the
    /// write in one transaction; idempotent on `requestID`. A booking through a channel the clinic
    /// approves, and every booking through the federal portal, is a reservation.
    public func setAppointment(clinic: String, _ request: MISBookingRequest, now: Date) throws -> MISAppointment {
        let place = try self.clinic(clinic)
        guard !request.requestID.isEmpty, request.requestID.count <= 64 else {
            throw MISFailure(.badRequest, message: "Нужен идентификатор запроса до 64 символов")
        }
        if let person = request.person {
            try Self.check(person, now: now, zone: TimeZone(identifier: place.timeZone) ?? .current)
        }
        let status = request.reserve || request.channel == .federalPortal || place.approves.contains(request.channel) ? "reserved" : "active"
        do {
            return try database.writer.write { db in
                if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM appointment WHERE request_id = ?"), arguments: [request.requestID]) {
                    let samePerson = request.patientID.map { existing["patient_id"] == $0 }
                        ?? (existing["person_policy"] == request.person.map { Self.compactPolicy($0.policy) } && existing["person_birth_date"] == request.person?.birthDate)
                    guard String(existing["slot_id"] as Int64) == request.slotID, samePerson else {
                        throw MISFailure(.badRequest, message: "Этот идентификатор запроса уже использован для другой записи")
                    }
                    return try Self.appointment(db, id: existing["id"])
                }
                guard let slotID = Int64(request.slotID),
                    let slot = try Row.fetchOne(db.cachedStatement(sql: """
                        SELECT s.*, d.specialty_id, sp.self_booking, sp.min_age, sp.max_age, sp.requires_attachment
                        FROM slot s JOIN doctor d ON d.id = s.doctor_id JOIN specialty sp ON sp.id = d.specialty_id
                        WHERE s.id = ? AND s.clinic_id = ?
                        """), arguments: [slotID, clinic])
                else { throw MISFailure(.noReception, message: "Такого времени приёма нет в расписании") }
                guard (slot["closed"] as Int) == 0, (slot["start"] as Int) > Int(now.timeIntervalSince1970) else {
                    throw MISFailure(.noReception, message: "На это время приём не ведётся")
                }
                if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM appointment WHERE slot_id = ? AND \(Self.holdsSlot)"), arguments: [slotID]) != nil {
                    throw MISFailure(.slotTaken, message: "Это время уже занято")
                }
                let who = try Self.bookedPerson(db, request, clinic: clinic)
                let specialty: String = slot["specialty_id"]
                let day: String = slot["day"]
                let previousID = request.previousAppointmentID.flatMap { Int64($0) }
                let referralHolds = try Self.checkRules(db, slot: slot, patientID: who.patientID, birthDate: who.birthDate, clinic: clinic, referral: request.referral, moving: previousID)
                if request.previousAppointmentID != nil {
                    guard let previousID, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM appointment WHERE id = ? AND patient_id = ? AND \(Self.holdsSlot)"), arguments: [previousID, request.patientID]) != nil else {
                        throw MISFailure(.appointmentNotFound, message: "Переносимая запись не найдена")
                    }
                }
                if try Self.holdsSpecialty(db, who, specialty: specialty, day: day, except: previousID) {
                    throw MISFailure(.alreadyBookedWithSpecialty, message: "Пациент уже записан к врачу этой специальности на этот день")
                }
                if let previousID {
                    try db.execute(
                        sql: "UPDATE appointment SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = 'перенос', cancelled_actor = ? WHERE id = ?",
                        arguments: [Int(now.timeIntervalSince1970), request.channel.rawValue, request.actor, previousID]
                    )
                    // The moved appointment's referral is free again, unless the new time uses it (below).
                    try Self.freeReferral(db, of: previousID)
                }
                let person = request.person
                try db.cachedStatement(sql: """
                    INSERT INTO appointment (clinic_id, slot_id, patient_id, doctor_id, specialty_id, day, status, channel, request_id, ticket, referral, created_at, actor,
                        person_last_name, person_first_name, person_middle_name, person_birth_date, person_sex, person_policy, person_snils, person_phone)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [clinic, slotID, request.patientID, slot["doctor_id"] as String, specialty, day, status, request.channel.rawValue,
                                     request.requestID, request.referral, Int(now.timeIntervalSince1970), request.actor,
                                     person?.lastName, person?.firstName, person?.middleName, person?.birthDate, person?.sex,
                                     person.map { Self.compactPolicy($0.policy) }, person?.snils, person?.phone])
                let id = db.lastInsertedRowID
                try db.cachedStatement(sql: "UPDATE appointment SET ticket = ? WHERE id = ?").execute(arguments: [ticketNumber(clinic, id), id])
                if let referral = request.referral, referralHolds {
                    // Used once: the appointment it made holds it (a move carries it to the new appointment).
                    try db.cachedStatement(sql: "UPDATE referral SET used_appointment_id = ? WHERE number_key = ? AND patient_id = ? AND clinic_id = ?")
                        .execute(arguments: [id, ReferralNumber.matchingKey(referral), request.patientID, clinic])
                }
                if let previousID {
                    try Self.logChange(db, .moved, appointment: previousID, newStart: slot["start"], newAppointment: id, reason: "перенос", by: request.channel, now: now)
                }
                return try Self.appointment(db, id: id)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            // Another process won the slot between our check and our insert.
            throw MISFailure(.slotTaken, message: "Это время уже занято")
        }
    }

    /// An appointment or a reservation: what holds a slot from now on (visited and missed ones are past).
    static let holdsSlot = "status IN ('active', 'reserved')"

    /// Whom a booking is for: a card of the clinic, or a person's own data (and the card that person
    /// has in the clinic, if any, whose rules then apply).
    struct BookedPerson {
        let patientID: String?
        let birthDate: String
        /// The policy with its spaces left out, for finding the same person's other bookings.
        let policy: String
    }

    private static func bookedPerson(_ db: Database, _ request: MISBookingRequest, clinic: String) throws -> BookedPerson {
        if let person = request.person {
            let card = try String.fetchOne(db.cachedStatement(sql: """
                SELECT p.id FROM patient p JOIN card c ON c.patient_id = p.id AND c.clinic_id = ? WHERE replace(p.policy, ' ', '') = ? AND p.birth_date = ?
                """), arguments: [clinic, compactPolicy(person.policy), person.birthDate])
            return BookedPerson(patientID: card, birthDate: person.birthDate, policy: compactPolicy(person.policy))
        }
        guard let patientID = request.patientID, let patient = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM patient WHERE id = ?"), arguments: [patientID]),
            try hasCard(db, patient: patientID, clinic: clinic)
        else {
            throw MISFailure(.patientNotFound, message: "Карта пациента в этой поликлинике не найдена")
        }
        return BookedPerson(patientID: patientID, birthDate: patient["birth_date"], policy: compactPolicy(patient["policy"]))
    }

    /// Whether the person holds another time of the specialty that day (rule 2): by their card, or by
    /// a reservation made with their own data.
    static func holdsSpecialty(_ db: Database, _ person: BookedPerson, specialty: String, day: String, except: Int64?) throws -> Bool {
        if let patientID = person.patientID, try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM appointment WHERE patient_id = ? AND specialty_id = ? AND day = ? AND \(holdsSlot) AND id IS NOT ?
            """), arguments: [patientID, specialty, day, except]) != nil {
            return true
        }
        return try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM appointment WHERE person_policy = ? AND person_birth_date = ? AND specialty_id = ? AND day = ? AND \(holdsSlot) AND id IS NOT ?
            """), arguments: [person.policy, person.birthDate, specialty, day, except]) != nil
    }

    static func compactPolicy(_ policy: String) -> String {
        policy.replacingOccurrences(of: " ", with: "")
    }

    /// A person's own data, checked before anything is written.
    static func check(_ person: MISPersonDetails, now: Date, zone: TimeZone) throws {
        if let problem = PersonCheck.problem(lastName: person.lastName, firstName: person.firstName, middleName: person.middleName, birthDate: person.birthDate,
                                             policy: person.policy, snils: person.snils, phone: person.phone, today: ProtocolTime.day(now, in: zone)) {
            throw MISFailure(.badRequest, message: problem)
        }
    }

    /// Self-booking class, age limits and attachment; returns whether `referral` is a valid one (the
    /// booking then uses it). A person without a card here books only what is open to anyone.
    private static func checkRules(_ db: Database, slot: Row, patientID: String?, birthDate: String, clinic: String, referral: String?, moving: Int64?) throws -> Bool {
        let specialty: String = slot["specialty_id"]
        let age = BookingRules.age(birthDate: birthDate, on: slot["day"])
        if let minimum = slot["min_age"] as Int?, age < minimum {
            throw MISFailure(.bookingForbidden, message: "К этому врачу записываются пациенты с \(minimum) лет")
        }
        if let maximum = slot["max_age"] as Int?, age > maximum {
            throw MISFailure(.bookingForbidden, message: "К этому врачу записываются пациенты до \(maximum + 1) лет")
        }
        let hasReferral = try patientID.flatMap { id in try referral.map { try Self.isValidReferral(db, $0, slot: slot, patientID: id, clinic: clinic, moving: moving) } } ?? false
        switch slot["self_booking"] as String {
        case "dispensary":
            let observed = try patientID.map { id in
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM dispensary WHERE patient_id = ? AND specialty_id = ?"), arguments: [id, specialty]) != nil
            } ?? false
            if !observed && !hasReferral {
                throw MISFailure(.bookingForbidden, message: "Самостоятельная запись — только для состоящих на диспансерном учёте или по направлению")
            }
        case "referral":
            if !hasReferral { throw MISFailure(.bookingForbidden, message: "Запись к этому специалисту — по направлению") }
        default:
            break
        }
        if (slot["requires_attachment"] as Int) != 0,
            try patientID.flatMap({ id in try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM attachment WHERE patient_id = ? AND clinic_id = ?"), arguments: [id, clinic]) }) == nil {
            throw MISFailure(.notAttached, message: "Пациент не прикреплён к этой поликлинике")
        }
        return hasReferral
    }

    /// Whether `number` is a referral of this patient to the slot's specialty in this clinic, valid on
    /// the slot's day and unused — or used by the appointment being moved (`moving`), which it follows.
    private static func isValidReferral(_ db: Database, _ number: String, slot: Row, patientID: String, clinic: String, moving: Int64?) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM referral WHERE number_key = ? AND patient_id = ? AND clinic_id = ? AND specialty_id = ? AND valid_until >= ?
            AND (used_appointment_id IS NULL OR used_appointment_id IS ?)
            """), arguments: [ReferralNumber.matchingKey(number), patientID, clinic, slot["specialty_id"] as String, slot["day"] as String, moving]) != nil
    }

    /// A referral of `patient` for this clinic, as it stands `now`; not found for anyone else's.
    public func checkReferral(clinic: String, number: String, patient: String, now: Date) throws -> MISReferral {
        let zone = try TimeZone(identifier: self.clinic(clinic).timeZone) ?? .current
        return try database.writer.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM referral WHERE number_key = ? AND patient_id = ? AND clinic_id = ?"),
                                             arguments: [ReferralNumber.matchingKey(number), patient, clinic]) else {
                throw MISFailure(.referralNotFound, message: "Направление с таким номером для этого пациента не найдено")
            }
            let validUntil: String = row["valid_until"]
            let status: MISReferral.Status = (row["used_appointment_id"] as Int64?) != nil ? .used : validUntil < ProtocolTime.day(now, in: zone) ? .expired : .valid
            return MISReferral(number: row["number"], specialtyID: row["specialty_id"], validUntil: validUntil, status: status, issuedBy: row["issued_by"])
        }
    }

    /// Issues a referral (the clinic's doctor does, in the MIS).
    public func issueReferral(number: String, patient: String, clinic: String, specialty: String, issuedBy: String, validUntil: String) throws {
        try database.writer.write { db in
            try db.cachedStatement(sql: "INSERT INTO referral (number, number_key, patient_id, clinic_id, specialty_id, issued_by, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [number, ReferralNumber.matchingKey(number), patient, clinic, specialty, issuedBy, validUntil])
        }
    }

    /// Cancels an appointment at the patient's request: one of the card `patient`, or (nil) a
    /// reservation made without a card, by the channel that made it.
    public func cancel(clinic: String, appointment: String, patient: String?, reason: String?, by channel: MISChannel, actor: String? = nil, now: Date) throws -> MISAppointment {
        try database.writer.write { db in
            guard let id = Int64(appointment),
                let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT a.*, s.start FROM appointment a JOIN slot s ON s.id = a.slot_id
                    WHERE a.id = ? AND a.clinic_id = ? AND (a.patient_id = ? OR (? IS NULL AND a.patient_id IS NULL AND a.channel = ?))
                    """), arguments: [id, clinic, patient, patient, channel.rawValue])
            else { throw MISFailure(.appointmentNotFound, message: "Запись не найдена") }
            let status: String = row["status"]
            guard ["active", "reserved", "displaced"].contains(status) else {
                if status == "cancelled" { return try Self.appointment(db, id: id) }
                throw MISFailure(.appointmentNotFound, message: "Запись уже не действует")
            }
            // A displaced entry holds no time: it may be cancelled whenever its former time was.
            guard status == "displaced" || (row["start"] as Int) > Int(now.timeIntervalSince1970) else {
                throw MISFailure(.noReception, message: "Время приёма уже прошло")
            }
            try db.execute(
                sql: "UPDATE appointment SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ?, cancelled_actor = ? WHERE id = ?",
                arguments: [Int(now.timeIntervalSince1970), channel.rawValue, reason, actor, id]
            )
            try Self.logChange(db, .cancelled, appointment: id, reason: reason, by: channel, now: now)
            try Self.freeReferral(db, of: id)
            return try Self.appointment(db, id: id)
        }
    }

    public func history(clinic: String, patient: String) throws -> [MISAppointment] {
        try database.writer.read { db in
            try Int64.fetchAll(db.cachedStatement(sql: "SELECT a.id FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.clinic_id = ? AND a.patient_id = ? ORDER BY s.start DESC"), arguments: [clinic, patient])
                .map { try Self.appointment(db, id: $0) }
        }
    }

    public func changes(clinic: String, cursor: String) throws -> MISChangeBatch {
        guard let after = Int(cursor), after >= 0 else { throw MISFailure(.badRequest, message: "Курсор должен быть числом") }
        return try database.writer.read { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM change_log WHERE clinic_id = ? AND sequence > ? ORDER BY sequence LIMIT 1000"), arguments: [clinic, after])
            let changes = rows.map { row in
                MISChange(
                    sequence: row["sequence"], kind: MISChange.Kind(rawValue: row["kind"]) ?? .cancelled, appointmentID: String(row["appointment_id"] as Int64),
                    patientID: (row["patient_id"] as String).isEmpty ? nil : row["patient_id"], previousStart: Date(timeIntervalSince1970: TimeInterval(row["previous_start"] as Int)),
                    newStart: (row["new_start"] as Int?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                    at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int)), reason: row["reason"],
                    by: (row["made_by"] as String?).flatMap(MISChannel.init(rawValue:)), newAppointmentID: (row["new_appointment_id"] as Int64?).map { String($0) },
                    refusal: (row["refusal"] as String?).flatMap(MISRefusalReason.init(rawValue:))
                )
            }
            return MISChangeBatch(cursor: String(changes.last?.sequence ?? after), changes: changes)
        }
    }

    static func appointment(_ db: Database, id: Int64) throws -> MISAppointment {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT a.*, s.start, s."end", d.name AS doctor_name, d.room, sp.name AS specialty_name
            FROM appointment a JOIN slot s ON s.id = a.slot_id JOIN doctor d ON d.id = a.doctor_id JOIN specialty sp ON sp.id = a.specialty_id
            WHERE a.id = ?
            """), arguments: [id])
        else { throw MISFailure(.appointmentNotFound, message: "Запись не найдена") }
        return MISAppointment(
            id: String(id), ticket: row["ticket"], clinicID: row["clinic_id"], slotID: String(row["slot_id"] as Int64), doctorID: row["doctor_id"],
            doctorName: row["doctor_name"], specialtyID: row["specialty_id"], specialtyName: row["specialty_name"],
            start: Date(timeIntervalSince1970: TimeInterval(row["start"] as Int)), end: Date(timeIntervalSince1970: TimeInterval(row["end"] as Int)),
            room: row["room"], status: MISAppointmentStatus(rawValue: row["status"]) ?? .active, channel: MISChannel(rawValue: row["channel"]) ?? .other,
            cancelledBy: (row["cancelled_by"] as String?).flatMap(MISChannel.init(rawValue:)), cancelReason: row["cancel_reason"],
            actor: row["actor"], cancelledActor: row["cancelled_actor"], patientID: row["patient_id"],
            refusal: (row["refusal"] as String?).flatMap(MISRefusalReason.init(rawValue:))
        )
    }

    /// The clinic renames a doctor (a new surname, a corrected spelling) — whatever the MIS's staff typed.
    public func renameDoctor(_ doctor: String, to name: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "UPDATE doctor SET name = ? WHERE id = ?", arguments: [name, doctor])
            guard db.changesCount == 1 else { throw MISFailure(.badRequest, message: "Врача с таким кодом нет") }
        }
    }

    /// Registers a new patient card and attaches it to a clinic.
    public func addPatient(id: String, policy: String, birthDate: String, lastName: String, firstName: String, middleName: String, sex: String, document: String,
                           phone: String? = nil, clinic: String, district: String) throws {
        try database.writer.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO patient (id, policy, birth_date, last_name, first_name, middle_name, sex, document, snils, address, phone)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, '', ?)
                """).execute(arguments: [id, policy, birthDate, lastName, firstName, middleName, sex, document, phone])
            try db.cachedStatement(sql: "INSERT INTO attachment VALUES (?, ?, ?)").execute(arguments: [id, clinic, district])
            try db.cachedStatement(sql: "INSERT INTO card VALUES (?, ?)").execute(arguments: [id, clinic])
        }
    }
}
