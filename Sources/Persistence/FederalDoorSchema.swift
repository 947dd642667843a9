import Foundation

/// The federal portal's door, the same in both backends (SQLite's v13, PostgreSQL's v11): the feed
/// of what clinics did to the portal's bookings (its GetChanges), written in the same transaction
/// as the ledger changes; and the nonces the portal's requests used, shared by every node.
enum FederalDoorSchema {
    enum Dialect { case sqlite, postgresql }

    static func statements(_ dialect: Dialect) -> [String] {
        let key = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        // When the row was written, by the database's clock: a reader of PostgreSQL leaves out rows a
        // few seconds young, so that a transaction still committing a lower sequence is never skipped.
        let now = dialect == .sqlite ? "((julianday('now') - 2440587.5) * 86400.0)" : "(extract(epoch from clock_timestamp()))"
        return [
            """
            CREATE TABLE federal_change (sequence \(key), clinic_id TEXT NOT NULL, appointment_id TEXT NOT NULL, patient_key TEXT NOT NULL, kind TEXT NOT NULL,
                previous_start \(real) NOT NULL, new_start \(real), at \(real) NOT NULL, reason TEXT, refusal TEXT, made_by TEXT,
                recorded_at \(real) NOT NULL DEFAULT \(now))
            """,
            "CREATE INDEX federal_change_by_clinic ON federal_change(clinic_id, sequence)",
            "CREATE TABLE door_nonce (key_id TEXT NOT NULL, nonce TEXT NOT NULL, seen_at \(real) NOT NULL, PRIMARY KEY (key_id, nonce))",
            "CREATE INDEX door_nonce_by_age ON door_nonce(seen_at)",
        ]
    }
}

/// One change the federal portal reads about one of its bookings (docs/mis-protocol.md, GetChanges).
public struct FederalChange: Sendable, Equatable {
    public let sequence: Int
    public let clinicID: String
    public let appointmentID: String
    /// The door's id of the person (the ledger's patient key).
    public let patientKey: String
    /// `confirmed`, `refused`, `displaced`, `cancelled` or `moved`, as in the protocol.
    public let kind: String
    public let previousStart: Date
    public let newStart: Date?
    public let at: Date
    public let reason: String?
    public let refusal: String?
    /// Who made it: `clinic`, or the channel that cancelled.
    public let madeBy: String?

    public init(sequence: Int, clinicID: String, appointmentID: String, patientKey: String, kind: String, previousStart: Date, newStart: Date?, at: Date,
                reason: String?, refusal: String?, madeBy: String?) {
        self.sequence = sequence
        self.clinicID = clinicID
        self.appointmentID = appointmentID
        self.patientKey = patientKey
        self.kind = kind
        self.previousStart = previousStart
        self.newStart = newStart
        self.at = at
        self.reason = reason
        self.refusal = refusal
        self.madeBy = madeBy
    }

    /// The feed's kind for a message the ledger writes to a patient; nil for those the portal does not read.
    static func kind(for message: OutboxMessage.Kind) -> String? {
        switch message {
        case .clinicConfirmed: "confirmed"
        case .clinicRefused: "refused"
        case .displaced: "displaced"
        case .clinicCancelled, .cancelled: "cancelled"
        case .clinicMoved: "moved"
        default: nil
        }
    }
}
