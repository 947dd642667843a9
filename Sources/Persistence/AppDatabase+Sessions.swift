import Foundation
import GRDB
import SQLiteRows
import Synchronization

/// A browser's session: its CSRF token and, once identified, who the patient is.
public struct SessionRecord: Sendable, Equatable {
    public let id: String
    public let csrfToken: String
    /// The activity the session's idle time counts from, as stored (it may trail the latest request a little).
    public let lastSeen: Date
    public let patient: IdentifiedPatient?
    /// The kiosk the session was made at: good only there (nil for a browser's own session).
    public var kioskID: String? = nil
    /// The patient's ledger (latest first) as read with the session, when it was asked for: what
    /// the request's first look at the patient's bookings uses; nil when not asked for.
    public var ledger: [LedgerEntry]? = nil

    /// Whether a request now should write the session's activity down: at most every 1/40 of the
    /// idle time (15 s at most), so that not every page of a signed-in patient is a write, and the
    /// session ends at most that much early. The same rule in every store.
    static func isDueForTouch(lastSeen: Date, now: Date, idleTimeout: TimeInterval) -> Bool {
        now.timeIntervalSince(lastSeen) >= min(15, idleTimeout / 40)
    }
}

/// The patient a session speaks for, as the MIS identified them.
public struct IdentifiedPatient: Sendable, Equatable {
    public let key: String
    /// Name for display, already partly masked by the caller if needed.
    public let displayName: String
    public let birthDate: String
    /// The patient's card in each clinic where the MIS found one, by clinic id.
    public let cards: [String: ClinicCard]

    public init(key: String, displayName: String, birthDate: String, cards: [String: ClinicCard]) {
        self.key = key
        self.displayName = displayName
        self.birthDate = birthDate
        self.cards = cards
    }

    /// The patient's card id in each clinic where the MIS found one.
    public var clinicPatients: [String: String] { cards.mapValues(\.patientID) }

    /// The clinic the patient is attached to and the district (участок) there, as their cards say.
    public var attachment: (clinicID: String, district: String?)? {
        cards.values.compactMap { card in card.attachedClinicID.map { ($0, card.attachedDistrict) } }.min { $0.0 < $1.0 }
    }
}

/// The patient's card in one clinic: what its MIS said at identification.
public struct ClinicCard: Sendable, Equatable, Codable {
    public let patientID: String
    public let attachedClinicID: String?
    public let attachedDistrict: String?
    /// Specialty ids (of this clinic) the patient is under dispensary observation with.
    public let dispensarySpecialtyIDs: [String]

    public init(patientID: String, attachedClinicID: String? = nil, attachedDistrict: String? = nil, dispensarySpecialtyIDs: [String] = []) {
        self.patientID = patientID
        self.attachedClinicID = attachedClinicID
        self.attachedDistrict = attachedDistrict
        self.dispensarySpecialtyIDs = dispensarySpecialtyIDs
    }
}

