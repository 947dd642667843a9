import Crypto
import Foundation
import NIOCore
import PostgresNIO

// Each operation means exactly what the SQLite store's of the same name means (AppDatabase+…);
// the contract tests hold both to it.

extension PostgresStore {
    // MARK: Sessions

    public func createSession(id: String, csrfToken: String, now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write { _ = try await client.query("INSERT INTO session (id, csrf_token, created_at, last_seen) VALUES (\(id), \(csrfToken), \(at), \(at))", logger: logger) }
    }

    public func session(id: String, now: Date, idleTimeout: TimeInterval, withLedger: Bool) async throws -> SessionRecord? {
        let rows = try await read { withLedger ? try await run(PostgresStatements.SessionWithLedger(id: id)) : try await run(PostgresStatements.Session(id: id)) }
        guard let row = rows.first?.makeRandomAccess() else { return nil }
        let lastSeen = Date(timeIntervalSince1970: try row["last_seen"].decode(Double.self))
        guard now.timeIntervalSince(lastSeen) <= idleTimeout else {
            try await deleteSession(id: id)
            return nil
        }
        let touched = SessionRecord.isDueForTouch(lastSeen: lastSeen, now: now, idleTimeout: idleTimeout)
        if touched { try await touchSession(id: id, now: now) }
        let patient = sessionPatients.patient(of: id) { try? Self.patient(row) }
        var ledger: [LedgerEntry]?
        if withLedger, patient != nil {
            ledger = try rows.map { $0.makeRandomAccess() }.filter { try $0["request_id"].decode(String?.self) != nil }.map(Self.entry)
        }
        return SessionRecord(id: id, csrfToken: try row["csrf_token"].decode(String.self), lastSeen: touched ? now : lastSeen, patient: patient,
                             kioskID: try row["kiosk_id"].decode(String?.self), ledger: ledger)
    }

    public func touchSession(id: String, now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write { _ = try await client.query("UPDATE session SET last_seen = GREATEST(last_seen, \(at)) WHERE id = \(id)", logger: logger) }
    }

    public func identify(session old: String, as new: String, csrfToken: String, patient: IdentifiedPatient, kiosk: String?, now: Date) async throws {
        let cards = String(decoding: try JSONEncoder().encode(patient.cards), as: UTF8.self)
        let at = now.timeIntervalSince1970
        // One statement: the visitor's session ends and the patient's begins.
        try await write {
            _ = try await run(PostgresStatements.Identify(old: old, new: new, csrfToken: csrfToken, at: at, patientKey: patient.key,
                                                          patientName: patient.displayName, birthDate: patient.birthDate, cards: cards, kiosk: kiosk))
        }
        sessionPatients.remember(patient, of: new)
    }

    public func deleteSession(id: String) async throws {
        try await write { _ = try await client.query("DELETE FROM session WHERE id = \(id)", logger: logger) }
    }


