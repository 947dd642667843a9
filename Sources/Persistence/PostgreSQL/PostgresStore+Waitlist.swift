import Foundation
import PostgresNIO

// The waiting list on PostgreSQL; AppDatabase+Waitlist means the same.

extension PostgresStore {
    public func joinWaitlist(_ entry: WaitlistEntry, limit: Int) async throws {
        let created = entry.createdAt.timeIntervalSince1970
        do {
            try await joinWaitlistTransaction(entry, limit: limit, created: created)
        } catch let error as PostgresTransactionError {
            // The refusal thrown inside the transaction, as itself.
            if let refusal = error.closureError as? WaitlistRefusal { throw refusal }
            throw error
        }
    }

    private func joinWaitlistTransaction(_ entry: WaitlistEntry, limit: Int, created: Double) async throws {
        try await write {
            try await client.withTransaction(logger: logger) { connection in
                // The patient's joins take turns, so that two at once cannot both pass the checks.
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("waitlist|" + entry.patientKey)))", logger: logger)
                let duplicate = try await connection.query("""
                    SELECT 1 FROM waitlist WHERE patient_key = \(entry.patientKey) AND status = 'waiting' AND clinic_id = \(entry.clinicID)
                    AND specialty_id = \(entry.specialtyID) AND doctor_id IS NOT DISTINCT FROM \(entry.doctorID) AND from_day <= \(entry.toDay) AND \(entry.fromDay) <= to_day
                    """, logger: logger).collect()
                guard duplicate.isEmpty else { throw WaitlistRefusal.duplicate }
                let waiting = try await connection.query("SELECT COUNT(*) FROM waitlist WHERE patient_key = \(entry.patientKey) AND status = 'waiting'", logger: logger)
                    .collect().first?.decode(Int.self) ?? 0
                guard waiting < limit else { throw WaitlistRefusal.full }
                try await connection.query("""
                    INSERT INTO waitlist (id, patient_key, clinic_id, specialty_id, specialty_name, doctor_id, doctor_name, from_day, to_day, part_of_day, status, created_at)
                    VALUES (\(entry.id), \(entry.patientKey), \(entry.clinicID), \(entry.specialtyID), \(entry.specialtyName), \(entry.doctorID), \(entry.doctorName),
                            \(entry.fromDay), \(entry.toDay), \(entry.partOfDay?.rawValue), \(entry.status.rawValue), \(created))
                    """, logger: logger)
            }
        }
    }

    public func waitlist(patientKey: String) async throws -> [WaitlistEntry] {
        try await read { try await client.query("SELECT * FROM waitlist WHERE patient_key = \(patientKey) ORDER BY created_at DESC", logger: logger).collect().map(Self.waitlistEntry) }
    }

    @discardableResult
    public func leaveWaitlist(id: String, patientKey: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970
        return try await write {
            try await count("""
                WITH left_list AS (UPDATE waitlist SET status = 'left', ended_at = \(at) WHERE id = \(id) AND patient_key = \(patientKey) AND status = 'waiting' RETURNING id),
                closed AS (UPDATE waitlist_offer SET status = 'expired' WHERE entry_id IN (SELECT id FROM left_list) AND status = 'open')
                SELECT 1 FROM left_list
                """) > 0
        }
    }

    public func waitingEntries(today: String, now: Date) async throws -> [WaitlistEntry] {
        let at = now.timeIntervalSince1970
        return try await write {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("UPDATE waitlist SET status = 'expired', ended_at = \(at) WHERE status = 'waiting' AND to_day < \(today)", logger: logger)
                try await connection.query("UPDATE waitlist_offer SET status = 'expired' WHERE status = 'open' AND expires_at <= \(at)", logger: logger)
                return try await connection.query("SELECT * FROM waitlist WHERE status = 'waiting' ORDER BY created_at, id LIMIT 5000", logger: logger).collect().map(Self.waitlistEntry)
            }
        }
    }

    public func openOffers(now: Date) async throws -> [WaitlistOffer] {
        let at = now.timeIntervalSince1970
        return try await read { try await client.query("SELECT * FROM waitlist_offer WHERE status = 'open' AND expires_at > \(at) ORDER BY created_at", logger: logger).collect().map(Self.waitlistOffer) }
    }

    public func offeredEntries(clinicID: String, slotID: String) async throws -> Set<String> {
        try await read {
            Set(try await client.query("SELECT entry_id FROM waitlist_offer WHERE clinic_id = \(clinicID) AND slot_id = \(slotID)", logger: logger).collect().map { try $0.decode(String.self) })
        }
    }

    public func makeOffers(_ offers: [WaitlistOffer], now: Date) async throws {
        try await write {
            try await client.withTransaction(logger: logger) { connection in
                for offer in offers {
                    let (start, created, expires) = (offer.start.timeIntervalSince1970, offer.createdAt.timeIntervalSince1970, offer.expiresAt.timeIntervalSince1970)
                    let inserted = try await connection.query("""
                        INSERT INTO waitlist_offer (id, entry_id, patient_key, clinic_id, doctor_id, slot_id, start, time_zone, doctor_name, specialty_name, clinic_name, room,
                            status, created_at, expires_at)
                        VALUES (\(offer.id), \(offer.entryID), \(offer.patientKey), \(offer.clinicID), \(offer.doctorID), \(offer.slotID), \(start), \(offer.timeZone),
                            \(offer.doctorName), \(offer.specialtyName), \(offer.clinicName), \(offer.room), \(offer.status.rawValue), \(created), \(expires))
                        ON CONFLICT (entry_id, slot_id) DO NOTHING RETURNING 1
                        """, logger: logger).collect()
                    if !inserted.isEmpty { try await connection.query(Self.messages(kind: .offer, reference: offer.id, requestID: offer.id, patientKey: offer.patientKey, now: now), logger: logger) }
                }
            }
        }
    }

    public func offer(id: String) async throws -> WaitlistOffer? {
        try await read { try await client.query("SELECT * FROM waitlist_offer WHERE id = \(id)", logger: logger).collect().first.map(Self.waitlistOffer) }
    }

    @discardableResult
    public func takeOffer(id: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970
        return try await write {
            try await client.withTransaction(logger: logger) { connection in
                guard let row = try await connection.query("UPDATE waitlist_offer SET status = 'taken' WHERE id = \(id) AND status = 'open' RETURNING *", logger: logger).collect().first
                else { return false }
                let taken = try Self.waitlistOffer(row)
                try await connection.query("UPDATE waitlist SET status = 'booked', ended_at = \(at) WHERE id = \(taken.entryID)", logger: logger)
                _ = try await Self.closeOffers(connection, clinicID: taken.clinicID, slotID: taken.slotID, now: now, logger: logger)
                return true
            }
        }
    }

    @discardableResult
    public func closeOffers(clinicID: String, slotID: String, now: Date) async throws -> Int {
        try await write {
            try await client.withTransaction(logger: logger) { connection in try await Self.closeOffers(connection, clinicID: clinicID, slotID: slotID, now: now, logger: logger) }
        }
    }

    private static func closeOffers(_ connection: PostgresConnection, clinicID: String, slotID: String, now: Date, logger: Logger) async throws -> Int {
        let closed = try await connection.query("""
            UPDATE waitlist_offer SET status = 'gone' WHERE clinic_id = \(clinicID) AND slot_id = \(slotID) AND status = 'open' RETURNING id, patient_key
            """, logger: logger).collect()
        for row in closed {
            let (offerID, patientKey) = try row.decode((String, String).self)
            try await connection.query(messages(kind: .offerGone, reference: offerID, requestID: offerID, patientKey: patientKey, now: now), logger: logger)
        }
        return closed.count
    }

    private static func waitlistEntry(_ row: PostgresRow) throws -> WaitlistEntry {
        let row = row.makeRandomAccess()
        return WaitlistEntry(
            id: try row["id"].decode(String.self), patientKey: try row["patient_key"].decode(String.self), clinicID: try row["clinic_id"].decode(String.self),
            specialtyID: try row["specialty_id"].decode(String.self), specialtyName: try row["specialty_name"].decode(String.self),
            doctorID: try row["doctor_id"].decode(String?.self), doctorName: try row["doctor_name"].decode(String?.self),
            fromDay: try row["from_day"].decode(String.self), toDay: try row["to_day"].decode(String.self),
            partOfDay: try row["part_of_day"].decode(String?.self).flatMap(WaitlistEntry.PartOfDay.init(rawValue:)),
            status: WaitlistEntry.Status(rawValue: try row["status"].decode(String.self)) ?? .waiting, createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self))
        )
    }

    private static func waitlistOffer(_ row: PostgresRow) throws -> WaitlistOffer {
        let row = row.makeRandomAccess()
        return WaitlistOffer(
            id: try row["id"].decode(String.self), entryID: try row["entry_id"].decode(String.self), patientKey: try row["patient_key"].decode(String.self),
            clinicID: try row["clinic_id"].decode(String.self), doctorID: try row["doctor_id"].decode(String.self), slotID: try row["slot_id"].decode(String.self),
            start: Date(timeIntervalSince1970: try row["start"].decode(Double.self)), timeZone: try row["time_zone"].decode(String.self),
            doctorName: try row["doctor_name"].decode(String.self), specialtyName: try row["specialty_name"].decode(String.self),
            clinicName: try row["clinic_name"].decode(String.self), room: try row["room"].decode(String.self),
            status: WaitlistOffer.Status(rawValue: try row["status"].decode(String.self)) ?? .open,
            createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)), expiresAt: Date(timeIntervalSince1970: try row["expires_at"].decode(Double.self))
        )
    }
}
