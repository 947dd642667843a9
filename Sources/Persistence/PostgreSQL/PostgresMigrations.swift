/// The PostgreSQL schema, append-only like the SQLite migrations. Its first migration is the SQLite
/// schema as of SQLite's v5 (same tables, columns and meaning; times as seconds since 1970); every
/// later table is added to both backends under the same name.
enum PostgresMigrations {
    struct Migration {
        let name: String
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(name: "v1: sessions, ledger, contacts, throttling, cursors, secrets (SQLite v1–v5)", statements: [
            """
            CREATE TABLE session (
                id TEXT PRIMARY KEY, csrf_token TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, last_seen DOUBLE PRECISION NOT NULL,
                patient_key TEXT, patient_name TEXT, birth_date TEXT, cards TEXT)
            """,
            "CREATE INDEX session_by_last_seen ON session(last_seen)",
            """
            CREATE TABLE ledger (
                request_id TEXT PRIMARY KEY, patient_key TEXT NOT NULL, clinic_id TEXT NOT NULL, slot_id TEXT NOT NULL, mis_patient_id TEXT NOT NULL,
                appointment_id TEXT, ticket TEXT, clinic_name TEXT NOT NULL, clinic_address TEXT NOT NULL,
                clinic_phone TEXT NOT NULL, time_zone TEXT NOT NULL, federal_code TEXT NOT NULL, specialty_name TEXT NOT NULL,
                doctor_name TEXT NOT NULL, room TEXT NOT NULL, start DOUBLE PRECISION NOT NULL, "end" DOUBLE PRECISION NOT NULL, day TEXT NOT NULL,
                status TEXT NOT NULL, channel TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL, cancelled_at DOUBLE PRECISION, cancelled_by TEXT,
                cancel_reason TEXT, replaces TEXT, moved_to TEXT, doctor_id TEXT, specialty_id TEXT, referral TEXT, actor TEXT, cancelled_actor TEXT)
            """,
            "CREATE INDEX ledger_by_patient ON ledger(patient_key, status, day)",
            "CREATE UNIQUE INDEX ledger_by_appointment ON ledger(clinic_id, appointment_id) WHERE appointment_id IS NOT NULL",
            "CREATE INDEX ledger_pending ON ledger(created_at) WHERE status = 'pending'",
            "CREATE TABLE contact (patient_key TEXT PRIMARY KEY, phone TEXT, email TEXT, consent_at DOUBLE PRECISION NOT NULL)",
            "CREATE TABLE attempt (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
            "CREATE INDEX attempt_by_key ON attempt(key, at)",
            "CREATE TABLE change_cursor (clinic_id TEXT PRIMARY KEY, cursor TEXT NOT NULL, polled_at DOUBLE PRECISION NOT NULL)",
            "CREATE TABLE secret (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
        ]),
    ]
}
