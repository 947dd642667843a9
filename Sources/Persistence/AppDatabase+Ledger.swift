import Foundation
import GRDB
import SQLiteRows

/// A booking made through the registry, as its ledger keeps it.
public struct LedgerEntry: Sendable, Equatable {
    /// Where the booking stands, as far as the registry knows.
    public enum Status: String, Sendable {
        /// Recorded before the MIS was asked; confirmed or dropped when the answer (or reconciliation) comes.
        case pending
        case active
        case cancelled
        case failed
        /// Moved to another time: `movedTo` names the entry that replaced it.
        case moved
        /// Made as a reservation the clinic approves: it holds its time, but is not an appointment
        /// until the clinic confirms it (active) or refuses it (cancelled).
        case awaiting
        /// The clinic closed its time: it holds none until the clinic moves it (active or awaiting
        /// again) or cancels it.
        case displaced

        /// Holds (or is about to hold) a time: what rule 2 counts.
        public var holdsTime: Bool { self == .pending || self == .active || self == .awaiting }

        /// Made in the MIS and holding its time: an appointment, or a reservation the clinic is to confirm.
        public var isBooked: Bool { self == .active || self == .awaiting }
    }

    public let requestID: String
    public let patientKey: String
    public let clinicID: String
    public let slotID: String
    public let misPatientID: String
    public var appointmentID: String?
    public var ticket: String?
    public let clinicName: String
    public let clinicAddress: String
    public let clinicPhone: String
    /// The clinic's ids of the doctor and the specialty (nil in entries made before they were kept).
    public let doctorID: String?
    public let specialtyID: String?
    /// IANA zone of the clinic, for showing the time as its clock does.
    public let timeZone: String
    public let federalCode: String
    public let specialtyName: String
    public let doctorName: String
    public let room: String
    public let start: Date
    public let end: Date
    /// Clinic-local day, `YYYY-MM-DD`.
    public let day: String
    public var status: Status
    public let channel: String
    public let createdAt: Date
    /// Who cancelled it (`internet`, `clinic`, …) and why, once cancelled.
    public var cancelledBy: String?
    public var cancelReason: String?
    /// The entry (request id) this booking moved: it becomes `moved` once this one is confirmed.
    public let replaces: String?
    /// For a `moved` entry, the entry (request id) that replaced it.
    public var movedTo: String?
    /// The referral (направление) number the booking was made with, if any.
    public let referral: String?
    /// Who made the booking at the desk (`patient`, `kiosk:<id>`, `operator:<account>`); nil for
    /// bookings made before the ledger kept it, and for those the registry learnt from a clinic.
    public let actor: String?
    /// Who cancelled it through the registry, kept the same way; nil when the clinic did, or before it was kept.
    public var cancelledActor: String?
    /// When it was cancelled — or, for a displaced booking, when the clinic closed its time.
    public var cancelledAt: Date?

    public init(requestID: String, patientKey: String, clinicID: String, slotID: String, misPatientID: String, appointmentID: String? = nil, ticket: String? = nil,
                clinicName: String, clinicAddress: String, clinicPhone: String, doctorID: String? = nil, specialtyID: String? = nil, timeZone: String, federalCode: String, specialtyName: String, doctorName: String, room: String, start: Date, end: Date, day: String,
                status: Status, channel: String, createdAt: Date, cancelledBy: String? = nil, cancelReason: String? = nil, replaces: String? = nil, movedTo: String? = nil, referral: String? = nil, actor: String? = nil, cancelledActor: String? = nil,
                cancelledAt: Date? = nil) {
        self.cancelledAt = cancelledAt
        self.actor = actor
        self.cancelledActor = cancelledActor
        self.referral = referral
        self.replaces = replaces
        self.movedTo = movedTo
        self.requestID = requestID
        self.patientKey = patientKey
        self.clinicID = clinicID
        self.slotID = slotID
        self.misPatientID = misPatientID
        self.appointmentID = appointmentID
        self.ticket = ticket
        self.clinicName = clinicName
        self.clinicAddress = clinicAddress
        self.clinicPhone = clinicPhone
        self.doctorID = doctorID
        self.specialtyID = specialtyID
        self.timeZone = timeZone
        self.federalCode = federalCode
        self.specialtyName = specialtyName
        self.doctorName = doctorName
        self.room = room
        self.start = start
        self.end = end
        self.day = day
        self.status = status
        self.channel = channel
        self.createdAt = createdAt
        self.cancelledBy = cancelledBy
        self.cancelReason = cancelReason
    }
}

