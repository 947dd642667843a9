import Foundation
import GRDB

// The federal portal's door on SQLite; PostgresStore+FederalDoor means the same.

extension AppDatabase {
    /// Appends to the portal's feed what happened to ledger entry `requestID`, if the portal made it
    /// (its message `kind` says what; `previousStart` for a move, before it moved).
    static func recordFederalChange(_ db: Database, _ kind: OutboxMessage.Kind, requestID: String, previousStart: Double? = nil, refusal: String? = nil,
                                    madeBy: String?, now: Date) throws {
        guard let feedKind = FederalChange.kind(for: kind) else { return }
        try db.cachedStatement(sql: """
            INSERT INTO federal_change (clinic_id, appointment_id, patient_key, kind, previous_start, new_start, at, reason, refusal, made_by)
            SELECT clinic_id, appointment_id, patient_key, ?, coalesce(?, start), CASE WHEN ? = 'moved' THEN start END, ?,
                   CASE WHEN ? IN ('refused', 'displaced', 'cancelled') THEN cancel_reason END, ?, ?
            FROM ledger WHERE request_id = ? AND channel = 'federal-portal' AND appointment_id IS NOT NULL
            """).execute(arguments: [feedKind, previousStart, feedKind, now.timeIntervalSince1970, feedKind, refusal, madeBy, requestID])
    }

    public func federalChanges(clinicID: String, after sequence: Int, limit: Int) throws -> [FederalChange] {
        try timedRead { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM federal_change WHERE clinic_id = ? AND sequence > ? ORDER BY sequence LIMIT ?"),
                             arguments: [clinicID, sequence, limit]).map(Self.federalChange)
        }
    }

    /// The portal's bookings of one person in one clinic, newest first.
    public func federalBookings(clinicID: String, patientKey: String) throws -> [LedgerEntry] {
        try timedRead { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM ledger WHERE clinic_id = ? AND patient_key = ? AND channel = 'federal-portal' AND appointment_id IS NOT NULL ORDER BY start DESC"),
                             arguments: [clinicID, patientKey]).map(Self.entry)
        }
    }

    public func rememberNonce(keyID: String, nonce: String, now: Date, window: TimeInterval) async throws -> Bool {
        try await timedWrite { db in
            try db.cachedStatement(sql: "DELETE FROM door_nonce WHERE seen_at < ?").execute(arguments: [now.timeIntervalSince1970 - 2 * window])
            try db.cachedStatement(sql: "INSERT INTO door_nonce (key_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").execute(arguments: [keyID, nonce, now.timeIntervalSince1970])
            return db.changesCount == 1
        }
    }

    private static func federalChange(_ row: Row) -> FederalChange {
        FederalChange(sequence: row["sequence"], clinicID: row["clinic_id"], appointmentID: row["appointment_id"], patientKey: row["patient_key"], kind: row["kind"],
                      previousStart: Date(timeIntervalSince1970: row["previous_start"]), newStart: (row["new_start"] as Double?).map { Date(timeIntervalSince1970: $0) },
                      at: Date(timeIntervalSince1970: row["at"]), reason: row["reason"], refusal: row["refusal"], madeBy: row["made_by"])
    }
}
