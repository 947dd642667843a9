import Crypto
import Foundation
import GRDB

/// The registry's own database — sessions, the booking ledger, contacts with consent, throttling
/// counters — and the only door to it. Every write is one named transaction.
public struct AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// Who each session belongs to, decoded once: it never changes for a session id (identifying
    /// again makes a new one). Read only after the session's row is found.
    let sessionPatients = SessionPatients()
    let timers = DatabaseTimers(backend: "sqlite")
    /// Keys the audit trail's chain (`AuditKey`); held by the process, never written to the database.
    public var auditKey: AuditKey?

    /// Opens (creating if needed) the database at `path` in WAL mode and migrates it. Every commit
    /// reaches the disk before it returns (`synchronous = FULL`): WAL's `NORMAL`, which GRDB sets
    /// on opening a pool, may lose the last commits — a booking made — to a power cut.
    public static func open(path: String) throws -> AppDatabase {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        return try AppDatabase(writer: pool)
    }

    /// How the writer's commits reach the disk (`PRAGMA synchronous`: 2 is FULL).
    func writerSynchronous() throws -> Int {
        try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// A fresh in-memory database, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(writer: DatabaseQueue())
    }

    /// Whether the database answers a query now (readiness).
    public func isReachable() -> Bool {
        (try? writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// A read of a single SELECT, which SQLite runs atomically by itself: without the read
    /// transaction GRDB would wrap around it (two more statements on every page of a signed-in patient).
    func readOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try timedRead(unsafe: true, body)
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Append-only; never edit a migration that has shipped.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sessions, ledger, contacts, throttling") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id TEXT PRIMARY KEY, csrf_token TEXT NOT NULL, created_at REAL NOT NULL, last_seen REAL NOT NULL,
                    patient_key TEXT, patient_name TEXT, birth_date TEXT, clinic_patients TEXT);
                CREATE INDEX session_by_last_seen ON session(last_seen);
                CREATE TABLE ledger (
                    request_id TEXT PRIMARY KEY, patient_key TEXT NOT NULL, clinic_id TEXT NOT NULL, slot_id TEXT NOT NULL, mis_patient_id TEXT NOT NULL,
                    appointment_id TEXT, ticket TEXT, clinic_name TEXT NOT NULL, clinic_address TEXT NOT NULL,
                    clinic_phone TEXT NOT NULL, time_zone TEXT NOT NULL, federal_code TEXT NOT NULL, specialty_name TEXT NOT NULL,
                    doctor_name TEXT NOT NULL, room TEXT NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL, day TEXT NOT NULL,
                    status TEXT NOT NULL, channel TEXT NOT NULL, created_at REAL NOT NULL, cancelled_at REAL, cancelled_by TEXT);
                CREATE INDEX ledger_by_patient ON ledger(patient_key, status, day);
                CREATE UNIQUE INDEX ledger_by_appointment ON ledger(clinic_id, appointment_id) WHERE appointment_id IS NOT NULL;
                CREATE TABLE contact (
                    patient_key TEXT PRIMARY KEY, phone TEXT, email TEXT, consent_at REAL NOT NULL);
                CREATE TABLE attempt (key TEXT NOT NULL, at REAL NOT NULL);
                CREATE INDEX attempt_by_key ON attempt(key, at);
                """)
        }
        migrator.registerMigration("v2: clinic cards in sessions, clinic cancellations, change cursors") { db in
            try db.execute(sql: """
                ALTER TABLE session ADD COLUMN cards TEXT;
                ALTER TABLE ledger ADD COLUMN cancel_reason TEXT;
                CREATE TABLE change_cursor (clinic_id TEXT PRIMARY KEY, cursor TEXT NOT NULL, polled_at REAL NOT NULL);
                """)
        }
        migrator.registerMigration("v3: server secrets, pending ledger entries found fast") { db in
            try db.execute(sql: """
                CREATE TABLE secret (name TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE INDEX ledger_pending ON ledger(created_at) WHERE status = 'pending';
                """)
        }
        migrator.registerMigration("v4: moved appointments linked both ways, the doctor, specialty and referral of each booking") { db in
            try db.execute(sql: """
                ALTER TABLE ledger ADD COLUMN replaces TEXT;
                ALTER TABLE ledger ADD COLUMN moved_to TEXT;
                ALTER TABLE ledger ADD COLUMN doctor_id TEXT;
                ALTER TABLE ledger ADD COLUMN specialty_id TEXT;
                ALTER TABLE ledger ADD COLUMN referral TEXT;
                """)
        }
        migrator.registerMigration("v5: who acted at the desk for each booking and each cancellation (patient, kiosk, operator)") { db in
            try db.execute(sql: """
                ALTER TABLE ledger ADD COLUMN actor TEXT;
                ALTER TABLE ledger ADD COLUMN cancelled_actor TEXT;
                """)
        }
        migrator.registerMigration("v6: staff accounts, their sessions, the audit trail") { db in
            for statement in StaffSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v7: kiosks, and the kiosk a session belongs to") { db in
            for statement in KioskSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v8: the notification outbox and the waiting list") { db in
            for statement in OutboxSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v9: a kiosk bound to the address or network it stands in") { db in
            try db.execute(sql: "ALTER TABLE kiosk ADD COLUMN network TEXT")
        }
        migrator.registerMigration("v10: contacts confirmed before they receive anything") { db in
            for statement in ContactConfirmationSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11: the clinics a registrar or head of clinic works for") { db in
            try db.execute(sql: StaffSchema.clinicsColumn)
        }
        migrator.registerMigration("v12: statistics: figures without personal data, the days filled, the names shown") { db in
            for statement in StatisticsSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v13: the federal portal's door: its feed of changes, the nonces it used") { db in
            for statement in FederalDoorSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// The deployment's secret named `name` (256 random bits), made on first use and the same for
    /// every process on this database: it keys the registry's signed tokens.
    public func secret(named name: String) async throws -> [UInt8] {
        try await timedWrite { db in
            if let stored = try Data.fetchOne(db, sql: "SELECT value FROM secret WHERE name = ?", arguments: [name]) { return Array(stored) }
            let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            try db.execute(sql: "INSERT INTO secret (name, value) VALUES (?, ?)", arguments: [name, fresh])
            return Array(fresh)
        }
    }

    /// A stable pseudonym for a patient: the policy number never reaches the registry's database.
    public static func patientKey(policy: String, birthDate: String) -> String {
        hex(SHA256.hash(data: Data("\(policy)|\(birthDate)".utf8)))
    }

    /// A pseudonym for a policy alone, whatever birth date is typed with it: what guessing is counted by.
    public static func policyKey(policy: String) -> String {
        hex(SHA256.hash(data: Data("policy|\(policy)".utf8)))
    }

    /// Lower-case hex written as bytes (a `String` per digit had cost every identification and page).
    private static func hex(_ digest: SHA256.Digest) -> String {
        String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var at = 0
            for byte in digest {
                buffer[at] = hexDigits[Int(byte >> 4)]
                buffer[at + 1] = hexDigits[Int(byte & 0x0F)]
                at += 2
            }
            return at
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
