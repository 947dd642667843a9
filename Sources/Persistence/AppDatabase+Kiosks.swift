import Foundation
import GRDB

// Kiosks on SQLite; PostgresStore+Kiosks means the same.

extension AppDatabase {
    public func createKiosk(_ kiosk: KioskRecord, tokenHash: String) async throws {
        do {
            try await timedWrite { db in
                try db.execute(sql: "INSERT INTO kiosk (id, name, clinic_id, token_hash, created_at, created_by, network) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [kiosk.id, kiosk.name, kiosk.clinicID, tokenHash, kiosk.createdAt.timeIntervalSince1970, kiosk.createdBy, kiosk.network])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw KioskTokenTaken()
        }
    }

    public func kiosk(tokenHash: String) throws -> KioskRecord? {
        try readOneStatement { db in try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM kiosk WHERE token_hash = ?"), arguments: [tokenHash]).map(Self.kiosk) }
    }

    public func kiosk(id: String) throws -> KioskRecord? {
        try readOneStatement { db in try Row.fetchOne(db, sql: "SELECT * FROM kiosk WHERE id = ?", arguments: [id]).map(Self.kiosk) }
    }

    public func kiosks() throws -> [KioskRecord] {
        try readOneStatement { db in try Row.fetchAll(db, sql: "SELECT * FROM kiosk ORDER BY created_at DESC, id").map(Self.kiosk) }
    }

    @discardableResult
    public func revokeKiosk(id: String, now: Date) async throws -> Bool {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE kiosk SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now.timeIntervalSince1970, id])
            let revoked = db.changesCount > 0
            try db.execute(sql: "DELETE FROM session WHERE kiosk_id = ?", arguments: [id])
            return revoked
        }
    }

    public func kioskStarted(id: String, now: Date) async throws {
        try await timedWrite { db in try db.execute(sql: "UPDATE kiosk SET started_at = ? WHERE id = ?", arguments: [now.timeIntervalSince1970, id]) }
    }

    @discardableResult
    public func deleteExpiredKioskSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int {
        try await timedWrite { db in
            try db.execute(sql: "DELETE FROM session WHERE kiosk_id IS NOT NULL AND last_seen < ?", arguments: [now.timeIntervalSince1970 - idleTimeout])
            return db.changesCount
        }
    }

    private static func kiosk(_ row: Row) -> KioskRecord {
        KioskRecord(id: row["id"], name: row["name"], clinicID: row["clinic_id"], createdAt: Date(timeIntervalSince1970: row["created_at"]), createdBy: row["created_by"],
                    revokedAt: (row["revoked_at"] as Double?).map(Date.init(timeIntervalSince1970:)), startedAt: (row["started_at"] as Double?).map(Date.init(timeIntervalSince1970:)), network: row["network"])
    }
}