extension AppDatabase {
    public func createSession(id: String, csrfToken: String, now: Date) async throws {
        try await timedWrite { db in
            try db.execute(sql: "INSERT INTO session (id, csrf_token, created_at, last_seen) VALUES (?, ?, ?, ?)",
                           arguments: [id, csrfToken, now.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }

    /// The live session `id`, touched as seen now; nil if unknown or idle longer than `idleTimeout`
    /// (an expired session is deleted).
    public func session(id: String, now: Date, idleTimeout: TimeInterval, withLedger: Bool = false) async throws -> SessionRecord? {
        // Two single-statement reads on one connection: the session, then (if asked) the patient's ledger.
        let read = try readOneStatement { db -> (StoredSession, [LedgerEntry]?)? in
            guard let stored = try Row.decodedFirst(db.cachedStatement(sql: "SELECT * FROM session WHERE id = ?"), arguments: [id], StoredSession.init) else { return nil }
            guard withLedger, let key = stored.patientKey else { return (stored, nil) }
            return (stored, try Self.ledger(db, patientKey: key))
        }
        guard let (stored, ledger) = read else { return nil }
        let lastSeen = stored.lastSeen
        guard now.timeIntervalSince(lastSeen) <= idleTimeout else {
            try await deleteSession(id: id)
            return nil
        }
        let touched = SessionRecord.isDueForTouch(lastSeen: lastSeen, now: now, idleTimeout: idleTimeout)
        if touched { try await touchSession(id: id, now: now) }
        return SessionRecord(id: id, csrfToken: stored.csrfToken, lastSeen: touched ? now : lastSeen, patient: sessionPatients.patient(of: id) { stored.patient },
                             kioskID: stored.kioskID, ledger: ledger)
    }

    /// Writes down activity on the session now (the patient asked to stay signed in).
    public func touchSession(id: String, now: Date) async throws {
        try await timedWrite { db in try db.cachedStatement(sql: "UPDATE session SET last_seen = max(last_seen, ?) WHERE id = ?").execute(arguments: [now.timeIntervalSince1970, id]) }
    }

    /// Replaces session `old` by `new` (a fresh id and CSRF token) holding `patient`: the id changes
    /// whenever the privilege does, so a planted session id is worthless. At a kiosk (`kiosk`), every
    /// other session of that kiosk ends too: it serves one patient at a time.
    public func identify(session old: String, as new: String, csrfToken: String, patient: IdentifiedPatient, kiosk: String?, now: Date) async throws {
        // Only `cards` is written: `clinic_patients` is read from sessions made before migration v2.
        let cards = String(decoding: try JSONEncoder().encode(patient.cards), as: UTF8.self)
        try await timedWrite { db in
            try db.cachedStatement(sql: "DELETE FROM session WHERE id = ?").execute(arguments: [old])
            if let kiosk { try db.cachedStatement(sql: "DELETE FROM session WHERE kiosk_id = ?").execute(arguments: [kiosk]) }
            try db.cachedStatement(sql: """
                INSERT INTO session (id, csrf_token, created_at, last_seen, patient_key, patient_name, birth_date, clinic_patients, cards, kiosk_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [new, csrfToken, now.timeIntervalSince1970, now.timeIntervalSince1970, patient.key, patient.displayName, patient.birthDate, nil as String?, cards, kiosk])
        }
        sessionPatients.remember(patient, of: new)
    }

    /// Identifies a browser's own session (not a kiosk's).
    public func identify(session old: String, as new: String, csrfToken: String, patient: IdentifiedPatient, now: Date) async throws {
        try await identify(session: old, as: new, csrfToken: csrfToken, patient: patient, kiosk: nil, now: now)
    }

    public func deleteSession(id: String) async throws {
        try await timedWrite { db in try db.cachedStatement(sql: "DELETE FROM session WHERE id = ?").execute(arguments: [id]) }
    }

    /// Removes sessions idle longer than `idleTimeout`; returns how many.
    @discardableResult
    public func deleteExpiredSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int {
        try await timedWrite { db in
            try db.cachedStatement(sql: "DELETE FROM session WHERE last_seen < ?").execute(arguments: [now.timeIntervalSince1970 - idleTimeout])
            return db.changesCount
        }
    }
}

/// A session's row as read, its patient decoded only when asked (most requests find it remembered).
struct StoredSession {
    let csrfToken: String
    let lastSeen: Date
    let kioskID: String?
    let patientKey: String?
    let patientName: String?
    let birthDate: String?
    let cards: String?
    let clinicPatients: String?

    init(_ row: Row) {
        csrfToken = row["csrf_token"]
        lastSeen = Date(timeIntervalSince1970: row["last_seen"])
        kioskID = row["kiosk_id"]
        patientKey = row["patient_key"]
        patientName = row["patient_name"]
        birthDate = row["birth_date"]
        cards = row["cards"]
        clinicPatients = row["clinic_patients"]
    }

    var patient: IdentifiedPatient? {
        guard let patientKey else { return nil }
        // Sessions from before migration v2 know only the card ids.
        let cards = cards.flatMap { try? JSONDecoder().decode([String: ClinicCard].self, from: Data($0.utf8)) }
            ?? (clinicPatients.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]).mapValues { ClinicCard(patientID: $0) }
        return IdentifiedPatient(key: patientKey, displayName: patientName ?? "", birthDate: birthDate ?? "", cards: cards)
    }
}

/// The decoded patients of recent sessions, by session id (bounded; forgotten wholesale when full).
final class SessionPatients: Sendable {
    private let patients = Mutex<[String: IdentifiedPatient]>([:])

    func patient(of session: String, decode: () -> IdentifiedPatient?) -> IdentifiedPatient? {
        if let known = patients.withLock({ $0[session] }) { return known }
        guard let patient = decode() else { return nil }
        remember(patient, of: session)
        return patient
    }

    func remember(_ patient: IdentifiedPatient, of session: String) {
        patients.withLock { patients in
            if patients.count >= 20_000 { patients.removeAll() }
            patients[session] = patient
        }
    }
}
