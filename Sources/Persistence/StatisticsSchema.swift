/// The statistics tables, the same in both backends (SQLite's v12, PostgreSQL's v9): counted
/// figures without personal data, the days each clinic's figures were filled from its MIS, and the
/// names the figures show.
enum StatisticsSchema {
    enum Dialect { case sqlite, postgresql }

    static func statements(_ dialect: Dialect) -> [String] {
        let integer = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            """
            CREATE TABLE stat_count (basis TEXT NOT NULL, day TEXT NOT NULL, clinic TEXT NOT NULL, metric TEXT NOT NULL, key TEXT NOT NULL,
                value \(integer) NOT NULL, PRIMARY KEY (basis, metric, day, clinic, key))
            """,
            // A fill replaces one clinic's days: found without reading the other clinics' figures.
            "CREATE INDEX stat_count_by_clinic_day ON stat_count(clinic, day)",
            "CREATE TABLE stat_filled (clinic TEXT NOT NULL, day TEXT NOT NULL, filled_at \(real) NOT NULL, PRIMARY KEY (clinic, day))",
            "CREATE TABLE stat_name (kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, id))",
        ]
    }
}
