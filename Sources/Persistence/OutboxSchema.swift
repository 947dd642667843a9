/// The notification outbox and the waiting list, the same in both backends (SQLite's v8, PostgreSQL's
/// v5): every message is a row written in the same transaction as the event that causes it, one per
/// channel the patient consented to, keyed so that one event never makes two.
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
            // The waiting list: what each patient waits for, and the times offered to them.
            """
            CREATE TABLE waitlist (id TEXT PRIMARY KEY, patient_key TEXT NOT NULL, clinic_id TEXT NOT NULL, specialty_id TEXT NOT NULL, specialty_name TEXT NOT NULL,
                doctor_id TEXT, doctor_name TEXT, from_day TEXT NOT NULL, to_day TEXT NOT NULL, part_of_day TEXT, status TEXT NOT NULL,
                created_at \(real) NOT NULL, ended_at \(real))
            """,
            "CREATE INDEX waitlist_waiting ON waitlist(created_at) WHERE status = 'waiting'",
            "CREATE INDEX waitlist_by_patient ON waitlist(patient_key)",
            """
            CREATE TABLE waitlist_offer (id TEXT PRIMARY KEY, entry_id TEXT NOT NULL REFERENCES waitlist(id), patient_key TEXT NOT NULL, clinic_id TEXT NOT NULL,
                doctor_id TEXT NOT NULL, slot_id TEXT NOT NULL, start \(real) NOT NULL, time_zone TEXT NOT NULL, doctor_name TEXT NOT NULL, specialty_name TEXT NOT NULL,
                clinic_name TEXT NOT NULL, room TEXT NOT NULL, status TEXT NOT NULL, created_at \(real) NOT NULL, expires_at \(real) NOT NULL, UNIQUE (entry_id, slot_id))
            """,
            "CREATE INDEX waitlist_offer_by_slot ON waitlist_offer(clinic_id, slot_id)",
            "CREATE INDEX waitlist_offer_open ON waitlist_offer(expires_at) WHERE status = 'open'",
        ]
    }
}
