import Foundation
import PostgresNIO

/// The statements every booking runs several times, prepared once per connection so that
/// PostgreSQL parses and plans each once (PostgresNIO prepares on first use). They name their
/// columns: a prepared `SELECT *` fails once a later migration adds a column ("cached plan must not
/// change result type") — and during a rolling upgrade older nodes still hold such plans. Each names
/// itself: PostgresNIO's default name is the type's reflected name, worked out on every execution.
enum PostgresStatements {
    /// The ledger's columns as `PostgresStore.entry` reads them.
    static let ledgerColumns = ledgerColumnNames.joined(separator: ", ")
    static let ledgerColumnNames = [
        "request_id", "patient_key", "clinic_id", "slot_id", "mis_patient_id", "appointment_id", "ticket", "clinic_name", "clinic_address", "clinic_phone",
        "time_zone", "federal_code", "specialty_name", "doctor_name", "room", "start", "\"end\"", "day", "status", "channel", "created_at", "cancelled_at",
        "cancelled_by", "cancel_reason", "replaces", "moved_to", "doctor_id", "specialty_id", "referral", "actor", "cancelled_actor",
    ]

    /// A session by its id (every request).
    struct Session: PostgresPreparedStatement {
        static let name = "registry_session"
        static let sql = "SELECT csrf_token, last_seen, patient_key AS session_patient_key, patient_name, birth_date, cards, kiosk_id FROM session WHERE id = $1"
        let id: String

        func makeBindings() throws -> PostgresBindings { try bindings(id) }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// A session by its id with its patient's whole ledger, latest first: one row per entry (one
    /// with the ledger's columns null when there is none). The session's `patient_key` is named
    /// `session_patient_key`, the ledger's columns are those of `ledgerColumns`.
    struct SessionWithLedger: PostgresPreparedStatement {
        static let name = "registry_session_with_ledger"
        static let sql = """
            SELECT s.csrf_token, s.last_seen, s.patient_key AS session_patient_key, s.patient_name, s.birth_date, s.cards, s.kiosk_id, \
            \(ledgerColumnNames.map { "l." + $0 }.joined(separator: ", "))
            FROM session s LEFT JOIN ledger l ON l.patient_key = s.patient_key WHERE s.id = $1 ORDER BY l.start DESC
            """
        let id: String

        func makeBindings() throws -> PostgresBindings { try bindings(id) }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// A patient's whole ledger, latest first (every page that applies the rules or shows bookings).
    struct PatientLedger: PostgresPreparedStatement {
        static let name = "registry_patient_ledger"
        static let sql = "SELECT \(ledgerColumns) FROM ledger WHERE patient_key = $1 ORDER BY start DESC"
        let patientKey: String

        func makeBindings() throws -> PostgresBindings { try bindings(patientKey) }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// Failed identifications per key since a time (each identification).
    struct FailedAttempts: PostgresPreparedStatement {
        static let name = "registry_failed_attempts"
        static let sql = "SELECT key, COUNT(*) FROM attempt WHERE key = ANY($1) AND at >= $2 GROUP BY key"
        typealias Row = (String, Int)
        let keys: [String]
        let since: Double

        func makeBindings() throws -> PostgresBindings { try bindings(keys, since) }
        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// A visitor's session replaced by the identified patient's (each identification).
    struct Identify: PostgresPreparedStatement {
        static let name = "registry_identify"
        static let sql = """
            WITH ended AS (DELETE FROM session WHERE id = $1 OR ($9::text IS NOT NULL AND kiosk_id = $9))
            INSERT INTO session (id, csrf_token, created_at, last_seen, patient_key, patient_name, birth_date, cards, kiosk_id) VALUES ($2, $3, $4, $4, $5, $6, $7, $8, $9)
            """
        typealias Row = Void
        let old: String, new: String, csrfToken: String, at: Double, patientKey: String, patientName: String, birthDate: String, cards: String, kiosk: String?

