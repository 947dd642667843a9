import Foundation
import GRDB
import MISBridge

/// What the clinic's own staff do in their MIS: close a doctor's day, declare a holiday, cancel or
/// move at the front desk, mark visits. Every change that touches a booking goes to the change log.
extension ReferenceMIS {
    /// Closes a doctor's day: free times disappear; bookings on it are displaced (those made through
    /// a registry or the federal portal, and reservations) or cancelled (the clinic's own), each in GetChanges.
    public func cancelDoctorDay(doctor: String, day: String, reason: String, now: Date) throws {
        try database.writer.write { db in
            try Self.closeSlots(db, condition: "s.doctor_id = ? AND s.day = ?", arguments: [doctor, day], reason: reason, now: now)
        }
    }

    /// Declares a holiday in a clinic: no new slots that day, existing ones closed as in `cancelDoctorDay`.
    public func declareHoliday(clinic: String, day: String, reason: String, now: Date) throws {
        guard ProtocolTime.isDay(day) else { throw MISFailure(.badRequest, message: "Дата должна быть в виде ГГГГ-ММ-ДД") }
        try database.writer.write { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO holiday VALUES (?, ?)").execute(arguments: [clinic, day])
            try Self.closeSlots(db, condition: "s.clinic_id = ? AND s.day = ?", arguments: [clinic, day], reason: reason, now: now)
        }
    }

    /// Channels through which a patient booked from outside the clinic: such a booking is never
    /// silently cancelled by a closed day, it is displaced until the clinic moves or cancels it.
    static let remoteChannels: Set<String> = [MISChannel.internet, .callCentre, .kiosk, .federalPortal].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    private static func closeSlots(_ db: Database, condition: String, arguments: StatementArguments, reason: String, now: Date) throws {
        let booked = try Row.fetchAll(db, sql: """
            SELECT a.id, a.status, a.channel FROM appointment a JOIN slot s ON s.id = a.slot_id
            WHERE a.\(holdsSlot) AND \(condition)
            """, arguments: arguments)
        for row in booked {
            let id: Int64 = row["id"], status: String = row["status"]
            if status == "reserved" || remoteChannels.contains(row["channel"]) {
                try db.execute(sql: "UPDATE appointment SET status = 'displaced', displaced_status = ?, cancel_reason = ? WHERE id = ?", arguments: [status, reason, id])
                try logChange(db, .displaced, appointment: id, reason: reason, by: .clinic, now: now)
            } else {
                try db.execute(sql: "UPDATE appointment SET status = 'cancelled', cancelled_at = ?, cancelled_by = 'clinic', cancel_reason = ? WHERE id = ?",
                               arguments: [Int(now.timeIntervalSince1970), reason, id])
                try logChange(db, .cancelled, appointment: id, reason: reason, by: .clinic, now: now)
                try freeReferral(db, of: id)
            }
        }
        try db.execute(sql: "UPDATE slot SET closed = 1 WHERE id IN (SELECT s.id FROM slot s WHERE \(condition))", arguments: arguments)
    }

    /// The front desk cancels one appointment, reservation or displaced entry (the patient phoned, or came to the desk).
    public func cancelAtDesk(appointment: String, reason: String, now: Date) throws {
        try database.writer.write { db in
            guard let id = Int64(appointment),
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM appointment WHERE id = ? AND status IN ('active', 'reserved', 'displaced')"), arguments: [id]) != nil
            else { throw MISFailure(.appointmentNotFound, message: "Действующая запись не найдена") }
            try db.execute(sql: "UPDATE appointment SET status = 'cancelled', cancelled_at = ?, cancelled_by = 'clinic', cancel_reason = ? WHERE id = ?",
                           arguments: [Int(now.timeIntervalSince1970), reason, id])
            try Self.logChange(db, .cancelled, appointment: id, reason: reason, by: .clinic, now: now)
            try Self.freeReferral(db, of: id)
        }
    }

    /// The front desk moves one appointment to another free time of the same doctor: the appointment
    /// (and its ticket) stays, its time changes.
    public func moveAtDesk(appointment: String, toSlot slotID: String, reason: String, now: Date) throws {
        let clinic = try database.writer.read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT clinic_id FROM appointment WHERE id = ?"), arguments: [Int64(appointment) ?? -1])
        }
        guard let clinic else { throw MISFailure(.appointmentNotFound, message: "Действующая запись не найдена") }
        do {
            _ = try moveAppointment(clinic: clinic, appointment: appointment, slot: slotID, reason: reason, actor: nil, sameDoctor: true, now: now)
        } catch let failure as MISFailure where [.slotTaken, .noReception, .badRequest].contains(failure.code) {
            throw MISFailure(.slotTaken, message: "Это время занято или его нет у этого врача")
        }
    }

    /// The clinic marks how an appointment ended: the patient came or did not. Only an active
    /// appointment whose time has begun; marking it again the same way changes nothing.
    public func recordVisit(appointment: String, outcome: MISAppointmentStatus, now: Date) throws {
        guard outcome == .visited || outcome == .missed else { throw MISFailure(.badRequest, message: "Визит отмечают как состоявшийся или несостоявшийся") }
        try database.writer.write { db in
            guard let id = Int64(appointment),
                let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT a.status, s.start FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.id = ?"), arguments: [id])
            else { throw MISFailure(.appointmentNotFound, message: "Запись не найдена") }
            let status: String = row["status"]
            if status == outcome.rawValue { return }
            switch MISAppointmentStatus(rawValue: status) {
            case .active: break
            case .visited, .missed: throw MISFailure(.badRequest, message: "Визит уже отмечен как \(status == "visited" ? "состоявшийся" : "несостоявшийся")")
            case .reserved: throw MISFailure(.badRequest, message: "Бронь не подтверждена: сначала подтвердите её картой пациента")
            case .displaced: throw MISFailure(.badRequest, message: "Запись выпала из расписания: перенесите или отмените её")
            default: throw MISFailure(.appointmentNotFound, message: "Запись отменена: отмечать нечего")
            }
            guard (row["start"] as Int) <= Int(now.timeIntervalSince1970) else {
                throw MISFailure(.noReception, message: "Время приёма ещё не наступило: отметить визит можно, когда оно начнётся")
            }
            try db.execute(sql: "UPDATE appointment SET status = ? WHERE id = ?", arguments: [outcome.rawValue, id])
        }
    }

    /// A cancelled appointment gives its referral back: the patient may book with it again.
    static func freeReferral(_ db: Database, of appointment: Int64) throws {
        try db.cachedStatement(sql: "UPDATE referral SET used_appointment_id = NULL WHERE used_appointment_id = ?").execute(arguments: [appointment])
    }

    /// Appends one change of an appointment (its time as it is when this is called) to the clinic's change log.
    static func logChange(_ db: Database, _ kind: MISChange.Kind, appointment id: Int64, newStart: Int? = nil, newAppointment: Int64? = nil, reason: String?,
                          by channel: MISChannel, refusal: MISRefusalReason? = nil, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO change_log (clinic_id, appointment_id, patient_id, kind, previous_start, new_start, at, reason, made_by, new_appointment_id, refusal)
            SELECT a.clinic_id, a.id, coalesce(a.patient_id, ''), ?, s.start, ?, ?, ?, ?, ?, ? FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.id = ?
            """).execute(arguments: [kind.rawValue, newStart, Int(now.timeIntervalSince1970), reason, channel.rawValue, newAppointment, refusal?.rawValue, id])
    }
}