extension AppDatabase {
    /// Records an attempt before the MIS is asked; a repeated request id returns the entry already
    /// there. Throws `LedgerConflict` when the patient already holds (or is booking) another time of
    /// the same specialty that day, other than the booking this one moves: rule 2, decided inside the
    /// one write transaction, so that two requests at once cannot both pass it.
    public func beginBooking(_ entry: LedgerEntry) async throws -> LedgerEntry {
        try await timedWrite { db in
            if let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM ledger WHERE request_id = ?"), arguments: [entry.requestID]) {
                return Self.entry(existing)
            }
            if let held = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM ledger WHERE patient_key = ? AND federal_code = ? AND day = ? AND status IN ('pending', 'active', 'awaiting')
                AND request_id IS NOT ? LIMIT 1
                """), arguments: [entry.patientKey, entry.federalCode, entry.day, entry.replaces]) {
                throw LedgerConflict(held: Self.entry(held))
            }
            var pending = entry
            pending.status = .pending
            try Self.insert(db, pending)
            return pending
        }
    }

    /// The MIS made the booking — an appointment, or (`awaiting`) a reservation the clinic is to
    /// confirm; a move's earlier entry becomes `moved` in the same transaction.
    public func confirmBooking(requestID: String, appointmentID: String, ticket: String?, awaiting: Bool, now: Date) async throws {
        try await timedWrite { db in
            try db.cachedStatement(sql: "UPDATE ledger SET status = ?, appointment_id = ?, ticket = ? WHERE request_id = ?")
                .execute(arguments: [awaiting ? "awaiting" : "active", appointmentID, ticket, requestID])
            try Self.markReplaced(db, by: requestID)
            // The patient is told: the ticket (or that the clinic is to confirm it), or that the booking moved.
            let moved = try String.fetchOne(db.cachedStatement(sql: "SELECT replaces FROM ledger WHERE request_id = ?"), arguments: [requestID]) != nil
            try Self.notify(db, kind: moved ? .moved : awaiting ? .awaiting : .booked, reference: requestID, requestID: requestID, now: now)
        }
    }

    /// Records an appointment made elsewhere that replaces one of the ledger (a reschedule seen in
    /// a clinic's change log); the replaced entry becomes `moved`. Nothing happens if the ledger
    /// already holds that appointment (the registry made the move itself).
    @discardableResult
    public func recordReplacement(_ entry: LedgerEntry) async throws -> Bool {
        try await timedWrite { db in
            if let appointmentID = entry.appointmentID,
                try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM ledger WHERE clinic_id = ? AND appointment_id = ?"), arguments: [entry.clinicID, appointmentID]) != nil {
                return false
            }
            try Self.insert(db, entry)
            try Self.markReplaced(db, by: entry.requestID)
            try Self.notify(db, kind: .clinicMoved, reference: entry.requestID, requestID: entry.requestID, now: entry.createdAt)
            return true
        }
    }

    private static func insert(_ db: Database, _ entry: LedgerEntry) throws {
        try db.cachedStatement(sql: """
            INSERT INTO ledger (request_id, patient_key, clinic_id, slot_id, mis_patient_id, appointment_id, ticket, clinic_name, clinic_address, clinic_phone, time_zone,
                                federal_code, specialty_name, doctor_name, room, start, "end", day, status, channel, created_at, replaces, doctor_id, specialty_id, referral, actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [entry.requestID, entry.patientKey, entry.clinicID, entry.slotID, entry.misPatientID, entry.appointmentID, entry.ticket, entry.clinicName,
                             entry.clinicAddress, entry.clinicPhone, entry.timeZone, entry.federalCode, entry.specialtyName, entry.doctorName, entry.room,
                             entry.start.timeIntervalSince1970, entry.end.timeIntervalSince1970, entry.day, entry.status.rawValue, entry.channel,
                             entry.createdAt.timeIntervalSince1970, entry.replaces, entry.doctorID, entry.specialtyID, entry.referral, entry.actor])
    }

    /// The entry that `requestID` replaces becomes `moved` (also when the clinic's change log has
    /// already shown its cancellation: it was the move's).
    private static func markReplaced(_ db: Database, by requestID: String) throws {
        try db.cachedStatement(sql: """
            UPDATE ledger SET status = 'moved', moved_to = ?
            WHERE request_id = (SELECT replaces FROM ledger WHERE request_id = ? AND status IN ('active', 'awaiting')) AND status IN ('active', 'awaiting', 'cancelled')
            """).execute(arguments: [requestID, requestID])
    }

