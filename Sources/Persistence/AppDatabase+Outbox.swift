import Foundation
import GRDB

// The notification outbox on SQLite; PostgresStore+Outbox means the same.

extension AppDatabase {
    /// Writes, inside the event's own transaction, one message per channel the patient of ledger
    /// entry `requestID` consented to (their contact's e-mail, their phone); an event already
    /// written (the same `kind` and `reference`) writes nothing.
    static func notify(_ db: Database, kind: OutboxMessage.Kind, reference: String, requestID: String, now: Date) throws {
        for (channel, column) in [(OutboxMessage.Channel.email, "email"), (.sms, "phone")] {
            try db.cachedStatement(sql: """
                INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, status, attempts, next_attempt_at, created_at)
                SELECT lower(hex(randomblob(16))), ?, c.patient_key, ?, c.\(column), ?, l.request_id, 'pending', 0, ?, ?
                FROM ledger l JOIN contact c ON c.patient_key = l.patient_key
                WHERE l.request_id = ? AND c.\(column) IS NOT NULL AND c.\(column) <> ''
                ON CONFLICT (idempotency_key) DO NOTHING
                """).execute(arguments: ["\(kind.rawValue):\(reference):\(channel.rawValue)", channel.rawValue, kind.rawValue, now.timeIntervalSince1970, now.timeIntervalSince1970, requestID])
        }
    }

    /// A contact changed or withdrawn: its pending messages to an address or phone no longer consented to are withdrawn.
    static func withdrawMessages(_ db: Database, patientKey: String, keepingEmail email: String?, phone: String?) throws {
        try db.execute(sql: """
            UPDATE outbox SET status = 'withdrawn' WHERE patient_key = ? AND status = 'pending'
                AND NOT ((channel = 'email' AND recipient IS ?) OR (channel = 'sms' AND recipient IS ?))
            """, arguments: [patientKey, email, phone])
    }

    public func claimDueMessages(now: Date, limit: Int, lease: TimeInterval) throws -> [OutboxMessage] {
        let at = now.timeIntervalSince1970
        return try timedWrite { db in
            try Row.fetchAll(db, sql: """
                UPDATE outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)
                             ORDER BY next_attempt_at, created_at LIMIT ?)
                RETURNING *
                """, arguments: [at + lease, at, at, limit]).map(Self.message)
        }
    }

    public func markMessageSent(id: String, now: Date) throws {
        try timedWrite { db in
            try db.execute(sql: "UPDATE outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL WHERE id = ? AND status = 'sending'",
                           arguments: [now.timeIntervalSince1970, id])
        }
    }

    public func markMessageFailed(id: String, error: String, retryAt: Date?) throws {
        try timedWrite { db in
            try db.execute(sql: """
                UPDATE outbox SET status = ?, next_attempt_at = coalesce(?, next_attempt_at), claimed_until = NULL, last_error = ? WHERE id = ? AND status = 'sending'
                """, arguments: [retryAt == nil ? "dead" : "pending", retryAt?.timeIntervalSince1970, String(error.prefix(500)), id])
        }
    }

    public func messages(patientKey: String) throws -> [OutboxMessage] {
        try readOneStatement { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE patient_key = ? ORDER BY created_at DESC, channel LIMIT 200", arguments: [patientKey]).map(Self.message)
        }
    }

    public func outboxCounts() throws -> [OutboxMessage.Status: Int] {
        try readOneStatement { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM outbox GROUP BY status").compactMap { row in
                OutboxMessage.Status(rawValue: row["status"]).map { ($0, row["n"] as Int) }
            })
        }
    }

    private static func message(_ row: Row) -> OutboxMessage {
        OutboxMessage(id: row["id"], idempotencyKey: row["idempotency_key"], patientKey: row["patient_key"], channel: OutboxMessage.Channel(rawValue: row["channel"]) ?? .email,
                      recipient: row["recipient"], kind: OutboxMessage.Kind(rawValue: row["kind"]) ?? .booked, requestID: row["request_id"],
                      status: OutboxMessage.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
                      nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]), createdAt: Date(timeIntervalSince1970: row["created_at"]),
                      sentAt: (row["sent_at"] as Double?).map(Date.init(timeIntervalSince1970:)), lastError: row["last_error"])
    }
}
