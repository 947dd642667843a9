import Foundation
import PostgresNIO

// The statistics' figures on PostgreSQL; AppDatabase+Statistics means the same.

extension PostgresStore {
    public func replaceStatistics(clinic: String, days: [String], counts: [StatisticCount], names: [StatisticName], now: Date) async throws {
        let at = now.timeIntervalSince1970
        // Figures of one key summed first: one row each, as the primary key wants.
        var summed: [String: StatisticCount] = [:]
        for count in counts {
            let key = [count.basis.rawValue, count.metric, count.day, count.clinic, count.key].joined(separator: "\u{1F}")
            summed[key] = StatisticCount(basis: count.basis, day: count.day, clinic: count.clinic, metric: count.metric, key: count.key, value: (summed[key]?.value ?? 0) + count.value)
        }
        let rows = Array(summed.values)
        // Names of one id given twice: the last one (one row each, as the primary key wants).
        let names = Array(Dictionary(names.map { ($0.kind + "\u{1F}" + $0.id, $0) }, uniquingKeysWith: { _, last in last }).values)
        try await write {
            try await client.withTransaction(logger: logger) { connection in
                // Two nodes filling one clinic at once take turns: each replaces what the other wrote, never adds to it.
                try await connection.query("SELECT pg_advisory_xact_lock(727003, hashtext(\(clinic)))", logger: logger)
                try await connection.query("DELETE FROM stat_count WHERE basis IN ('made', 'visit') AND clinic = \(clinic) AND day = ANY(\(days))", logger: logger)
                try await connection.query("""
                    INSERT INTO stat_filled (clinic, day, filled_at) SELECT \(clinic), day, \(at) FROM UNNEST(\(days)::text[]) AS given(day)
                    ON CONFLICT (clinic, day) DO UPDATE SET filled_at = excluded.filled_at
                    """, logger: logger)
                // Whole columns in one statement each chunk: a year of a region is millions of figures.
                for start in stride(from: 0, to: rows.count, by: 10_000) {
                    let chunk = rows[start..<min(start + 10_000, rows.count)]
                    try await connection.query("""
                        INSERT INTO stat_count (basis, day, clinic, metric, key, value)
                        SELECT * FROM UNNEST(\(chunk.map(\.basis.rawValue))::text[], \(chunk.map(\.day))::text[], \(chunk.map(\.clinic))::text[],
                                             \(chunk.map(\.metric))::text[], \(chunk.map(\.key))::text[], \(chunk.map { Int64($0.value) })::bigint[])
                        ON CONFLICT (basis, metric, day, clinic, key) DO UPDATE SET value = stat_count.value + excluded.value
                        """, logger: logger)
                }
                if !names.isEmpty {
                    try await connection.query("""
                        INSERT INTO stat_name (kind, id, name) SELECT * FROM UNNEST(\(names.map(\.kind))::text[], \(names.map(\.id))::text[], \(names.map(\.name))::text[])
                        ON CONFLICT (kind, id) DO UPDATE SET name = excluded.name
                        """, logger: logger)
                }
            }
        }
    }

    public func addStatistic(_ count: StatisticCount) async throws {
        try await write {
            _ = try await client.query("""
                INSERT INTO stat_count (basis, day, clinic, metric, key, value)
                VALUES (\(count.basis.rawValue), \(count.day), \(count.clinic), \(count.metric), \(count.key), \(Int64(count.value)))
                ON CONFLICT (basis, metric, day, clinic, key) DO UPDATE SET value = stat_count.value + excluded.value
                """, logger: logger)
        }
    }

    public func statistics(_ query: StatisticQuery) async throws -> [StatisticTotal] {
        let day: PostgresQuery = query.byDay ? "day" : "''", clinic: PostgresQuery = query.byClinic ? "clinic" : "''"
        let grouping = (query.byDay ? ", day" : "") + (query.byClinic ? ", clinic" : "")
        let clinics = query.clinics
        return try await read {
            let rows = try await client.query("""
                SELECT metric, key, \(unescaped: day.sql) AS day, \(unescaped: clinic.sql) AS clinic, SUM(value)::bigint AS total FROM stat_count
                WHERE basis = \(query.basis.rawValue) AND metric = ANY(\(query.metrics)) AND day BETWEEN \(query.from) AND \(query.to)
                  AND (\(clinics == nil) OR clinic = ANY(\(clinics ?? [])))
                GROUP BY metric, key\(unescaped: grouping) ORDER BY metric, key, day, clinic
                """, logger: logger).collect()
            return try rows.map { row in
                let columns = row.makeRandomAccess()
                return StatisticTotal(metric: try columns["metric"].decode(String.self), key: try columns["key"].decode(String.self), day: try columns["day"].decode(String.self),
                                      clinic: try columns["clinic"].decode(String.self), value: Int(try columns["total"].decode(Int64.self)))
            }
        }
    }

    public func lastFilledStatisticDay(clinic: String) async throws -> String? {
        try await read {
            try await client.query("SELECT MAX(day) AS day FROM stat_filled WHERE clinic = \(clinic)", logger: logger).collect().first?.makeRandomAccess()["day"].decode(String?.self)
        }
    }

    public func statisticNames(kind: String) async throws -> [String: String] {
        try await read {
            var names: [String: String] = [:]
            for row in try await client.query("SELECT id, name FROM stat_name WHERE kind = \(kind)", logger: logger).collect() {
                let columns = row.makeRandomAccess()
                names[try columns["id"].decode(String.self)] = try columns["name"].decode(String.self)
            }
            return names
        }
    }
}
