/// The kiosk tables, the same in both backends (SQLite's v7, PostgreSQL's v4): registered kiosks
/// with the hash of each one's device token, and the kiosk a patient's session belongs to (a
/// session made at a kiosk is good there only, and a kiosk holds one such session at a time).
enum KioskSchema {
    static func statements(_ dialect: StaffSchema.Dialect) -> [String] {
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE kiosk (id TEXT PRIMARY KEY, name TEXT NOT NULL, clinic_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
                created_at \(real) NOT NULL, created_by TEXT NOT NULL, revoked_at \(real), started_at \(real))
            """,
            "ALTER TABLE session ADD COLUMN kiosk_id TEXT",
            "CREATE INDEX session_by_kiosk ON session(kiosk_id) WHERE kiosk_id IS NOT NULL",
        ]
    }
}
