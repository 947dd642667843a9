import Foundation
import PostgresNIO

// Kiosks on PostgreSQL; AppDatabase+Kiosks means the same.

extension PostgresStore {
    public func createKiosk(_ kiosk: KioskRecord, tokenHash: String) async throws {
        let created = kiosk.createdAt.timeIntervalSince1970
        do {
            try await write {
                _ = try await client.query("""
                    INSERT INTO kiosk (id, name, clinic_id, token_hash, created_at, created_by, network)
                    VALUES (\(kiosk.id), \(kiosk.name), \(kiosk.clinicID), \(tokenHash), \(created), \(kiosk.createdBy), \(kiosk.network))
                    """, logger: logger)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw KioskTokenTaken()
        }
    }

    public func kiosk(tokenHash: String) async throws -> KioskRecord? {
        try await kiosks(where: "SELECT * FROM kiosk WHERE token_hash = \(tokenHash)").first
    }

    public func kiosk(id: String) async throws -> KioskRecord? {
        try await kiosks(where: "SELECT * FROM kiosk WHERE id = \(id)").first
    }

    public func kiosks() async throws -> [KioskRecord] {
        try await kiosks(where: "SELECT * FROM kiosk ORDER BY created_at DESC, id")
    }

    @discardableResult
    public func revokeKiosk(id: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970
        return try await write {
            // One statement: the token stops working and whoever stands at the kiosk is signed out.
            let rows = try await client.query("""
                WITH ended AS (DELETE FROM session WHERE kiosk_id = \(id))
                UPDATE kiosk SET revoked_at = \(at) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }

    public func kioskStarted(id: String, now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write { _ = try await client.query("UPDATE kiosk SET started_at = \(at) WHERE id = \(id)", logger: logger) }
    }

    @discardableResult
    public func deleteExpiredKioskSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - idleTimeout
        return try await write { try await count("DELETE FROM session WHERE kiosk_id IS NOT NULL AND last_seen < \(cutoff) RETURNING 1") }
    }

    private func kiosks(where query: PostgresQuery) async throws -> [KioskRecord] {
        try await read {
            try await client.query(query, logger: logger).collect().map { row in
                let row = row.makeRandomAccess()
                return KioskRecord(id: try row["id"].decode(String.self), name: try row["name"].decode(String.self), clinicID: try row["clinic_id"].decode(String.self),
                                   createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)), createdBy: try row["created_by"].decode(String.self),
                                   revokedAt: try row["revoked_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)),
                                   startedAt: try row["started_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)),
                                   network: try row["network"].decode(String?.self))
            }
        }
    }
}
