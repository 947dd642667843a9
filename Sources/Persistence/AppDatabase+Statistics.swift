import Foundation
import GRDB

// The statistics' figures on SQLite; PostgresStore+Statistics means the same.

extension AppDatabase {
    public func replaceStatistics(clinic: String, days: [String], counts: [StatisticCount], names: [StatisticName], now: Date) async throws {
        try await timedWrite { db in
            let forget = try db.cachedStatement(sql: "DELETE FROM stat_count WHERE basis IN ('made', 'visit') AND day = ? AND clinic = ?")
            let filled = try db.cachedStatement(sql: "INSERT INTO stat_filled (clinic, day, filled_at) VALUES (?, ?, ?) ON CONFLICT (clinic, day) DO UPDATE SET filled_at = excluded.filled_at")
            for day in days {
                try forget.execute(arguments: [day, clinic])
                try filled.execute(arguments: [clinic, day, now.timeIntervalSince1970])
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO stat_count (basis, day, clinic, metric, key, value) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (basis, metric, day, clinic, key) DO UPDATE SET value = value + excluded.value
                """)
            for count in counts {
                try insert.execute(arguments: [count.basis.rawValue, count.day, count.clinic, count.metric, count.key, count.value])
            }
            let name = try db.cachedStatement(sql: "INSERT INTO stat_name (kind, id, name) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name")
            for named in names { try name.execute(arguments: [named.kind, named.id, named.name]) }
        }
    }

    public func addStatistic(_ count: StatisticCount) async throws {
        try await timedWrite { db in
            try db.cachedStatement(sql: """
                INSERT INTO stat_count (basis, day, clinic, metric, key, value) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (basis, metric, day, clinic, key) DO UPDATE SET value = value + excluded.value
                """).execute(arguments: [count.basis.rawValue, count.day, count.clinic, count.metric, count.key, count.value])
        }
    }

    public func statistics(_ query: StatisticQuery) throws -> [StatisticTotal] {
        let (sql, arguments) = Self.statisticsSQL(query)
        return try timedRead { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)).map { row in
                StatisticTotal(metric: row["metric"], key: row["key"], day: row["day"], clinic: row["clinic"], value: row["total"])
            }
        }
    }

    /// The query's SQL and its values, in order (`?` marks).
    static func statisticsSQL(_ query: StatisticQuery) -> (String, [String]) {
        let day = query.byDay ? "day" : "''", clinic = query.byClinic ? "clinic" : "''"
        var arguments = [query.basis.rawValue] + query.metrics + [query.from, query.to]
        var sql = """
            SELECT metric, key, \(day) AS day, \(clinic) AS clinic, SUM(value) AS total FROM stat_count
            WHERE basis = ? AND metric IN (\(Array(repeating: "?", count: query.metrics.count).joined(separator: ", "))) AND day BETWEEN ? AND ?
            """
        if let clinics = query.clinics {
            sql += " AND clinic IN (\(clinics.isEmpty ? "NULL" : Array(repeating: "?", count: clinics.count).joined(separator: ", ")))"
            arguments += clinics
        }
        sql += " GROUP BY metric, key\(query.byDay ? ", day" : "")\(query.byClinic ? ", clinic" : "") ORDER BY metric, key, day, clinic"
        return (sql, arguments)
    }

    public func lastFilledStatisticDay(clinic: String) throws -> String? {
        try timedRead { db in try String.fetchOne(db, sql: "SELECT MAX(day) FROM stat_filled WHERE clinic = ?", arguments: [clinic]) }
    }

    public func statisticNames(kind: String) throws -> [String: String] {
        try timedRead { db in
            try Dictionary(Row.fetchAll(db, sql: "SELECT id, name FROM stat_name WHERE kind = ?", arguments: [kind]).map { ($0["id"] as String, $0["name"] as String) },
                           uniquingKeysWith: { first, _ in first })
        }
    }
}
