import Foundation
import Persistence

/// The audit trail of 152-ФЗ: every look at a patient's data and every action by staff, appended
/// with who, when, whose data (the patient's stable key, never the policy) and from where. Lines
/// are chained by hashes; `verify` walks the chain and names the first broken link.
public struct AuditTrail: Sendable {
    /// What was done, as the trail names it (stable: searches and exports use these).
    public enum Action: String, Sendable, CaseIterable {
        case signedIn = "staff.signed-in"
        case signInFailed = "staff.sign-in-failed"
        /// Tries refused unread while signing in is slowed down (one line counts many).
        case signInThrottled = "staff.sign-in-throttled"
        case signedOut = "staff.signed-out"
        case passwordChanged = "staff.password-changed"
        case accountCreated = "account.created"
        case accountDisabled = "account.disabled"
        case accountEnabled = "account.enabled"
        case passwordReset = "account.password-reset"
        /// An account given another role or other clinics.
        case accountAccessChanged = "account.access-changed"
        /// A staff page refused to a role or a clinic it is not for.
        case staffRefused = "staff.refused"
        /// A clinic's day list looked at, printed, downloaded (the detail: clinic, day, doctor, how many patients).
        case dayListViewed = "clinic.day-list-viewed"
        case dayListPrinted = "clinic.day-list-printed"
        case dayListExported = "clinic.day-list-exported"
        /// Doctors' schedules with patients' names printed (the detail: clinic, period, doctors, how many patients).
        case schedulePrinted = "clinic.schedule-printed"
        /// A clinic's queue of bookings awaiting a decision looked at (the detail: clinic, how many).
        case queueViewed = "clinic.queue-viewed"
        case reservationConfirmed = "reservation.confirmed"
        /// A reservation refused, or a displaced booking cancelled, by the clinic (the detail: the reason).
        case reservationRefused = "reservation.refused"
        /// A displaced booking moved by the clinic to another time.
        case reservationMoved = "reservation.moved"
        /// A card opened in a clinic's MIS for a person who had none there.
        case cardCreated = "patient.card-created"
        case patientSearch = "patient.search"
        case patientShown = "patient.shown"
        case patientCardViewed = "patient.card-viewed"
        case booked = "booking.booked"
        case cancelled = "booking.cancelled"
        case moved = "booking.moved"
        case contactsChanged = "patient.contacts-changed"
        case auditSearched = "audit.searched"
        case auditExported = "audit.exported"
        case kioskRegistered = "kiosk.registered"
        case kioskRevoked = "kiosk.revoked"
        /// A kiosk's token used from outside the network the kiosk is bound to.
        case kioskRefusedElsewhere = "kiosk.refused-elsewhere"
    }

    let database: any RegistryStore

    public init(database: any RegistryStore) {
        self.database = database
    }

    /// The trail's name for a staff member.
    public static func actor(_ account: StaffAccount) -> String { "account:\(account.id)" }

    /// Appends one line.
    @discardableResult
    public func record(_ action: Action, by actor: String, patientKey: String? = nil, detail: String = "", address: String?, now: Date) async throws -> AuditEntry {
        try await database.appendAudit(AuditEntry(at: now, actor: actor, action: action.rawValue, patientKey: patientKey, detail: detail, address: address))
    }

    /// The result of walking the whole chain.
    public struct Verification: Sendable, Equatable {
        public let checked: Int
        public let firstBreak: AuditBreak?
    }

    /// Walks every line in order, a batch at a time, under the store's audit key; stops at the first
    /// line that breaks the chain. `checkpoints` (heads recorded outside the store) must each be
    /// genuine and find their line with their hash: a trail cut short or rewritten is caught there.
    public func verify(checkpoints: [AuditCheckpoint] = [], batch: Int = 1_000) async throws -> Verification {
        let key = database.auditKey
        if let forged = checkpoints.first(where: { !$0.isGenuine(key: key) }) {
            return Verification(checked: 0, firstBreak: AuditBreak(sequence: forged.sequence, reason: "its checkpoint was not written under the audit key"))
        }
        var check = AuditChainCheck(key: key, checkpoints: checkpoints)
        var after: Int64 = 0
        while true {
            let lines = try await database.auditEntries(after: after, limit: batch)
            for line in lines {
                if let broken = check.check(line) { return Verification(checked: check.checked, firstBreak: broken) }
            }
            guard let last = lines.last, lines.count == batch else { return Verification(checked: check.checked, firstBreak: check.finish()) }
            after = last.sequence
        }
    }
}

/// Heads of the audit chain written to a file outside the store, one line each, appended only
/// (and to the log): what `AuditTrail.verify` compares the trail with, so that deleting its newest
/// lines, or rewriting it, is caught.
public struct AuditCheckpoints: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Appends the chain's head now, unless the file's last checkpoint already names it; returns what was written.
    @discardableResult
    public func record(from database: any RegistryStore, now: Date) async throws -> AuditCheckpoint? {
        guard let head = try await database.auditEntries(AuditQuery(limit: 1)).first else { return nil }
        if let last = try lastRecorded(), last.sequence == head.sequence, last.hash == head.hash { return nil }
        let checkpoint = AuditCheckpoint(at: now, sequence: head.sequence, hash: head.hash, key: database.auditKey)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]) else { throw AuditKeyError("could not create \(path)") }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw AuditKeyError("could not open \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((checkpoint.line + "\n").utf8))
        try handle.synchronize()
        return checkpoint
    }

    /// Every checkpoint in the file (none when there is no file); a line that is not one is an error.
    public func read() throws -> [AuditCheckpoint] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { number, line in
            guard let checkpoint = AuditCheckpoint(line: line) else { throw AuditKeyError("\(path), line \(number + 1), is not a checkpoint") }
            return checkpoint
        }
    }

    private func lastRecorded() throws -> AuditCheckpoint? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 512 ? size - 512 : 0)
        let tail = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        return tail.split(separator: "\n").last.flatMap(AuditCheckpoint.init(line:))
    }
}