    /// The MIS refused the booking, or it is known never to have been made.
    public func failBooking(requestID: String) async throws {
        try await timedWrite { db in
            try db.cachedStatement(sql: "UPDATE ledger SET status = 'failed' WHERE request_id = ? AND status = 'pending'").execute(arguments: [requestID])
        }
    }

    /// The appointment was cancelled (by the patient through `channel`, or by the clinic); returns
    /// whether an entry holding a time (or displaced) changed.
    @discardableResult
    public func cancelBooking(clinicID: String, appointmentID: String, by channel: String, actor: String? = nil, reason: String? = nil, now: Date) async throws -> Bool {
        try await timedWrite { db in
            try db.cachedStatement(sql: """
                UPDATE ledger SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancelled_actor = ?, cancel_reason = ?
                WHERE clinic_id = ? AND appointment_id = ? AND status IN ('active', 'awaiting', 'displaced')
                """).execute(arguments: [now.timeIntervalSince1970, channel, actor, reason, clinicID, appointmentID])
            guard db.changesCount > 0 else { return false }
            if let requestID = try String.fetchOne(db, sql: "SELECT request_id FROM ledger WHERE clinic_id = ? AND appointment_id = ?", arguments: [clinicID, appointmentID]) {
                let kind: OutboxMessage.Kind = channel == "clinic" ? .clinicCancelled : .cancelled
                try Self.notify(db, kind: kind, reference: requestID, requestID: requestID, now: now)
                try Self.recordFederalChange(db, kind, requestID: requestID, madeBy: channel, now: now)
            }
            return true
        }
    }

    /// The clinic moved the appointment (`move`: the new time, the doctor if it changed, the state a
    /// displaced entry returns to); returns whether an entry changed.
    @discardableResult
    public func moveBooking(clinicID: String, appointmentID: String, to move: LedgerMove, now: Date) async throws -> Bool {
        try await timedWrite { db in
            let previous = try Double.fetchOne(db.cachedStatement(sql: "SELECT start FROM ledger WHERE clinic_id = ? AND appointment_id = ?"), arguments: [clinicID, appointmentID])
            try db.cachedStatement(sql: """
                UPDATE ledger SET start = ?, "end" = ?, day = ?, slot_id = coalesce(?, slot_id), doctor_id = coalesce(?, doctor_id), doctor_name = coalesce(?, doctor_name), room = coalesce(?, room),
                    status = CASE WHEN status = 'displaced' THEN coalesce(?, 'active') ELSE status END
                WHERE clinic_id = ? AND appointment_id = ? AND status IN ('active', 'awaiting', 'displaced')
                """).execute(arguments: [move.start.timeIntervalSince1970, move.end.timeIntervalSince1970, move.day, move.slotID, move.doctorID, move.doctorName, move.room,
                                 move.status?.rawValue, clinicID, appointmentID])
            guard db.changesCount > 0 else { return false }
            if let requestID = try String.fetchOne(db, sql: "SELECT request_id FROM ledger WHERE clinic_id = ? AND appointment_id = ?", arguments: [clinicID, appointmentID]) {
                // A clinic may move one appointment more than once: each new time is its own message.
                try Self.notify(db, kind: .clinicMoved, reference: "\(requestID)@\(Int(move.start.timeIntervalSince1970))", requestID: requestID, now: now)
                try Self.recordFederalChange(db, .clinicMoved, requestID: requestID, previousStart: previous, madeBy: "clinic", now: now)
            }
            return true
        }
    }

