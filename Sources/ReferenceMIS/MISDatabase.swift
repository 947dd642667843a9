import Booking
import Foundation
import GRDB

/// The reference MIS's own SQLite database: its only door, as GRDB's `AppDatabase` pattern has it.
/// Schedules, patients and appointments live here; every write is one transaction.
public struct MISDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, in WAL mode, and migrates it.
    public static func open(path: String) throws -> MISDatabase {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.busyMode = .timeout(5)
        return try MISDatabase(writer: DatabasePool(path: path, configuration: configuration))
    }

    /// A fresh in-memory database, for tests.
    public static func inMemory() throws -> MISDatabase {
        try MISDatabase(writer: DatabaseQueue())
    }

    /// Reads from a consistent snapshot, for tools, benchmarks and tests.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(body)
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Append-only migrations; never edit one that has shipped.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: region, schedules, patients, appointments") { db in
            try db.execute(sql: """
                CREATE TABLE district (id TEXT PRIMARY KEY, name TEXT NOT NULL, okato TEXT NOT NULL);
                CREATE TABLE clinic (
                    id TEXT PRIMARY KEY, district_id TEXT NOT NULL REFERENCES district(id), full_name TEXT NOT NULL,
                    short_name TEXT NOT NULL, address TEXT NOT NULL, phone TEXT NOT NULL, oid TEXT NOT NULL, time_zone TEXT NOT NULL);
                CREATE TABLE specialty (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, federal_code TEXT NOT NULL, self_booking TEXT NOT NULL,
                    min_age INTEGER, max_age INTEGER, requires_attachment INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE doctor (
                    id TEXT PRIMARY KEY, clinic_id TEXT NOT NULL REFERENCES clinic(id), specialty_id TEXT NOT NULL REFERENCES specialty(id),
                    name TEXT NOT NULL, district TEXT, room TEXT NOT NULL, slot_minutes INTEGER NOT NULL);
                CREATE INDEX doctor_by_clinic ON doctor(clinic_id, specialty_id);
                CREATE TABLE working_pattern (
                    doctor_id TEXT NOT NULL REFERENCES doctor(id), weekday INTEGER NOT NULL, start_minute INTEGER NOT NULL,
                    end_minute INTEGER NOT NULL, break_start INTEGER, break_end INTEGER, PRIMARY KEY (doctor_id, weekday));
                CREATE TABLE holiday (clinic_id TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY (clinic_id, day));
                CREATE TABLE slot (
                    id INTEGER PRIMARY KEY, doctor_id TEXT NOT NULL REFERENCES doctor(id), clinic_id TEXT NOT NULL,
                    start INTEGER NOT NULL, "end" INTEGER NOT NULL, day TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (doctor_id, start));
                CREATE INDEX slot_by_day ON slot(clinic_id, day);
                CREATE TABLE patient (
                    id TEXT PRIMARY KEY, policy TEXT NOT NULL, birth_date TEXT NOT NULL, last_name TEXT NOT NULL,
                    first_name TEXT NOT NULL, middle_name TEXT NOT NULL, sex TEXT NOT NULL, document TEXT NOT NULL,
                    snils TEXT, address TEXT NOT NULL);
                CREATE INDEX patient_by_policy ON patient(policy, birth_date);
                CREATE TABLE attachment (
                    patient_id TEXT NOT NULL REFERENCES patient(id), clinic_id TEXT NOT NULL REFERENCES clinic(id),
                    district TEXT NOT NULL, PRIMARY KEY (patient_id, clinic_id));
                CREATE TABLE dispensary (
                    patient_id TEXT NOT NULL REFERENCES patient(id), specialty_id TEXT NOT NULL REFERENCES specialty(id),
                    PRIMARY KEY (patient_id, specialty_id));
                CREATE TABLE appointment (
                    id INTEGER PRIMARY KEY, clinic_id TEXT NOT NULL, slot_id INTEGER NOT NULL REFERENCES slot(id),
                    patient_id TEXT NOT NULL REFERENCES patient(id), doctor_id TEXT NOT NULL, specialty_id TEXT NOT NULL,
                    day TEXT NOT NULL, status TEXT NOT NULL, channel TEXT NOT NULL, request_id TEXT UNIQUE, ticket TEXT NOT NULL,
                    referral TEXT, created_at INTEGER NOT NULL, cancelled_at INTEGER, cancelled_by TEXT, cancel_reason TEXT);
                -- The database itself refuses a second active appointment for a slot.
                CREATE UNIQUE INDEX one_active_appointment_per_slot ON appointment(slot_id) WHERE status = 'active';
                CREATE INDEX appointment_by_patient ON appointment(patient_id, specialty_id, day);
                CREATE TABLE change_log (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT, clinic_id TEXT NOT NULL, appointment_id INTEGER NOT NULL,
                    patient_id TEXT NOT NULL, kind TEXT NOT NULL, previous_start INTEGER NOT NULL, new_start INTEGER,
                    at INTEGER NOT NULL, reason TEXT);
                CREATE INDEX change_log_by_clinic ON change_log(clinic_id, sequence);
                """)
        }
        migrator.registerMigration("v2: old policies found whichever way their space is typed") { db in
            try db.execute(sql: "CREATE INDEX patient_by_compact_policy ON patient(replace(policy, ' ', ''), birth_date)")
        }
        migrator.registerMigration("v3: the change log names who made each change and the appointment a reschedule made") { db in
            try db.execute(sql: """
                ALTER TABLE change_log ADD COLUMN made_by TEXT;
                ALTER TABLE change_log ADD COLUMN new_appointment_id INTEGER;
                """)
        }
        migrator.registerMigration("v4: a patient's cards are kept per clinic (the attached clinic's at least)") { db in
            try db.execute(sql: """
                CREATE TABLE card (
                    patient_id TEXT NOT NULL REFERENCES patient(id), clinic_id TEXT NOT NULL REFERENCES clinic(id),
                    PRIMARY KEY (patient_id, clinic_id));
                INSERT INTO card SELECT patient_id, clinic_id FROM attachment;
                """)
        }
        migrator.registerMigration("v5: referrals, issued by a clinic for one patient and specialty, used once") { db in
            try db.execute(sql: """
                CREATE TABLE referral (
                    number TEXT PRIMARY KEY, patient_id TEXT NOT NULL REFERENCES patient(id), clinic_id TEXT NOT NULL REFERENCES clinic(id),
                    specialty_id TEXT NOT NULL, issued_by TEXT NOT NULL, valid_until TEXT NOT NULL, used_appointment_id INTEGER);
                """)
        }
        migrator.registerMigration("v6: who acted within the channel, for each booking and each cancellation") { db in
            try db.execute(sql: """
                ALTER TABLE appointment ADD COLUMN actor TEXT;
                ALTER TABLE appointment ADD COLUMN cancelled_actor TEXT;
                """)
        }
        migrator.registerMigration("v7: the days of each clinic whose slots are written") { db in
            try db.execute(sql: "CREATE TABLE opened_day (clinic_id TEXT NOT NULL REFERENCES clinic(id), day TEXT NOT NULL, PRIMARY KEY (clinic_id, day))")
        }
        migrator.registerMigration("v8: referrals matched with their separators left out, and freed by a cancellation") { db in
            try db.execute(sql: "ALTER TABLE referral ADD COLUMN number_key TEXT NOT NULL DEFAULT ''")
            for number in try String.fetchAll(db, sql: "SELECT number FROM referral") {
                try db.execute(sql: "UPDATE referral SET number_key = ? WHERE number = ?", arguments: [ReferralNumber.matchingKey(number), number])
            }
            try db.execute(sql: """
                CREATE INDEX referral_by_key ON referral(number_key, patient_id, clinic_id);
                UPDATE referral SET used_appointment_id = NULL
                WHERE used_appointment_id IN (SELECT id FROM appointment WHERE status = 'cancelled');
                """)
        }
        migrator.registerMigration("v9: a patient's phone, when the clinic has one") { db in
            try db.execute(sql: "ALTER TABLE patient ADD COLUMN phone TEXT")
        }
        migrator.registerMigration("v10: every booking of a slot found by the slot (GetSchedule of a clinic with weeks of history)") { db in
            try db.execute(sql: "CREATE INDEX appointment_by_slot ON appointment(slot_id)")
        }
        migrator.registerMigration("v11: reservations (a card or a person's own data), displaced entries, clinics that approve channels") { db in
            // SQLite cannot make a column nullable in place: the appointment table is rebuilt, its rows kept.
            try db.execute(sql: """
                CREATE TABLE appointment_v11 (
                    id INTEGER PRIMARY KEY, clinic_id TEXT NOT NULL, slot_id INTEGER NOT NULL REFERENCES slot(id),
                    patient_id TEXT REFERENCES patient(id), doctor_id TEXT NOT NULL, specialty_id TEXT NOT NULL,
                    day TEXT NOT NULL, status TEXT NOT NULL, channel TEXT NOT NULL, request_id TEXT UNIQUE, ticket TEXT NOT NULL,
                    referral TEXT, created_at INTEGER NOT NULL, cancelled_at INTEGER, cancelled_by TEXT, cancel_reason TEXT,
                    actor TEXT, cancelled_actor TEXT,
                    person_last_name TEXT, person_first_name TEXT, person_middle_name TEXT, person_birth_date TEXT, person_sex TEXT,
                    person_policy TEXT, person_snils TEXT, person_phone TEXT,
                    refusal TEXT, displaced_status TEXT, decided_at INTEGER, decided_actor TEXT,
                    CHECK (patient_id IS NOT NULL OR (person_policy IS NOT NULL AND status IN ('reserved', 'displaced', 'cancelled'))));
                INSERT INTO appointment_v11 (id, clinic_id, slot_id, patient_id, doctor_id, specialty_id, day, status, channel, request_id, ticket,
                    referral, created_at, cancelled_at, cancelled_by, cancel_reason, actor, cancelled_actor)
                SELECT id, clinic_id, slot_id, patient_id, doctor_id, specialty_id, day, status, channel, request_id, ticket,
                    referral, created_at, cancelled_at, cancelled_by, cancel_reason, actor, cancelled_actor FROM appointment;
                DROP TABLE appointment;
                ALTER TABLE appointment_v11 RENAME TO appointment;
                -- The database itself refuses a second holder of a slot: an appointment or a reservation.
                CREATE UNIQUE INDEX one_holder_per_slot ON appointment(slot_id) WHERE status IN ('active', 'reserved');
                CREATE INDEX appointment_by_patient ON appointment(patient_id, specialty_id, day);
                CREATE INDEX appointment_by_slot ON appointment(slot_id);
                CREATE INDEX appointment_by_person ON appointment(person_policy, person_birth_date) WHERE person_policy IS NOT NULL;
                CREATE INDEX appointment_awaiting ON appointment(clinic_id, created_at) WHERE status IN ('reserved', 'displaced');
                ALTER TABLE clinic ADD COLUMN approves TEXT NOT NULL DEFAULT '';
                ALTER TABLE change_log ADD COLUMN refusal TEXT;
                """)
        }
        return migrator
    }
}
