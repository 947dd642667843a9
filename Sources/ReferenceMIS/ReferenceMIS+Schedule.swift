import Foundation
import GRDB
import MISBridge

extension ReferenceMIS {
    /// GetSchedule: every slot of `from`…`to` of one doctor or of every doctor of the clinic (by id,
    /// after `after`), each with every booking made for it, oldest first. Whole doctors only: once an
    /// answer holds `pageSlots` slots it stops and names the last doctor as `next`.
    public func schedule(clinic: String, doctor: String?, from: String, to: String, after: String?, pageSlots: Int = 2_000) throws -> MISSchedule {
        try checkRange(from, to)
        _ = try self.clinic(clinic)
        return try database.writer.read { db in
            let doctors = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT d.id, d.name, d.room, d.specialty_id, sp.name AS specialty_name FROM doctor d JOIN specialty sp ON sp.id = d.specialty_id
                WHERE d.clinic_id = :clinic AND (:doctor IS NULL OR d.id = :doctor) AND (:after IS NULL OR d.id > :after) ORDER BY d.id
                """), arguments: ["clinic": clinic, "doctor": doctor, "after": after])
            if let doctor, doctors.isEmpty, after == nil {
                throw MISFailure(.badRequest, message: "В поликлинике нет врача \(doctor)")
            }
            var written: [MISScheduleDoctor] = [], slotCount = 0
            for (index, row) in doctors.enumerated() {
                let id: String = row["id"]
                let slots = try Self.scheduleSlots(db, doctor: id, room: row["room"], from: from, to: to)
                written.append(MISScheduleDoctor(id: id, name: row["name"], specialtyID: row["specialty_id"], specialtyName: row["specialty_name"], room: row["room"], slots: slots))
                slotCount += slots.count
                if slotCount >= pageSlots, index < doctors.count - 1 { return MISSchedule(doctors: written, next: id) }
            }
            return MISSchedule(doctors: written, next: nil)
        }
    }

    private static func scheduleSlots(_ db: Database, doctor: String, room: String, from: String, to: String) throws -> [MISScheduleSlot] {
        let arguments: StatementArguments = ["doctor": doctor, "from": from, "to": to]
        var bookings: [Int64: [MISScheduleBooking]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.id, a.slot_id, a.ticket, a.patient_id, a.channel, a.actor, a.created_at, a.status, a.cancelled_by, a.cancelled_at,
                   a.cancel_reason, a.cancelled_actor, coalesce(p.last_name, a.person_last_name) AS last_name, coalesce(p.first_name, a.person_first_name) AS first_name,
                   coalesce(p.middle_name, a.person_middle_name) AS middle_name, coalesce(p.birth_date, a.person_birth_date) AS birth_date,
                   coalesce(p.phone, a.person_phone) AS phone
            FROM slot s JOIN appointment a ON a.slot_id = s.id LEFT JOIN patient p ON p.id = a.patient_id
            WHERE s.doctor_id = :doctor AND s.day BETWEEN :from AND :to ORDER BY a.created_at, a.id
            """), arguments: arguments) {
            let name = [row["last_name"], row["first_name"], row["middle_name"]].compactMap { $0 as String? }.filter { !$0.isEmpty }.joined(separator: " ")
            bookings[row["slot_id"], default: []].append(MISScheduleBooking(
                appointmentID: String(row["id"] as Int64), ticket: row["ticket"], patientID: row["patient_id"], patientName: name, birthDate: row["birth_date"],
                phone: row["phone"], channel: MISChannel(rawValue: row["channel"]) ?? .other, actor: row["actor"],
                createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int)),
                status: MISAppointmentStatus(rawValue: row["status"]) ?? .cancelled,
                cancelledBy: (row["cancelled_by"] as String?).flatMap(MISChannel.init(rawValue:)),
                cancelledAt: (row["cancelled_at"] as Int?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                cancelReason: row["cancel_reason"], cancelledActor: row["cancelled_actor"]
            ))
        }
        return try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, start, "end", closed FROM slot WHERE doctor_id = :doctor AND day BETWEEN :from AND :to ORDER BY start
            """), arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let made = bookings[id] ?? []
            let state: MISScheduleSlot.State = made.contains(where: \.status.holdsSlot) ? .booked : (row["closed"] as Int) != 0 ? .closed : .free
            return MISScheduleSlot(id: String(id), start: Date(timeIntervalSince1970: TimeInterval(row["start"] as Int)),
                                   end: Date(timeIntervalSince1970: TimeInterval(row["end"] as Int)), room: room, state: state, bookings: made)
        }
    }
}