    @discardableResult
    public func deleteExpiredSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - idleTimeout
        return try await write { try await count("DELETE FROM session WHERE last_seen < \(cutoff) RETURNING 1") }
    }

    /// The session's patient from a `Session` or `SessionWithLedger` row (both name its key `session_patient_key`).
    private static func patient(_ row: PostgresRandomAccessRow) throws -> IdentifiedPatient? {
        guard let key = try row["session_patient_key"].decode(String?.self) else { return nil }
        let cards = try row["cards"].decode(String?.self).flatMap { try? JSONDecoder().decode([String: ClinicCard].self, from: Data($0.utf8)) } ?? [:]
        return IdentifiedPatient(key: key, displayName: try row["patient_name"].decode(String?.self) ?? "", birthDate: try row["birth_date"].decode(String?.self) ?? "", cards: cards)
    }

    // MARK: The ledger

    /// Idempotent by the request id and holding rule 2 across nodes, both decided by the database in
    /// one statement (`registry_begin_booking`, migration v2): the patient's attempts take turns
    /// under a transaction lock on their key, so that of two nodes beginning attempts for one patient
    /// at once the second sees the first; the same attempt twice inserts once and reads back the one entry.
    public func beginBooking(_ entry: LedgerEntry) async throws -> LedgerEntry {
        var pending = entry
        pending.status = .pending
        let attempt = pending
        let rows = try await write { try await run(PostgresStatements.BeginBooking(entry: attempt)) }
        guard let row = rows.first else {
            // Nothing inserted and nothing found: the request id exists for another patient's key.
            guard let stored = try await booking(requestID: entry.requestID) else { throw PostgresStoreError.lost(entry.requestID) }
            return stored
        }
        let found = try Self.entry(row.makeRandomAccess())
        guard found.requestID == entry.requestID else { throw LedgerConflict(held: found) }
        return found
    }

    public func confirmBooking(requestID: String, appointmentID: String, ticket: String?, awaiting: Bool, now: Date) async throws {
        // One statement: the entry becomes active (or awaiting), the booking it replaces (a move) becomes moved, the patient's message is written.
        try await write {
            _ = try await run(PostgresStatements.ConfirmBooking(requestID: requestID, appointmentID: appointmentID, ticket: ticket, now: now.timeIntervalSince1970,
                                                               status: awaiting ? "awaiting" : "active"))
        }
    }

    @discardableResult
    public func recordReplacement(_ entry: LedgerEntry) async throws -> Bool {
        try await write {
            try await client.withTransaction(logger: logger) { connection in
                if let appointmentID = entry.appointmentID {
                    let held = try await connection.query("SELECT 1 FROM ledger WHERE clinic_id = \(entry.clinicID) AND appointment_id = \(appointmentID)", logger: logger).collect()
                    if !held.isEmpty { return false }
                }
                // Two nodes reading one clinic's change log may record the same reschedule at once: the second inserts nothing.
                let inserted = try await connection.query(Self.insert(entry, onConflict: "ON CONFLICT DO NOTHING RETURNING 1"), logger: logger).collect()
                if inserted.isEmpty { return false }
                try await connection.query(Self.markReplaced(by: entry.requestID), logger: logger)
                let at = entry.createdAt.timeIntervalSince1970
                try await connection.query(
                    "WITH source AS (SELECT \(entry.requestID)::text AS request_id) \(unescaped: Self.notify(kind: .clinicMoved, suffix: "", from: "SELECT request_id FROM source", at: at))",
                    logger: logger)
                return true
            }
        }
    }

    public func failBooking(requestID: String) async throws {
        try await write { _ = try await client.query("UPDATE ledger SET status = 'failed' WHERE request_id = \(requestID) AND status = 'pending'", logger: logger) }
    }


    @discardableResult
    public func cancelBooking(clinicID: String, appointmentID: String, by channel: String, actor: String?, reason: String?, now: Date) async throws -> Bool {
        let at = now.timeIntervalSince1970
        let kind: OutboxMessage.Kind = channel == "clinic" ? .clinicCancelled : .cancelled
        return try await write {
            // One statement: the entry is cancelled and the patient's message written.
            try await count("""
                WITH changed AS (
                    UPDATE ledger SET status = 'cancelled', cancelled_at = \(at), cancelled_by = \(channel), cancelled_actor = \(actor), cancel_reason = \(reason)
                    WHERE clinic_id = \(clinicID) AND appointment_id = \(appointmentID) AND status IN ('active', 'awaiting', 'displaced') RETURNING \(unescaped: Self.changedColumns)),
                notified AS (\(unescaped: Self.notify(kind: kind, suffix: "", from: "SELECT request_id FROM changed", at: now.timeIntervalSince1970))),
                federal AS (\(unescaped: Self.federalChange(kind, madeBy: channel, at: at)))
                SELECT 1 FROM changed
                """) > 0
        }
    }


    @discardableResult
    public func moveBooking(clinicID: String, appointmentID: String, to move: LedgerMove, now: Date) async throws -> Bool {
        let start = move.start.timeIntervalSince1970, end = move.end.timeIntervalSince1970
        return try await write {
            // One statement: the entry moves and the patient's message is written (each new time its own).
            try await count("""
                WITH changed AS (
                    UPDATE ledger SET start = \(start), "end" = \(end), day = \(move.day), slot_id = coalesce(\(move.slotID), slot_id), doctor_id = coalesce(\(move.doctorID), doctor_id),
                        doctor_name = coalesce(\(move.doctorName), doctor_name), room = coalesce(\(move.room), room),
                        status = CASE WHEN status = 'displaced' THEN coalesce(\(move.status?.rawValue), 'active') ELSE status END
                    WHERE clinic_id = \(clinicID) AND appointment_id = \(appointmentID) AND status IN ('active', 'awaiting', 'displaced') RETURNING \(unescaped: Self.changedColumns)),
                notified AS (\(unescaped: Self.notify(kind: .clinicMoved, suffix: "@\(Int(start))", from: "SELECT request_id FROM changed", at: now.timeIntervalSince1970))),
                federal AS (\(unescaped: Self.federalChange(.clinicMoved, madeBy: "clinic", at: now.timeIntervalSince1970)))
                SELECT 1 FROM changed
                """) > 0
        }
    }

    @discardableResult
    public func settleBooking(clinicID: String, appointmentID: String, _ settlement: LedgerSettlement, now: Date) async throws -> Bool {
        let change = settlement.ledgerChange, at = now.timeIntervalSince1970
        let cancelled = change.to == .cancelled, stamped = change.to == .cancelled || change.to == .displaced
        return try await write {
            // One statement: the entry changes and the patient's message is written.
            try await count("""
                WITH changed AS (
                    UPDATE ledger SET status = \(change.to.rawValue), mis_patient_id = coalesce(\(change.misPatientID), mis_patient_id),
                        cancelled_at = CASE WHEN \(stamped) THEN \(at) ELSE cancelled_at END,
                        cancelled_by = CASE WHEN \(cancelled) THEN 'clinic' ELSE cancelled_by END, cancel_reason = coalesce(\(change.reason), cancel_reason)
                    WHERE clinic_id = \(clinicID) AND appointment_id = \(appointmentID) AND status = ANY(\(change.from.map(\.rawValue))) RETURNING \(unescaped: Self.changedColumns)),
                notified AS (\(unescaped: Self.notify(kind: change.message, suffix: "@\(Int(at))", from: "SELECT request_id FROM changed", at: at))),
                federal AS (\(unescaped: Self.federalChange(change.message, refusal: change.refusal, madeBy: "clinic", at: at)))
                SELECT 1 FROM changed
                """) > 0
        }
    }

    public func bookings(patientKey: String) async throws -> [LedgerEntry] {
        try await read { try await run(PostgresStatements.PatientLedger(patientKey: patientKey)).map { try Self.entry($0.makeRandomAccess()) } }
    }

    public func booking(requestID: String) async throws -> LedgerEntry? {
        try await entries("SELECT * FROM ledger WHERE request_id = \(requestID)").first
    }

    public func booking(clinicID: String, appointmentID: String) async throws -> LedgerEntry? {
        try await entries("SELECT * FROM ledger WHERE clinic_id = \(clinicID) AND appointment_id = \(appointmentID)").first
    }

    public func pendingBookings(olderThan cutoff: Date) async throws -> [LedgerEntry] {
        let at = cutoff.timeIntervalSince1970
        return try await entries("SELECT * FROM ledger WHERE status = 'pending' AND created_at < \(at)")
    }

    public func changeCursor(clinicID: String) async throws -> String {
        try await read {
            try await client.query("SELECT cursor FROM change_cursor WHERE clinic_id = \(clinicID)", logger: logger).collect().first?.decode(String.self) ?? "0"
        }
    }

    public func saveChangeCursor(clinicID: String, cursor: String, now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write {
            _ = try await client.query("""
                INSERT INTO change_cursor (clinic_id, cursor, polled_at) VALUES (\(clinicID), \(cursor), \(at))
                ON CONFLICT (clinic_id) DO UPDATE SET cursor = EXCLUDED.cursor, polled_at = EXCLUDED.polled_at
                """, logger: logger)
        }
    }

    func entries(_ query: PostgresQuery) async throws -> [LedgerEntry] {
        try await read { try await client.query(query, logger: logger).collect().map { try Self.entry($0.makeRandomAccess()) } }
    }

    private static func insert(_ entry: LedgerEntry, onConflict: String) -> PostgresQuery {
        var query: PostgresQuery = """
            INSERT INTO ledger (request_id, patient_key, clinic_id, slot_id, mis_patient_id, appointment_id, ticket, clinic_name, clinic_address, clinic_phone, time_zone,
                                federal_code, specialty_name, doctor_name, room, start, "end", day, status, channel, created_at, replaces, doctor_id, specialty_id, referral, actor)
            VALUES (\(entry.requestID), \(entry.patientKey), \(entry.clinicID), \(entry.slotID), \(entry.misPatientID), \(entry.appointmentID), \(entry.ticket),
                    \(entry.clinicName), \(entry.clinicAddress), \(entry.clinicPhone), \(entry.timeZone), \(entry.federalCode), \(entry.specialtyName),
                    \(entry.doctorName), \(entry.room), \(entry.start.timeIntervalSince1970), \(entry.end.timeIntervalSince1970), \(entry.day),
                    \(entry.status.rawValue), \(entry.channel), \(entry.createdAt.timeIntervalSince1970), \(entry.replaces), \(entry.doctorID),
                    \(entry.specialtyID), \(entry.referral), \(entry.actor))
            """
        query.sql += " " + onConflict
        return query
    }

    /// The outbox rows of an event, for the ledger entries `source` (a SELECT of `request_id`s) selects:
    /// one per channel each patient consented to, keyed `kind:request:channel` (with `suffix` after the
    /// request id). Only constants and numbers are written into it; the source binds its own values.
    static func notify(kind: OutboxMessage.Kind, suffix: String, from source: String, at: Double) -> String {
        """
        INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, status, attempts, next_attempt_at, created_at)
        SELECT md5(random()::text || clock_timestamp()::text || m.channel), '\(kind.rawValue):' || l.request_id || '\(suffix):' || m.channel, c.patient_key,
            m.channel, m.recipient, '\(kind.rawValue)', l.request_id, 'pending', 0, \(at), \(at)
        FROM ledger l JOIN contact c ON c.patient_key = l.patient_key
        CROSS JOIN LATERAL (VALUES ('email', c.email), ('sms', c.phone)) AS m(channel, recipient)
        WHERE l.request_id IN (\(source)) AND m.recipient IS NOT NULL AND m.recipient <> ''
        ON CONFLICT (idempotency_key) DO NOTHING
        """
    }

    /// What a ledger statement's `changed` step returns: enough for the patient's message and the portal's feed.
    static let changedColumns = "request_id, clinic_id, appointment_id, patient_key, channel, start, cancel_reason"

    /// The portal's feed row of a ledger statement's `changed` entries the portal made (the ledger's
    /// snapshot `l` gives the start before the statement; `changed` the entry after it).
    static func federalChange(_ message: OutboxMessage.Kind, refusal: String? = nil, madeBy: String?, at: Double) -> String {
        guard let kind = FederalChange.kind(for: message) else { return "SELECT 1" }
        // Only plain codes are written into the statement (they come from the protocol's enums).
        func literal(_ value: String?) -> String {
            guard let value, !value.isEmpty, value.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x5F || $0 == 0x2D }) else { return "NULL" }
            return "'\(value)'"
        }
        return """
            INSERT INTO federal_change (clinic_id, appointment_id, patient_key, kind, previous_start, new_start, at, reason, refusal, made_by)
            SELECT c.clinic_id, c.appointment_id, c.patient_key, '\(kind)', l.start, \(kind == "moved" ? "c.start" : "NULL"), \(at),
                   \(["refused", "displaced", "cancelled"].contains(kind) ? "c.cancel_reason" : "NULL"), \(literal(refusal)), \(literal(madeBy))
            FROM changed c JOIN ledger l ON l.request_id = c.request_id WHERE c.channel = 'federal-portal' AND c.appointment_id IS NOT NULL
            """
    }

    private static func markReplaced(by requestID: String) -> PostgresQuery {
        """
        UPDATE ledger SET status = 'moved', moved_to = \(requestID)
        WHERE request_id = (SELECT replaces FROM ledger WHERE request_id = \(requestID) AND status IN ('active', 'awaiting')) AND status IN ('active', 'awaiting', 'cancelled')
        """
    }

    private static func entry(_ row: PostgresRandomAccessRow) throws -> LedgerEntry {
        func text(_ name: String) throws -> String { try row[name].decode(String.self) }
        func optional(_ name: String) throws -> String? { try row[name].decode(String?.self) }
        func time(_ name: String) throws -> Date { Date(timeIntervalSince1970: try row[name].decode(Double.self)) }
        return LedgerEntry(
            requestID: try text("request_id"), patientKey: try text("patient_key"), clinicID: try text("clinic_id"), slotID: try text("slot_id"),
            misPatientID: try text("mis_patient_id"), appointmentID: try optional("appointment_id"), ticket: try optional("ticket"),
            clinicName: try text("clinic_name"), clinicAddress: try text("clinic_address"), clinicPhone: try text("clinic_phone"),
            doctorID: try optional("doctor_id"), specialtyID: try optional("specialty_id"), timeZone: try text("time_zone"),
            federalCode: try text("federal_code"), specialtyName: try text("specialty_name"), doctorName: try text("doctor_name"),
            room: try text("room"), start: try time("start"), end: try time("end"), day: try text("day"),
            status: LedgerEntry.Status(rawValue: try text("status")) ?? .pending, channel: try text("channel"), createdAt: try time("created_at"),
            cancelledBy: try optional("cancelled_by"), cancelReason: try optional("cancel_reason"), replaces: try optional("replaces"),
            movedTo: try optional("moved_to"), referral: try optional("referral"), actor: try optional("actor"), cancelledActor: try optional("cancelled_actor"),
            cancelledAt: try row["cancelled_at"].decode(Double?.self).map { Date(timeIntervalSince1970: $0) }
        )
    }

    // MARK: Throttling, contacts, secrets

    public func failedAttempts(keys: [String], now: Date, window: TimeInterval) async throws -> [Int] {
        let since = now.timeIntervalSince1970 - window
        let counted = try await read { Dictionary(try await run(PostgresStatements.FailedAttempts(keys: keys, since: since)), uniquingKeysWith: +) }
        return keys.map { counted[$0] ?? 0 }
    }

    public func recordFailedAttempt(keys: [String], now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write {
            try await client.withTransaction(logger: logger) { connection in
                for key in keys { try await connection.query("INSERT INTO attempt (key, at) VALUES (\(key), \(at))", logger: logger) }
            }
        }
    }


    public func clearFailedAttempts(keyPrefix prefix: String) async throws {
        let length = prefix.count
        try await write { _ = try await client.query("DELETE FROM attempt WHERE substr(key, 1, \(length)) = \(prefix)", logger: logger) }
    }

    @discardableResult
    public func deleteOldAttempts(now: Date, window: TimeInterval) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - window
        return try await write { try await count("DELETE FROM attempt WHERE at < \(cutoff) RETURNING 1") }
    }

    public func saveContact(patientKey: String, phone: String?, email: String?, consentAt: Date, consentBy: String?) async throws {
        let at = consentAt.timeIntervalSince1970
        try await write {
            // One statement: the contact is kept, and pending messages to what it no longer holds are withdrawn.
            // One statement: the contact is kept (a changed value unconfirmed again; a phone an operator took down
            // confirmed by it), and pending messages and confirmations for what it no longer holds are withdrawn.
            let phoneConfirmed: Double? = consentBy != nil && phone != nil ? at : nil
            _ = try await client.query("""
                WITH saved AS (
                    INSERT INTO contact AS c (patient_key, phone, email, consent_at, consent_by, email_confirmed_at, phone_confirmed_at)
                    VALUES (\(patientKey), \(phone), \(email), \(at), \(consentBy), NULL, \(phoneConfirmed))
                    ON CONFLICT (patient_key) DO UPDATE SET phone = EXCLUDED.phone, email = EXCLUDED.email, consent_at = EXCLUDED.consent_at, consent_by = EXCLUDED.consent_by,
                        email_confirmed_at = CASE WHEN c.email IS NOT DISTINCT FROM EXCLUDED.email THEN c.email_confirmed_at END,
                        phone_confirmed_at = coalesce(EXCLUDED.phone_confirmed_at, CASE WHEN c.phone IS NOT DISTINCT FROM EXCLUDED.phone THEN c.phone_confirmed_at END)),
                forgotten AS (
                    DELETE FROM contact_confirmation WHERE patient_key = \(patientKey)
                    AND NOT ((channel = 'email' AND recipient IS NOT DISTINCT FROM \(email)) OR (channel = 'sms' AND recipient IS NOT DISTINCT FROM \(phone))))
                UPDATE outbox SET status = 'withdrawn' WHERE patient_key = \(patientKey) AND status = 'pending'
                    AND NOT ((channel = 'email' AND recipient IS NOT DISTINCT FROM \(email)) OR (channel = 'sms' AND recipient IS NOT DISTINCT FROM \(phone)))
                """, logger: logger)
        }
    }

    public func deleteContact(patientKey: String) async throws {
        try await write {
            _ = try await client.query("""
                WITH gone AS (DELETE FROM contact WHERE patient_key = \(patientKey)), forgotten AS (DELETE FROM contact_confirmation WHERE patient_key = \(patientKey))
                UPDATE outbox SET status = 'withdrawn' WHERE patient_key = \(patientKey) AND status = 'pending'
                """, logger: logger)
        }
    }

    public func contact(patientKey: String) async throws -> ContactRecord? {
        let rows = try await read {
            try await client.query("SELECT phone, email, consent_at, consent_by, email_confirmed_at, phone_confirmed_at FROM contact WHERE patient_key = \(patientKey)", logger: logger).collect()
        }
        guard let row = rows.first?.makeRandomAccess() else { return nil }
        return ContactRecord(phone: try row["phone"].decode(String?.self), email: try row["email"].decode(String?.self),
                             consentAt: Date(timeIntervalSince1970: try row["consent_at"].decode(Double.self)), consentBy: try row["consent_by"].decode(String?.self),
                             emailConfirmed: try row["email_confirmed_at"].decode(Double?.self) != nil, phoneConfirmed: try row["phone_confirmed_at"].decode(Double?.self) != nil)
    }

    /// The deployment's secret named `name`: the first node to ask makes it, every node reads the same.
    public func secret(named name: String) async throws -> [UInt8] {
        if let known = secrets.secret(named: name) { return known }
        let candidate = ByteBuffer(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        try await write { _ = try await client.query("INSERT INTO secret (name, value) VALUES (\(name), \(candidate)) ON CONFLICT (name) DO NOTHING", logger: logger) }
        let stored = try await read { try await client.query("SELECT value FROM secret WHERE name = \(name)", logger: logger).collect().first?.decode(ByteBuffer.self) }
        guard let stored else { throw PostgresStoreError.lost(name) }
        secrets.remember(Array(stored.readableBytesView), named: name)
        return Array(stored.readableBytesView)
    }

    /// How many rows a statement ending in `RETURNING 1` touched.
    /// A prepared statement's rows.
    private func run<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await client.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await client.query(query, logger: logger).collect().count
    }
}

/// What the PostgreSQL store reports when a row it has just written cannot be read back.
enum PostgresStoreError: Error {
    case lost(String)
}
