/// The notification outbox, the same in both backends (SQLite's v8, PostgreSQL's v5): every message
/// is a row written in the same transaction as the event that causes it, one per channel the patient
/// consented to, keyed so that one event never makes two.
enum OutboxSchema {
    static func statements(_ dialect: StaffSchema.Dialect) -> [String] {
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE outbox (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, patient_key TEXT NOT NULL, channel TEXT NOT NULL,
                recipient TEXT NOT NULL, kind TEXT NOT NULL, request_id TEXT, day TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at \(real) NOT NULL, claimed_until \(real), created_at \(real) NOT NULL, sent_at \(real), last_error TEXT)
            """,
            "CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status IN ('pending', 'sending')",
            "CREATE INDEX outbox_by_patient ON outbox(patient_key, created_at)",
            // The day-before reminders already written, by patient and day.
            "CREATE INDEX outbox_reminders ON outbox(patient_key, day) WHERE kind = 'reminder'",
        ]
    }
}
