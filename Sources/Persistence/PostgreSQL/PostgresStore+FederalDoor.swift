import Foundation
import PostgresNIO

extension PostgresStore {
    /// Rows a few seconds young are left for the next read: a transaction may still be committing a
    /// lower sequence (sequences are handed out before commit), and a reader must never skip it.
    static let federalFeedSettling: Double = 6

    public func federalChanges(clinicID: String, after sequence: Int, limit: Int) async throws -> [FederalChange] {
        try await read {
            try await client.query("""
                SELECT sequence, clinic_id, appointment_id, patient_key, kind, previous_start, new_start, at, reason, refusal, made_by FROM federal_change
                WHERE clinic_id = \(clinicID) AND sequence > \(sequence) AND recorded_at < extract(epoch from clock_timestamp()) - \(Self.federalFeedSettling)
                ORDER BY sequence LIMIT \(limit)
                """, logger: logger).collect().map { row in
                let (sequence, clinic, appointment, key, kind, previous, new, at, reason, refusal, madeBy) =
                    try row.decode((Int, String, String, String, String, Double, Double?, Double, String?, String?, String?).self)
                return FederalChange(sequence: sequence, clinicID: clinic, appointmentID: appointment, patientKey: key, kind: kind, previousStart: Date(timeIntervalSince1970: previous),
                                     newStart: new.map { Date(timeIntervalSince1970: $0) }, at: Date(timeIntervalSince1970: at), reason: reason, refusal: refusal, madeBy: madeBy)
            }
        }
    }

    public func federalBookings(clinicID: String, patientKey: String) async throws -> [LedgerEntry] {
        try await entries("""
            SELECT * FROM ledger WHERE clinic_id = \(clinicID) AND patient_key = \(patientKey) AND channel = 'federal-portal' AND appointment_id IS NOT NULL ORDER BY start DESC
            """)
    }

    public func rememberNonce(keyID: String, nonce: String, now: Date, window: TimeInterval) async throws -> Bool {
        try await write {
            try await client.query("DELETE FROM door_nonce WHERE seen_at < \(now.timeIntervalSince1970 - 2 * window)", logger: logger)
            return try await count("INSERT INTO door_nonce (key_id, nonce, seen_at) VALUES (\(keyID), \(nonce), \(now.timeIntervalSince1970)) ON CONFLICT DO NOTHING RETURNING 1") == 1
        }
    }
}
