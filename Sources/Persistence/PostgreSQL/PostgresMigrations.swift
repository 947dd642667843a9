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
        Migration(name: "v2: a booking attempt begins in one statement (idempotency and rule 2 under the patient's lock)", statements: [
            """
            CREATE FUNCTION registry_begin_booking(
                p_request_id TEXT, p_patient_key TEXT, p_clinic_id TEXT, p_slot_id TEXT, p_mis_patient_id TEXT, p_appointment_id TEXT,
                p_ticket TEXT, p_clinic_name TEXT, p_clinic_address TEXT, p_clinic_phone TEXT, p_time_zone TEXT, p_federal_code TEXT,
                p_specialty_name TEXT, p_doctor_name TEXT, p_room TEXT, p_start DOUBLE PRECISION, p_end DOUBLE PRECISION, p_day TEXT,
                p_status TEXT, p_channel TEXT, p_created_at DOUBLE PRECISION, p_replaces TEXT, p_doctor_id TEXT, p_specialty_id TEXT,
                p_referral TEXT, p_actor TEXT
            ) RETURNS SETOF ledger LANGUAGE plpgsql AS $$
            BEGIN
                -- The patient's attempts take turns until the statement's transaction ends.
                PERFORM pg_advisory_xact_lock(hashtext(p_patient_key));
                -- The same attempt again: the entry it made.
                RETURN QUERY SELECT * FROM ledger WHERE request_id = p_request_id;
                IF FOUND THEN RETURN; END IF;
                -- Rule 2: another time of this specialty that day, held or being booked (other than the one a move replaces).
                RETURN QUERY SELECT * FROM ledger WHERE patient_key = p_patient_key AND federal_code = p_federal_code AND day = p_day
                    AND status IN ('pending', 'active') AND request_id IS DISTINCT FROM p_replaces LIMIT 1;
                IF FOUND THEN RETURN; END IF;
                RETURN QUERY WITH inserted AS (
                    INSERT INTO ledger (request_id, patient_key, clinic_id, slot_id, mis_patient_id, appointment_id, ticket, clinic_name, clinic_address,
                        clinic_phone, time_zone, federal_code, specialty_name, doctor_name, room, start, "end", day, status, channel, created_at, replaces,
                        doctor_id, specialty_id, referral, actor)
                    VALUES (p_request_id, p_patient_key, p_clinic_id, p_slot_id, p_mis_patient_id, p_appointment_id, p_ticket, p_clinic_name, p_clinic_address,
                        p_clinic_phone, p_time_zone, p_federal_code, p_specialty_name, p_doctor_name, p_room, p_start, p_end, p_day, p_status, p_channel,
                        p_created_at, p_replaces, p_doctor_id, p_specialty_id, p_referral, p_actor)
                    ON CONFLICT (request_id) DO NOTHING RETURNING *
                ) SELECT * FROM inserted;
            END
            $$
            """,
        ]),
        Migration(name: "v3: staff accounts, their sessions, the audit trail (SQLite v6)", statements: StaffSchema.statements(.postgresql)),
        Migration(name: "v4: kiosks, and the kiosk a session belongs to (SQLite v7)", statements: KioskSchema.statements(.postgresql)),
        Migration(name: "v5: the notification outbox and the waiting list (SQLite v8)", statements: OutboxSchema.statements(.postgresql)),
        Migration(name: "v6: a kiosk bound to the address or network it stands in (SQLite v9)", statements: ["ALTER TABLE kiosk ADD COLUMN network TEXT"]),
        Migration(name: "v7: contacts confirmed before they receive anything (SQLite v10)", statements: ContactConfirmationSchema.statements(.postgresql)),
        Migration(name: "v8: the clinics a registrar or head of clinic works for (SQLite v11)", statements: [StaffSchema.clinicsColumn]),
        Migration(name: "v9: statistics: figures without personal data, the days filled, the names shown (SQLite v12)", statements: StatisticsSchema.statements(.postgresql)),
        Migration(name: "v10: a reservation awaiting the clinic holds its time for rule 2 like an appointment", statements: [
            """
            CREATE OR REPLACE FUNCTION registry_begin_booking(
                p_request_id TEXT, p_patient_key TEXT, p_clinic_id TEXT, p_slot_id TEXT, p_mis_patient_id TEXT, p_appointment_id TEXT,
                p_ticket TEXT, p_clinic_name TEXT, p_clinic_address TEXT, p_clinic_phone TEXT, p_time_zone TEXT, p_federal_code TEXT,
                p_specialty_name TEXT, p_doctor_name TEXT, p_room TEXT, p_start DOUBLE PRECISION, p_end DOUBLE PRECISION, p_day TEXT,
                p_status TEXT, p_channel TEXT, p_created_at DOUBLE PRECISION, p_replaces TEXT, p_doctor_id TEXT, p_specialty_id TEXT,
                p_referral TEXT, p_actor TEXT
            ) RETURNS SETOF ledger LANGUAGE plpgsql AS $$
            BEGIN
                -- The patient's attempts take turns until the statement's transaction ends.
                PERFORM pg_advisory_xact_lock(hashtext(p_patient_key));
                -- The same attempt again: the entry it made.
                RETURN QUERY SELECT * FROM ledger WHERE request_id = p_request_id;
                IF FOUND THEN RETURN; END IF;
                -- Rule 2: another time of this specialty that day, held or being booked (other than the one a move replaces).
                RETURN QUERY SELECT * FROM ledger WHERE patient_key = p_patient_key AND federal_code = p_federal_code AND day = p_day
                    AND status IN ('pending', 'active', 'awaiting') AND request_id IS DISTINCT FROM p_replaces LIMIT 1;
                IF FOUND THEN RETURN; END IF;
                RETURN QUERY WITH inserted AS (
                    INSERT INTO ledger (request_id, patient_key, clinic_id, slot_id, mis_patient_id, appointment_id, ticket, clinic_name, clinic_address,
                        clinic_phone, time_zone, federal_code, specialty_name, doctor_name, room, start, "end", day, status, channel, created_at, replaces,
                        doctor_id, specialty_id, referral, actor)
                    VALUES (p_request_id, p_patient_key, p_clinic_id, p_slot_id, p_mis_patient_id, p_appointment_id, p_ticket, p_clinic_name, p_clinic_address,
                        p_clinic_phone, p_time_zone, p_federal_code, p_specialty_name, p_doctor_name, p_room, p_start, p_end, p_day, p_status, p_channel,
                        p_created_at, p_replaces, p_doctor_id, p_specialty_id, p_referral, p_actor)
                    ON CONFLICT (request_id) DO NOTHING RETURNING *
                ) SELECT * FROM inserted;
            END
            $$
            """,
        ]),
        Migration(name: "v11: the federal portal's door: its feed of changes, the nonces it used (SQLite v13)", statements: FederalDoorSchema.statements(.postgresql)),
    ]
}