        func makeBindings() throws -> PostgresBindings {
            var values = try bindings(old, new, csrfToken, at, patientKey, patientName, birthDate, cards)
            values.append(kiosk)
            return values
        }
        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// A booking attempt begun (migration v2's function): the entry made or found, or the one rule 2 meets.
    struct BeginBooking: PostgresPreparedStatement {
        static let name = "registry_begin_booking"
        static let sql = "SELECT \(ledgerColumns) FROM registry_begin_booking(\((1...26).map { "$\($0)" }.joined(separator: ", ")))"
        let entry: LedgerEntry

        func makeBindings() throws -> PostgresBindings {
            var values = PostgresBindings(capacity: 26)
            for text in [entry.requestID, entry.patientKey, entry.clinicID, entry.slotID, entry.misPatientID] { values.append(text) }
            for text in [entry.appointmentID, entry.ticket] { values.append(text) }
            for text in [entry.clinicName, entry.clinicAddress, entry.clinicPhone, entry.timeZone, entry.federalCode, entry.specialtyName, entry.doctorName, entry.room] {
                values.append(text)
            }
            values.append(entry.start.timeIntervalSince1970)
            values.append(entry.end.timeIntervalSince1970)
            for text in [entry.day, entry.status.rawValue, entry.channel] { values.append(text) }
            values.append(entry.createdAt.timeIntervalSince1970)
            for text in [entry.replaces, entry.doctorID, entry.specialtyID, entry.referral, entry.actor] { values.append(text) }
            return values
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// An attempt confirmed with the MIS's appointment; the booking it replaces (a move) becomes moved.
    struct ConfirmBooking: PostgresPreparedStatement {
        static let name = "registry_confirm_booking_v2"
        // The entry becomes active, the one it replaces moved, and the patient's message (the ticket, or the move) enters the outbox: one statement.
        static let sql = """
            WITH confirmed AS (UPDATE ledger SET status = $5, appointment_id = $2, ticket = $3 WHERE request_id = $1 RETURNING replaces, patient_key),
            moved AS (UPDATE ledger SET status = 'moved', moved_to = $1 WHERE request_id = (SELECT replaces FROM confirmed) AND status IN ('active', 'awaiting', 'cancelled'))
            INSERT INTO outbox (id, idempotency_key, patient_key, channel, recipient, kind, request_id, status, attempts, next_attempt_at, created_at)
            SELECT md5(random()::text || clock_timestamp()::text || m.channel), m.kind || ':' || $1 || ':' || m.channel, c.patient_key, m.channel, m.recipient, m.kind, $1,
                'pending', 0, $4, $4
            FROM confirmed JOIN contact c ON c.patient_key = confirmed.patient_key
            CROSS JOIN LATERAL (SELECT CASE WHEN confirmed.replaces IS NOT NULL THEN 'moved' WHEN $5 = 'awaiting' THEN 'awaiting' ELSE 'booked' END AS kind) AS k
            CROSS JOIN LATERAL (VALUES ('email', c.email, k.kind), ('sms', c.phone, k.kind)) AS m(channel, recipient, kind)
            WHERE m.recipient IS NOT NULL AND m.recipient <> ''
            ON CONFLICT (idempotency_key) DO NOTHING
            """
        typealias Row = Void
        let requestID: String, appointmentID: String, ticket: String?, now: Double, status: String

        func makeBindings() throws -> PostgresBindings {
            var values = PostgresBindings(capacity: 5)
            values.append(requestID)
            values.append(appointmentID)
            values.append(ticket)
            values.append(now)
            values.append(status)
            return values
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }
}

/// Bindings in order, for statements whose values are all present.
private func bindings<each Value: PostgresThrowingDynamicTypeEncodable>(_ value: repeat each Value) throws -> PostgresBindings {
    var values = PostgresBindings()
    for value in repeat each value { try values.append(value) }
    return values
}
