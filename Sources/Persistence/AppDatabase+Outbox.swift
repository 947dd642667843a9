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
                WHERE id IN (SELECT id FROM outbox WHERE ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?))
                             AND \(Self.toConfirmedContact)
                             ORDER BY next_attempt_at, created_at LIMIT ?)
                RETURNING *
                """, arguments: [at + lease, at, at, limit]).map(Self.message)
        }
    }

    /// A message goes out only to a contact the patient still holds and has confirmed — or it is the confirmation itself.
    static let toConfirmedContact = """
        (kind = 'contact-code' OR EXISTS (SELECT 1 FROM contact c WHERE c.patient_key = outbox.patient_key AND (
            (outbox.channel = 'email' AND c.email = outbox.recipient AND c.email_confirmed_at IS NOT NULL)
            OR (outbox.channel = 'sms' AND c.phone = outbox.recipient AND c.phone_confirmed_at IS NOT NULL))))
        """

    public func startContactConfirmation(patientKey: String, channel: OutboxMessage.Channel, secret: String, secretHash: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970, dayAgo = at - 86_400
        return try await timedWrite { db in
            let column = channel == .email ? "email" : "phone"
            guard let recipient = try String.fetchOne(db, sql: "SELECT \(column) FROM contact WHERE patient_key = ?", arguments: [patientKey]), !recipient.isEmpty else { return false }
            let toRecipient = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND kind = 'contact-code' AND created_at >= ?", arguments: [recipient, dayAgo]) ?? 0
            let byPatient = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE patient_key = ? AND kind = 'contact-code' AND created_at >= ?", arguments: [patientKey, dayAgo]) ?? 0
            guard toRecipient < ContactConfirmationLimits.perRecipientPerDay, byPatient < ContactConfirmationLimits.perPatientPerDay else { return false }
            try db.execute(sql: """
                INSERT OR REPLACE INTO contact_confirmation (patient_key, channel, recipient, secret_hash, created_at, expires_at, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)
                """, arguments: [patientKey, channel.rawValue, recipient, secretHash, at, at + ContactConfirmationLimits.lifetime])
            try db.execute(sql: """
                INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, day, status, attempts, next_attempt_at, created_at)
                VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, 'contact-code', ?, NULL, 'pending', 0, ?, ?)
                """, arguments: ["contact-code:\(secretHash):\(channel.rawValue)", patientKey, channel.rawValue, recipient, secret, at, at])
            return true
        }
    }

    public func contactConfirmation(secretHash: String, now: Date) throws -> ContactConfirmation? {
        try timedRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM contact_confirmation WHERE secret_hash = ? AND expires_at > ? AND attempts < ?",
                             arguments: [secretHash, now.timeIntervalSince1970, ContactConfirmationLimits.attempts]).flatMap { row in
                OutboxMessage.Channel(rawValue: row["channel"]).map { ContactConfirmation(patientKey: row["patient_key"], channel: $0, recipient: row["recipient"]) }
            }
        }
    }

    public func confirmContact(patientKey: String, channel: OutboxMessage.Channel, secretHash: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970
        return try await timedWrite { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM contact_confirmation WHERE patient_key = ? AND channel = ?", arguments: [patientKey, channel.rawValue]),
                (row["expires_at"] as Double) > at, (row["attempts"] as Int) < ContactConfirmationLimits.attempts
            else { return false }
            guard (row["secret_hash"] as String) == secretHash else {
                try db.execute(sql: "UPDATE contact_confirmation SET attempts = attempts + 1 WHERE patient_key = ? AND channel = ?", arguments: [patientKey, channel.rawValue])
                return false
            }
            let column = channel == .email ? "email" : "phone"
            try db.execute(sql: "UPDATE contact SET \(column)_confirmed_at = ? WHERE patient_key = ? AND \(column) = ?", arguments: [at, patientKey, row["recipient"] as String])
            let confirmed = db.changesCount > 0
            try db.execute(sql: "DELETE FROM contact_confirmation WHERE patient_key = ? AND channel = ?", arguments: [patientKey, channel.rawValue])
            return confirmed
        }
    }

    public func messageCount(recipient: String, kinds: [OutboxMessage.Kind], since: Date) throws -> Int {
        try timedRead { db in
            // The kinds are the enum's own names: written into the statement as they are.
            let listed = kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND created_at >= ? AND status IN ('sent', 'sending') AND kind IN (\(listed))",
                                    arguments: [recipient, since.timeIntervalSince1970]) ?? 0
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