    /// What the clinic decided about a reservation, or that it displaced a booking; the patient's
    /// message is written in the same transaction. Returns whether an entry changed (a decision the
    /// ledger has already applied changes nothing).
    @discardableResult
    public func settleBooking(clinicID: String, appointmentID: String, _ settlement: LedgerSettlement, now: Date) async throws -> Bool {
        let change = settlement.ledgerChange
        return try await timedWrite { db in
            try db.cachedStatement(sql: """
                UPDATE ledger SET status = ?, mis_patient_id = coalesce(?, mis_patient_id), cancelled_at = CASE WHEN ? IN ('cancelled', 'displaced') THEN ? ELSE cancelled_at END,
                    cancelled_by = CASE WHEN ? = 'cancelled' THEN 'clinic' ELSE cancelled_by END, cancel_reason = coalesce(?, cancel_reason)
                WHERE clinic_id = ? AND appointment_id = ? AND status IN (\(change.from.map { "'\($0.rawValue)'" }.joined(separator: ", ")))
                """).execute(arguments: [change.to.rawValue, change.misPatientID, change.to.rawValue, now.timeIntervalSince1970, change.to.rawValue, change.reason,
                                 clinicID, appointmentID])
            guard db.changesCount > 0 else { return false }
            if let requestID = try String.fetchOne(db, sql: "SELECT request_id FROM ledger WHERE clinic_id = ? AND appointment_id = ?", arguments: [clinicID, appointmentID]) {
                try Self.notify(db, kind: change.message, reference: "\(requestID)@\(Int(now.timeIntervalSince1970))", requestID: requestID, now: now)
                try Self.recordFederalChange(db, change.message, requestID: requestID, refusal: change.refusal, madeBy: "clinic", now: now)
            }
            return true
        }
    }

    public func bookings(patientKey: String) throws -> [LedgerEntry] {
        try readOneStatement { db in try Self.ledger(db, patientKey: patientKey) }
    }

    /// A patient's whole ledger, latest first.
    static func ledger(_ db: Database, patientKey: String) throws -> [LedgerEntry] {
        try Row.decoded(db.cachedStatement(sql: "SELECT * FROM ledger WHERE patient_key = ? ORDER BY start DESC"), arguments: [patientKey], Self.entry)
    }

    /// The entry of one booking attempt.
    public func booking(requestID: String) throws -> LedgerEntry? {
        try timedRead { db in
            try Row.decodedFirst(db.cachedStatement(sql: "SELECT * FROM ledger WHERE request_id = ?"), arguments: [requestID], Self.entry)
        }
    }

    /// The entry for a clinic's appointment, if it was booked through the registry.
    public func booking(clinicID: String, appointmentID: String) throws -> LedgerEntry? {
        try timedRead { db in
            try Row.decodedFirst(db.cachedStatement(sql: "SELECT * FROM ledger WHERE clinic_id = ? AND appointment_id = ?"), arguments: [clinicID, appointmentID], Self.entry)
        }
    }

    /// Attempts the MIS may or may not have recorded (a crash or timeout between ask and answer), for reconciliation.
    public func pendingBookings(olderThan cutoff: Date) throws -> [LedgerEntry] {
        try readOneStatement { db in
            try Row.decoded(db.cachedStatement(sql: "SELECT * FROM ledger WHERE status = 'pending' AND created_at < ?"), arguments: [cutoff.timeIntervalSince1970], Self.entry)
        }
    }

    static func entry(_ row: Row) -> LedgerEntry {
        LedgerEntry(
            requestID: row["request_id"], patientKey: row["patient_key"], clinicID: row["clinic_id"], slotID: row["slot_id"], misPatientID: row["mis_patient_id"],
            appointmentID: row["appointment_id"], ticket: row["ticket"], clinicName: row["clinic_name"], clinicAddress: row["clinic_address"],
            clinicPhone: row["clinic_phone"], doctorID: row["doctor_id"], specialtyID: row["specialty_id"], timeZone: row["time_zone"], federalCode: row["federal_code"], specialtyName: row["specialty_name"],
            doctorName: row["doctor_name"], room: row["room"], start: Date(timeIntervalSince1970: row["start"]),
            end: Date(timeIntervalSince1970: row["end"]), day: row["day"],
            status: LedgerEntry.Status(rawValue: row["status"]) ?? .pending, channel: row["channel"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            cancelledBy: row["cancelled_by"], cancelReason: row["cancel_reason"], replaces: row["replaces"], movedTo: row["moved_to"], referral: row["referral"],
            actor: row["actor"], cancelledActor: row["cancelled_actor"], cancelledAt: (row["cancelled_at"] as Double?).map { Date(timeIntervalSince1970: $0) }
        )
    }
}

extension AppDatabase {
    /// Where the registry stopped reading a clinic's change log (GetChanges); "0" before the first read.
    public func changeCursor(clinicID: String) throws -> String {
        try timedRead { db in try String.fetchOne(db.cachedStatement(sql: "SELECT cursor FROM change_cursor WHERE clinic_id = ?"), arguments: [clinicID]) ?? "0" }
    }

