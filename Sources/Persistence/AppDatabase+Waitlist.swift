import Foundation
import GRDB

// The waiting list on SQLite; PostgresStore+Waitlist means the same.

extension AppDatabase {
    public func joinWaitlist(_ entry: WaitlistEntry, limit: Int) async throws {
        try await timedWrite { db in
            if try Bool.fetchOne(db, sql: """
                SELECT 1 FROM waitlist WHERE patient_key = ? AND status = 'waiting' AND clinic_id = ? AND specialty_id = ? AND doctor_id IS ?
                AND from_day <= ? AND ? <= to_day
                """, arguments: [entry.patientKey, entry.clinicID, entry.specialtyID, entry.doctorID, entry.toDay, entry.fromDay]) != nil {
                throw WaitlistRefusal.duplicate
            }
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM waitlist WHERE patient_key = ? AND status = 'waiting'", arguments: [entry.patientKey]) ?? 0 >= limit {
                throw WaitlistRefusal.full
            }
            try db.execute(sql: """
                INSERT INTO waitlist (id, patient_key, clinic_id, specialty_id, specialty_name, doctor_id, doctor_name, from_day, to_day, part_of_day, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.id, entry.patientKey, entry.clinicID, entry.specialtyID, entry.specialtyName, entry.doctorID, entry.doctorName,
                                 entry.fromDay, entry.toDay, entry.partOfDay?.rawValue, entry.status.rawValue, entry.createdAt.timeIntervalSince1970])
        }
    }

    public func waitlist(patientKey: String) throws -> [WaitlistEntry] {
        try readOneStatement { db in try Row.fetchAll(db, sql: "SELECT * FROM waitlist WHERE patient_key = ? ORDER BY created_at DESC", arguments: [patientKey]).map(Self.waitlistEntry) }
    }

    @discardableResult
    public func leaveWaitlist(id: String, patientKey: String, now: Date) async throws -> Bool {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE waitlist SET status = 'left', ended_at = ? WHERE id = ? AND patient_key = ? AND status = 'waiting'",
                           arguments: [now.timeIntervalSince1970, id, patientKey])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE waitlist_offer SET status = 'expired' WHERE entry_id = ? AND status = 'open'", arguments: [id])
            return true
        }
    }

    public func waitingEntries(today: String, now: Date) async throws -> [WaitlistEntry] {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE waitlist SET status = 'expired', ended_at = ? WHERE status = 'waiting' AND to_day < ?", arguments: [now.timeIntervalSince1970, today])
            try db.execute(sql: "UPDATE waitlist_offer SET status = 'expired' WHERE status = 'open' AND expires_at <= ?", arguments: [now.timeIntervalSince1970])
            return try Row.fetchAll(db, sql: "SELECT * FROM waitlist WHERE status = 'waiting' ORDER BY created_at, id LIMIT 5000").map(Self.waitlistEntry)
        }
    }

    public func openOffers(now: Date) throws -> [WaitlistOffer] {
        try readOneStatement { db in
            try Row.fetchAll(db, sql: "SELECT * FROM waitlist_offer WHERE status = 'open' AND expires_at > ? ORDER BY created_at", arguments: [now.timeIntervalSince1970]).map(Self.waitlistOffer)
        }
    }

    public func offeredEntries(clinicID: String, slotID: String) throws -> Set<String> {
        try readOneStatement { db in Set(try String.fetchAll(db, sql: "SELECT entry_id FROM waitlist_offer WHERE clinic_id = ? AND slot_id = ?", arguments: [clinicID, slotID])) }
    }

    public func makeOffers(_ offers: [WaitlistOffer], now: Date) async throws {
        try await timedWrite { db in
            for offer in offers {
                try db.execute(sql: """
                    INSERT INTO waitlist_offer (id, entry_id, patient_key, clinic_id, doctor_id, slot_id, start, time_zone, doctor_name, specialty_name, clinic_name, room,
                        status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id, slot_id) DO NOTHING
                    """, arguments: [offer.id, offer.entryID, offer.patientKey, offer.clinicID, offer.doctorID, offer.slotID, offer.start.timeIntervalSince1970, offer.timeZone,
                                     offer.doctorName, offer.specialtyName, offer.clinicName, offer.room, offer.status.rawValue, offer.createdAt.timeIntervalSince1970,
                                     offer.expiresAt.timeIntervalSince1970])
                if db.changesCount > 0 { try Self.notify(db, kind: .offer, reference: offer.id, requestID: offer.id, patientKey: offer.patientKey, now: now) }
            }
        }
    }

    public func offer(id: String) throws -> WaitlistOffer? {
        try readOneStatement { db in try Row.fetchOne(db, sql: "SELECT * FROM waitlist_offer WHERE id = ?", arguments: [id]).map(Self.waitlistOffer) }
    }

    @discardableResult
    public func takeOffer(id: String, now: Date) async throws -> Bool {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE waitlist_offer SET status = 'taken' WHERE id = ? AND status = 'open'", arguments: [id])
            guard db.changesCount > 0, let taken = try Row.fetchOne(db, sql: "SELECT * FROM waitlist_offer WHERE id = ?", arguments: [id]).map(Self.waitlistOffer) else { return false }
            try db.execute(sql: "UPDATE waitlist SET status = 'booked', ended_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, taken.entryID])
            try Self.closeOffers(db, clinicID: taken.clinicID, slotID: taken.slotID, now: now)
            return true
        }
    }

    @discardableResult
    public func closeOffers(clinicID: String, slotID: String, now: Date) async throws -> Int {
        try await timedWrite { db in try Self.closeOffers(db, clinicID: clinicID, slotID: slotID, now: now) }
    }

    private static func closeOffers(_ db: Database, clinicID: String, slotID: String, now: Date) throws -> Int {
        let closing = try Row.fetchAll(db, sql: "SELECT id, patient_key FROM waitlist_offer WHERE clinic_id = ? AND slot_id = ? AND status = 'open'", arguments: [clinicID, slotID])
        for row in closing {
            try db.execute(sql: "UPDATE waitlist_offer SET status = 'gone' WHERE id = ?", arguments: [row["id"] as String])
            try notify(db, kind: .offerGone, reference: row["id"], requestID: row["id"], patientKey: row["patient_key"], now: now)
        }
        return closing.count
    }

    private static func waitlistEntry(_ row: Row) -> WaitlistEntry {
        WaitlistEntry(id: row["id"], patientKey: row["patient_key"], clinicID: row["clinic_id"], specialtyID: row["specialty_id"], specialtyName: row["specialty_name"],
                      doctorID: row["doctor_id"], doctorName: row["doctor_name"], fromDay: row["from_day"], toDay: row["to_day"],
                      partOfDay: (row["part_of_day"] as String?).flatMap(WaitlistEntry.PartOfDay.init(rawValue:)),
                      status: WaitlistEntry.Status(rawValue: row["status"]) ?? .waiting, createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    private static func waitlistOffer(_ row: Row) -> WaitlistOffer {
        WaitlistOffer(id: row["id"], entryID: row["entry_id"], patientKey: row["patient_key"], clinicID: row["clinic_id"], doctorID: row["doctor_id"], slotID: row["slot_id"],
                      start: Date(timeIntervalSince1970: row["start"]), timeZone: row["time_zone"], doctorName: row["doctor_name"], specialtyName: row["specialty_name"],
                      clinicName: row["clinic_name"], room: row["room"], status: WaitlistOffer.Status(rawValue: row["status"]) ?? .open,
                      createdAt: Date(timeIntervalSince1970: row["created_at"]), expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
    }
}
