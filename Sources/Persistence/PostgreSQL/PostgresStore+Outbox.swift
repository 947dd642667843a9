import Foundation
import PostgresNIO

// The notification outbox on PostgreSQL; AppDatabase+Outbox means the same.

extension PostgresStore {
    public func claimDueMessages(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage] {
        let at = now.timeIntervalSince1970
        let until = at + lease
        return try await write {
            // Rows another node's worker is claiming are skipped, not waited for.
            try await client.query("""
                UPDATE outbox SET status = 'sending', claimed_until = \(until), attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE ((status = 'pending' AND next_attempt_at <= \(at)) OR (status = 'sending' AND claimed_until < \(at)))
                             AND \(unescaped: AppDatabase.toConfirmedContact)
                             ORDER BY next_attempt_at, created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING *
                """, logger: logger).collect().map { try Self.message($0.makeRandomAccess()) }
        }
    }

    public func startContactConfirmation(patientKey: String, channel: OutboxMessage.Channel, secret: String, secretHash: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970, dayAgo = at - 86_400, expires = at + ContactConfirmationLimits.lifetime
        let (perRecipient, perPatient) = (ContactConfirmationLimits.perRecipientPerDay, ContactConfirmationLimits.perPatientPerDay)
        let column = channel == .email ? "email" : "phone"
        return try await write {
            // One statement: the limits read and the confirmation with its message written, or nothing.
            let rows = try await client.query("""
                WITH target AS (
                    SELECT c.patient_key, c.\(unescaped: column) AS recipient FROM contact c
                    WHERE c.patient_key = \(patientKey) AND c.\(unescaped: column) IS NOT NULL AND c.\(unescaped: column) <> ''
                    AND (SELECT COUNT(*) FROM outbox o WHERE o.recipient = c.\(unescaped: column) AND o.kind = 'contact-code' AND o.created_at >= \(dayAgo)) < \(perRecipient)
                    AND (SELECT COUNT(*) FROM outbox o WHERE o.patient_key = c.patient_key AND o.kind = 'contact-code' AND o.created_at >= \(dayAgo)) < \(perPatient)
                ), kept AS (
                    INSERT INTO contact_confirmation (patient_key, channel, recipient, secret_hash, created_at, expires_at, attempts)
                    SELECT patient_key, \(channel.rawValue), recipient, \(secretHash), \(at), \(expires), 0 FROM target
                    ON CONFLICT (patient_key, channel) DO UPDATE SET recipient = EXCLUDED.recipient, secret_hash = EXCLUDED.secret_hash,
                        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, attempts = 0
                )
                INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, day, status, attempts, next_attempt_at, created_at)
                SELECT md5(random()::text || clock_timestamp()::text), \("contact-code:\(secretHash):\(channel.rawValue)"), patient_key, \(channel.rawValue), recipient,
                    'contact-code', \(secret), NULL, 'pending', 0, \(at), \(at) FROM target
                RETURNING 1
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }

    public func contactConfirmation(secretHash: String, now: Date) async throws -> ContactConfirmation? {
        let at = now.timeIntervalSince1970
        let rows = try await read {
            try await client.query("""
                SELECT patient_key, channel, recipient FROM contact_confirmation WHERE secret_hash = \(secretHash) AND expires_at > \(at) AND attempts < \(ContactConfirmationLimits.attempts)
                """, logger: logger).collect()
        }
        guard let row = rows.first else { return nil }
        let (patientKey, channel, recipient) = try row.decode((String, String, String).self)
        return OutboxMessage.Channel(rawValue: channel).map { ContactConfirmation(patientKey: patientKey, channel: $0, recipient: recipient) }
    }

    public func confirmContact(patientKey: String, channel: OutboxMessage.Channel, secretHash: String, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970
        let column = channel == .email ? "email" : "phone"
        return try await write {
            let rows = try await client.query("""
                WITH pending AS (
                    SELECT * FROM contact_confirmation WHERE patient_key = \(patientKey) AND channel = \(channel.rawValue) AND expires_at > \(at)
                    AND attempts < \(ContactConfirmationLimits.attempts) FOR UPDATE
                ), wrong AS (
                    UPDATE contact_confirmation SET attempts = attempts + 1 WHERE patient_key = \(patientKey) AND channel = \(channel.rawValue)
                    AND EXISTS (SELECT 1 FROM pending WHERE secret_hash <> \(secretHash))
                ), spent AS (
                    DELETE FROM contact_confirmation WHERE patient_key = \(patientKey) AND channel = \(channel.rawValue)
                    AND EXISTS (SELECT 1 FROM pending WHERE secret_hash = \(secretHash))
                )
                UPDATE contact SET \(unescaped: column)_confirmed_at = \(at) WHERE patient_key = \(patientKey)
                AND \(unescaped: column) = (SELECT recipient FROM pending WHERE secret_hash = \(secretHash))
                RETURNING 1
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }

    public func messageCount(recipient: String, kinds: [OutboxMessage.Kind], since: Date) async throws -> Int {
        let at = since.timeIntervalSince1970
        let listed = kinds.map(\.rawValue)
        return try await read {
            try await client.query("""
                SELECT COUNT(*) FROM outbox WHERE recipient = \(recipient) AND created_at >= \(at) AND status IN ('sent', 'sending') AND kind = ANY(\(listed))
                """, logger: logger).collect().first?.decode(Int.self) ?? 0
        }
    }

    public func markMessageSent(id: String, now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write {
            _ = try await client.query("UPDATE outbox SET status = 'sent', sent_at = \(at), claimed_until = NULL, last_error = NULL WHERE id = \(id) AND status = 'sending'", logger: logger)
        }
    }

    public func markMessageFailed(id: String, error: String, retryAt: Date?) async throws {
        let status = retryAt == nil ? "dead" : "pending"
        let next = retryAt?.timeIntervalSince1970
        let problem = String(error.prefix(500))
        try await write {
            _ = try await client.query("""
                UPDATE outbox SET status = \(status), next_attempt_at = coalesce(\(next), next_attempt_at), claimed_until = NULL, last_error = \(problem)
                WHERE id = \(id) AND status = 'sending'
                """, logger: logger)
        }
    }

    public func messages(patientKey: String) async throws -> [OutboxMessage] {
        try await read {
            try await client.query("SELECT * FROM outbox WHERE patient_key = \(patientKey) ORDER BY created_at DESC, channel LIMIT 200", logger: logger)
                .collect().map { try Self.message($0.makeRandomAccess()) }
        }
    }

    public func outboxCounts() async throws -> [OutboxMessage.Status: Int] {
        try await read {
            var counts: [OutboxMessage.Status: Int] = [:]
            for row in try await client.query("SELECT status, count(*) AS n FROM outbox GROUP BY status", logger: logger).collect() {
                let row = row.makeRandomAccess()
                if let status = OutboxMessage.Status(rawValue: try row["status"].decode(String.self)) { counts[status] = Int(try row["n"].decode(Int64.self)) }
            }
            return counts
        }
    }

    public func reminderCandidates(from: Date, to: Date) async throws -> [ReminderCandidate] {
        let (start, end) = (from.timeIntervalSince1970, to.timeIntervalSince1970)
        return try await read {
            try await client.query("""
                SELECT l.patient_key, l.day, min(l.request_id) AS request_id, min(l.time_zone) AS time_zone, min(l.start) AS first_start
                FROM ledger l JOIN contact c ON c.patient_key = l.patient_key
                WHERE l.status = 'active' AND l.start >= \(start) AND l.start < \(end)
                    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'reminder' AND o.patient_key = l.patient_key AND o.day = l.day)
                GROUP BY l.patient_key, l.day LIMIT 1000
                """, logger: logger).collect().map { row in
                let row = row.makeRandomAccess()
                return ReminderCandidate(patientKey: try row["patient_key"].decode(String.self), day: try row["day"].decode(String.self),
                                         requestID: try row["request_id"].decode(String.self), timeZone: try row["time_zone"].decode(String.self),
                                         firstStart: Date(timeIntervalSince1970: try row["first_start"].decode(Double.self)))
            }
        }
    }

    public func scheduleReminder(_ candidate: ReminderCandidate, due: Date, now: Date) async throws {
        try await write {
            _ = try await client.query(Self.messages(kind: .reminder, reference: "\(candidate.patientKey):\(candidate.day)", requestID: candidate.requestID,
                                                     patientKey: candidate.patientKey, day: candidate.day, due: due, now: now), logger: logger)
        }
    }

    /// One message per channel patient `patientKey` consented to, keyed `kind:reference:channel`
    /// (written once); due at `due`, or at once.
    static func messages(kind: OutboxMessage.Kind, reference: String, requestID: String?, patientKey: String, day: String? = nil, due: Date? = nil, now: Date) -> PostgresQuery {
        let (at, created) = ((due ?? now).timeIntervalSince1970, now.timeIntervalSince1970)
        let prefix = "\(kind.rawValue):\(reference):"
        return """
            INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, day, status, attempts, next_attempt_at, created_at)
            SELECT md5(random()::text || clock_timestamp()::text || m.channel), \(prefix) || m.channel, c.patient_key, m.channel, m.recipient, \(kind.rawValue),
                \(requestID), \(day), 'pending', 0, \(at), \(created)
            FROM contact c CROSS JOIN LATERAL (VALUES ('email', c.email), ('sms', c.phone)) AS m(channel, recipient)
            WHERE c.patient_key = \(patientKey) AND m.recipient IS NOT NULL AND m.recipient <> ''
            ON CONFLICT (idempotency_key) DO NOTHING
            """
    }

    public func deferMessage(id: String, until: Date) async throws {
        let at = until.timeIntervalSince1970
        try await write {
            _ = try await client.query("UPDATE outbox SET status = 'pending', next_attempt_at = \(at), claimed_until = NULL, attempts = GREATEST(0, attempts - 1) WHERE id = \(id) AND status = 'sending'", logger: logger)
        }
    }

    public func withdrawMessage(id: String, reason: String) async throws {
        try await write {
            _ = try await client.query("UPDATE outbox SET status = 'withdrawn', claimed_until = NULL, last_error = \(reason) WHERE id = \(id) AND status = 'sending'", logger: logger)
        }
    }

    private static func message(_ row: PostgresRandomAccessRow) throws -> OutboxMessage {
        var message = OutboxMessage(
            id: try row["id"].decode(String.self), idempotencyKey: try row["idempotency_key"].decode(String.self), patientKey: try row["patient_key"].decode(String.self),
            channel: OutboxMessage.Channel(rawValue: try row["channel"].decode(String.self)) ?? .email, recipient: try row["recipient"].decode(String.self),
            kind: OutboxMessage.Kind(rawValue: try row["kind"].decode(String.self)) ?? .booked, requestID: try row["request_id"].decode(String?.self),
            status: OutboxMessage.Status(rawValue: try row["status"].decode(String.self)) ?? .pending, attempts: Int(try row["attempts"].decode(Int32.self)),
            nextAttemptAt: Date(timeIntervalSince1970: try row["next_attempt_at"].decode(Double.self)),
            createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)),
            sentAt: try row["sent_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)), lastError: try row["last_error"].decode(String?.self)
        )
        message.day = try row["day"].decode(String?.self)
        return message
    }
}
