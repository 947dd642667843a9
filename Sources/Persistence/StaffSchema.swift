/// The staff tables, the same in both backends (SQLite's v6, PostgreSQL's v3): accounts, their
/// sessions, and the audit trail, which refuses to be changed or shortened (a trigger; the hash chain
/// shows it if someone with the database's keys goes around it).
enum StaffSchema {
    enum Dialect { case sqlite, postgresql }

    static func statements(_ dialect: Dialect) -> [String] {
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        let integer = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let flag = dialect == .sqlite ? "INTEGER NOT NULL DEFAULT 0" : "BOOLEAN NOT NULL DEFAULT FALSE"
        var statements = [
            """
            CREATE TABLE account (id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
                password_hash TEXT NOT NULL, created_at \(real) NOT NULL, disabled_at \(real), must_change_password \(flag))
            """,
            """
            CREATE TABLE staff_session (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES account(id), csrf_token TEXT NOT NULL,
                created_at \(real) NOT NULL, last_seen \(real) NOT NULL, search TEXT, caller TEXT)
            """,
            "CREATE INDEX staff_session_by_account ON staff_session(account_id)",
            "CREATE INDEX staff_session_by_last_seen ON staff_session(last_seen)",
            """
            CREATE TABLE audit (sequence \(integer) PRIMARY KEY, at_ms \(integer) NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, patient_key TEXT,
                detail TEXT NOT NULL, address TEXT, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
            "CREATE INDEX audit_by_actor ON audit(actor, at_ms)",
            "CREATE INDEX audit_by_patient ON audit(patient_key, at_ms)",
            "CREATE INDEX audit_by_time ON audit(at_ms)",
            // Who took the consent to contacts: empty when the patient gave it on the site, `operator:<account>` when by phone.
            "ALTER TABLE contact ADD COLUMN consent_by TEXT",
        ]
        switch dialect {
        case .sqlite:
            statements += [
                "CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
                "CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
            ]
        case .postgresql:
            statements += [
                "CREATE FUNCTION registry_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
                "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION registry_audit_append_only()",
            ]
        }
        return statements
    }

    /// The clinics of a clinic role's account, ids joined by commas (SQLite's v11, PostgreSQL's v8).
    static let clinicsColumn = "ALTER TABLE account ADD COLUMN clinics TEXT NOT NULL DEFAULT ''"
}
