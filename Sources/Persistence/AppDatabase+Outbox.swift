import Foundation
import GRDB

// The notification outbox on SQLite; PostgresStore+Outbox means the same.

extension AppDatabase {
    /// Writes, inside the event's own transaction, one message per channel the patient consented to
    /// (their contact's e-mail, their phone), keyed `kind:reference:channel`: an event already written
    /// writes nothing. The patient is `patientKey`, or the one of ledger entry `requestID`.
    static func notify(_ db: Database, kind: OutboxMessage.Kind, reference: String, requestID: String?, patientKey: String? = nil, day: String? = nil,
                       due: Date? = nil, now: Date) throws {
        for (channel, column) in [(OutboxMessage.Channel.email, "email"), (.sms, "phone")] {
            try db.cachedStatement(sql: """
                INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, day, status, attempts, next_attempt_at, created_at)
                SELECT lower(hex(randomblob(16))), ?, patient_key, ?, \(column), ?, ?, ?, 'pending', 0, ?, ?
                FROM contact WHERE patient_key = coalesce(?, (SELECT patient_key FROM ledger WHERE request_id = ?)) AND \(column) IS NOT NULL AND \(column) <> ''
                ON CONFLICT (idempotency_key) DO NOTHING
                """).execute(arguments: ["\(kind.rawValue):\(reference):\(channel.rawValue)", channel.rawValue, kind.rawValue, requestID, day,
                                         (due ?? now).timeIntervalSince1970, now.timeIntervalSince1970, patientKey, requestID])
        }
    }

    /// A contact changed or withdrawn: its pending messages to an address or phone no longer consented to are withdrawn.
    static func withdrawMessages(_ db: Database, patientKey: String, keepingEmail email: String?, phone: String?) throws {
        try db.execute(sql: """
            UPDATE outbox SET status = 'withdrawn' WHERE patient_key = ? AND status = 'pending'
                AND NOT ((channel = 'email' AND recipient IS ?) OR (channel = 'sms' AND recipient IS ?))
            """, arguments: [patientKey, email, phone])
    }

    public func claimDueMessages(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage] {
        let at = now.timeIntervalSince1970
        return try await timedWrite { db in
            try Row.fetchAll(db, sql: """
                UPDATE outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)
                             ORDER BY next_attempt_at, created_at LIMIT ?)
                RETURNING *
                """, arguments: [at + lease, at, at, limit]).map(Self.message)
        }
    }

    public func markMessageSent(id: String, now: Date) async throws {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL WHERE id = ? AND status = 'sending'",
                           arguments: [now.timeIntervalSince1970, id])
        }
    }

    public func markMessageFailed(id: String, error: String, retryAt: Date?) async throws {
        try await timedWrite { db in
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

    public func reminderCandidates(from: Date, to: Date) throws -> [ReminderCandidate] {
        try readOneStatement { db in
            try Row.fetchAll(db, sql: """
                SELECT l.patient_key, l.day, min(l.request_id) AS request_id, min(l.time_zone) AS time_zone, min(l.start) AS first_start
                FROM ledger l JOIN contact c ON c.patient_key = l.patient_key
                WHERE l.status = 'active' AND l.start >= ? AND l.start < ?
                    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'reminder' AND o.patient_key = l.patient_key AND o.day = l.day)
                GROUP BY l.patient_key, l.day LIMIT 1000
                """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]).map { row in
                ReminderCandidate(patientKey: row["patient_key"], day: row["day"], requestID: row["request_id"], timeZone: row["time_zone"],
                                  firstStart: Date(timeIntervalSince1970: row["first_start"]))
            }
        }
    }

    public func scheduleReminder(_ candidate: ReminderCandidate, due: Date, now: Date) async throws {
        try await timedWrite { db in
            try Self.notify(db, kind: .reminder, reference: "\(candidate.patientKey):\(candidate.day)", requestID: candidate.requestID, patientKey: candidate.patientKey,
                            day: candidate.day, due: due, now: now)
        }
    }

    public func deferMessage(id: String, until: Date) async throws {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE outbox SET status = 'pending', next_attempt_at = ?, claimed_until = NULL, attempts = max(0, attempts - 1) WHERE id = ? AND status = 'sending'",
                           arguments: [until.timeIntervalSince1970, id])
        }
    }

    public func withdrawMessage(id: String, reason: String) async throws {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE outbox SET status = 'withdrawn', claimed_until = NULL, last_error = ? WHERE id = ? AND status = 'sending'", arguments: [reason, id])
        }
    }

    private static func message(_ row: Row) -> OutboxMessage {
        var message = OutboxMessage(id: row["id"], idempotencyKey: row["idempotency_key"], patientKey: row["patient_key"], channel: OutboxMessage.Channel(rawValue: row["channel"]) ?? .email,
                      recipient: row["recipient"], kind: OutboxMessage.Kind(rawValue: row["kind"]) ?? .booked, requestID: row["request_id"],
                      status: OutboxMessage.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
                      nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]), createdAt: Date(timeIntervalSince1970: row["created_at"]),
                      sentAt: (row["sent_at"] as Double?).map(Date.init(timeIntervalSince1970:)), lastError: row["last_error"])
        message.day = row["day"]
        return message
    }
}