    public func saveChangeCursor(clinicID: String, cursor: String, now: Date) async throws {
        try await timedWrite { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO change_cursor (clinic_id, cursor, polled_at) VALUES (?, ?, ?)").execute(arguments: [clinicID, cursor, now.timeIntervalSince1970])
        }
    }
}

extension AppDatabase {
    /// How many failed attempts under each of `keys` (a policy hash, a client address) fall in the
    /// window ending `now`, key by key. Reading counts nothing.
    public func failedAttempts(keys: [String], now: Date, window: TimeInterval) throws -> [Int] {
        try timedRead { db in
            try keys.map { key in
                try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM attempt WHERE key = ? AND at >= ?"), arguments: [key, now.timeIntervalSince1970 - window]) ?? 0
            }
        }
    }

    /// Records one failed attempt under each of `keys`, in one transaction.
    public func recordFailedAttempt(keys: [String], now: Date) async throws {
        try await timedWrite { db in
            for key in keys {
                try db.cachedStatement(sql: "INSERT INTO attempt (key, at) VALUES (?, ?)").execute(arguments: [key, now.timeIntervalSince1970])
            }
        }
    }

    /// Forgets every attempt whose key starts with `prefix` (an administrator lifted a lock).
    public func clearFailedAttempts(keyPrefix prefix: String) async throws {
        try await timedWrite { db in
            try db.cachedStatement(sql: "DELETE FROM attempt WHERE substr(key, 1, ?) = ?").execute(arguments: [prefix.count, prefix])
        }
    }

    /// Forgets attempts older than `window` of every key (housekeeping; each count forgets its own key's).
    @discardableResult
    public func deleteOldAttempts(now: Date, window: TimeInterval) async throws -> Int {
        try await timedWrite { db in
            try db.cachedStatement(sql: "DELETE FROM attempt WHERE at < ?").execute(arguments: [now.timeIntervalSince1970 - window])
            return db.changesCount
        }
    }

    /// Saves how the patient wants to be notified, with when they consented to personal-data processing.
    public func saveContact(patientKey: String, phone: String?, email: String?, consentAt: Date, consentBy: String?) async throws {
        // An operator took the phone down during the call: it is confirmed by that.
        let phoneConfirmedNow: Double? = consentBy != nil && phone != nil ? consentAt.timeIntervalSince1970 : nil
        try await timedWrite { db in
            try db.execute(sql: """
                INSERT INTO contact (patient_key, phone, email, consent_at, consent_by, email_confirmed_at, phone_confirmed_at) VALUES (?, ?, ?, ?, ?, NULL, ?)
                ON CONFLICT (patient_key) DO UPDATE SET phone = excluded.phone, email = excluded.email, consent_at = excluded.consent_at, consent_by = excluded.consent_by,
                    email_confirmed_at = CASE WHEN contact.email IS excluded.email THEN contact.email_confirmed_at END,
                    phone_confirmed_at = coalesce(excluded.phone_confirmed_at, CASE WHEN contact.phone IS excluded.phone THEN contact.phone_confirmed_at END)
                """, arguments: [patientKey, phone, email, consentAt.timeIntervalSince1970, consentBy, phoneConfirmedNow])
            try Self.withdrawMessages(db, patientKey: patientKey, keepingEmail: email, phone: phone)
            try db.execute(sql: "DELETE FROM contact_confirmation WHERE patient_key = ? AND NOT ((channel = 'email' AND recipient IS ?) OR (channel = 'sms' AND recipient IS ?))",
                           arguments: [patientKey, email, phone])
        }
    }

    /// Forgets the patient's contacts: consent withdrawn.
    public func deleteContact(patientKey: String) async throws {
        try await timedWrite { db in
            try db.cachedStatement(sql: "DELETE FROM contact WHERE patient_key = ?").execute(arguments: [patientKey])
            try db.execute(sql: "DELETE FROM contact_confirmation WHERE patient_key = ?", arguments: [patientKey])
            try Self.withdrawMessages(db, patientKey: patientKey, keepingEmail: nil, phone: nil)
        }
    }

    public func contact(patientKey: String) throws -> ContactRecord? {
        try timedRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM contact WHERE patient_key = ?"), arguments: [patientKey]).map {
                ContactRecord(phone: $0["phone"], email: $0["email"], consentAt: Date(timeIntervalSince1970: $0["consent_at"]), consentBy: $0["consent_by"],
                              emailConfirmed: ($0["email_confirmed_at"] as Double?) != nil, phoneConfirmed: ($0["phone_confirmed_at"] as Double?) != nil)
            }
        }
    }
}
