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

    /// Walks every line in order, a batch at a time; stops at the first line that breaks the chain.
    public func verify(batch: Int = 1_000) async throws -> Verification {
        var check = AuditChainCheck()
        var after: Int64 = 0
        while true {
            let lines = try await database.auditEntries(after: after, limit: batch)
            for line in lines {
                if let broken = check.check(line) { return Verification(checked: check.checked, firstBreak: broken) }
            }
            guard let last = lines.last, lines.count == batch else { return Verification(checked: check.checked, firstBreak: nil) }
            after = last.sequence
        }
    }
}
