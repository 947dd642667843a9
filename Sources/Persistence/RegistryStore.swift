import Foundation

/// The registry's store as every backend offers it: SQLite through GRDB (`AppDatabase`, the
/// embedded default) and PostgreSQL through PostgresNIO (`PostgresStore`, for several nodes). One
/// contract test suite runs against both; every table from migration v5 on is born in both.
public protocol RegistryStore: Sendable {
    // Sessions
    func createSession(id: String, csrfToken: String, now: Date) async throws
    /// `withLedger`: the patient's ledger comes with the session (`SessionRecord.ledger`), read with
    /// it — one round trip instead of two for the pages that apply the rules or show a booking.
    func session(id: String, now: Date, idleTimeout: TimeInterval, withLedger: Bool) async throws -> SessionRecord?
    func touchSession(id: String, now: Date) async throws
    /// At a kiosk (`kiosk` its id) the new session is good there only, and ends every other session of that kiosk.
    func identify(session old: String, as new: String, csrfToken: String, patient: IdentifiedPatient, kiosk: String?, now: Date) async throws
    func deleteSession(id: String) async throws
    @discardableResult
    func deleteExpiredSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int

    // The ledger
    func beginBooking(_ entry: LedgerEntry) async throws -> LedgerEntry
    /// The MIS booked it: the entry becomes active — or `awaiting`, a reservation the clinic is to
    /// confirm — (the one it replaces moved), and the patient's message — the ticket, the
    /// reservation, or the move — is written to the outbox in the same transaction.
    func confirmBooking(requestID: String, appointmentID: String, ticket: String?, awaiting: Bool, now: Date) async throws
    @discardableResult
    func recordReplacement(_ entry: LedgerEntry) async throws -> Bool
    func failBooking(requestID: String) async throws
    @discardableResult
    func cancelBooking(clinicID: String, appointmentID: String, by channel: String, actor: String?, reason: String?, now: Date) async throws -> Bool
    @discardableResult
    func moveBooking(clinicID: String, appointmentID: String, to move: LedgerMove, now: Date) async throws -> Bool
    /// A clinic's decision on a reservation, or a displacement: the entry changes and the patient's
    /// message is written, in one transaction; false when the entry was not in a state it applies to.
    @discardableResult
    func settleBooking(clinicID: String, appointmentID: String, _ settlement: LedgerSettlement, now: Date) async throws -> Bool
    func bookings(patientKey: String) async throws -> [LedgerEntry]
    func booking(requestID: String) async throws -> LedgerEntry?
    func booking(clinicID: String, appointmentID: String) async throws -> LedgerEntry?
    func pendingBookings(olderThan cutoff: Date) async throws -> [LedgerEntry]
    func changeCursor(clinicID: String) async throws -> String
    func saveChangeCursor(clinicID: String, cursor: String, now: Date) async throws

    // Throttling, contacts, secrets
    func failedAttempts(keys: [String], now: Date, window: TimeInterval) async throws -> [Int]
    func recordFailedAttempt(keys: [String], now: Date) async throws
    /// Forgets every attempt whose key starts with `keyPrefix` (a lock lifted by an administrator).
    func clearFailedAttempts(keyPrefix: String) async throws
    @discardableResult
    func deleteOldAttempts(now: Date, window: TimeInterval) async throws -> Int
    func saveContact(patientKey: String, phone: String?, email: String?, consentAt: Date) async throws
    func deleteContact(patientKey: String) async throws
    func contact(patientKey: String) async throws -> ContactRecord?
    /// Keeps contacts whose consent was given by phone to `consentBy` (`operator:<account>`).
    /// Saves the patient's contacts. A value that changes is unconfirmed again; a phone an operator
    /// took down during the call (`consentBy`) is confirmed by it.
    func saveContact(patientKey: String, phone: String?, email: String?, consentAt: Date, consentBy: String?) async throws
    /// Begins confirming the patient's contact on `channel` (what the contact holds now): keeps the
    /// secret's hash and writes the message that carries `secret`. False, with nothing written, when
    /// the recipient or the patient has had `ContactConfirmationLimits`' share of them in the last day.
    func startContactConfirmation(patientKey: String, channel: OutboxMessage.Channel, secret: String, secretHash: String, now: Date) async throws -> Bool
    /// The confirmation whose secret hashes to `secretHash`, still good at `now`.
    func contactConfirmation(secretHash: String, now: Date) async throws -> ContactConfirmation?
    /// Confirms the patient's contact on `channel` if `secretHash` is its confirmation's and the
    /// contact still holds the same value; a wrong one counts against the confirmation's attempts.
    func confirmContact(patientKey: String, channel: OutboxMessage.Channel, secretHash: String, now: Date) async throws -> Bool
    /// Messages of `kinds` written to `recipient` since `since` (a contact's daily cap).
    func messageCount(recipient: String, kinds: [OutboxMessage.Kind], since: Date) async throws -> Int
    func secret(named name: String) async throws -> [UInt8]

    // Staff accounts and their sessions (the call centre's and the clinics' staff)
    /// Throws `LoginTaken` when the login is someone else's.
    func createAccount(_ account: StaffAccount) async throws
    func account(login: String) async throws -> StaffAccount?
    func account(id: String) async throws -> StaffAccount?
    func accounts() async throws -> [StaffAccount]
    /// Saves the account's name, role, password hash, disabled time and reset flag.
    func updateAccount(_ account: StaffAccount) async throws
    func createStaffSession(id: String, accountID: String, csrfToken: String, now: Date) async throws
    /// The session and its account as it is now; nil (and the session gone) once it lapsed or the account was disabled.
    func staffSession(id: String, now: Date, idleTimeout: TimeInterval) async throws -> StaffSessionRecord?
    func deleteStaffSession(id: String) async throws
    func deleteStaffSessions(accountID: String) async throws
    /// Keeps the callers a search found with the session (replacing the last search's).
    func saveStaffSearch(sessionID: String, callers: [CallerRecord]) async throws
    /// The caller the staff member serves from now on (nil: none).
    func chooseStaffCaller(sessionID: String, caller: CallerRecord?) async throws
    @discardableResult
    func deleteExpiredStaffSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int

    // The audit trail: appended only, each line chained to the one before
    /// The key the audit chain is kept under (outside the database), if the process was given one.
    var auditKey: AuditKey? { get }
    /// `entry` numbered after the last line and chained to it; lines appended at once (from any node) take turns.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry
    /// The lines `query` asks for, newest first.
    func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry]
    /// Up to `limit` lines after `sequence`, in order.
    func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry]

    // The notification outbox (events write their messages themselves: confirming, cancelling and
    // moving a booking; a contact changed or withdrawn withdraws the pending ones it no longer covers)
    /// Claims up to `limit` messages due now — waiting ones, and ones whose worker's claim ran out
    /// (it died mid-send) — for `lease`; each claim counts as a try. Workers on several nodes never claim one message at once.
    func claimDueMessages(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage]
    func markMessageSent(id: String, now: Date) async throws
    /// A try failed: again at `retryAt`, or never (nil: the message is dead).
    func markMessageFailed(id: String, error: String, retryAt: Date?) async throws
    /// The patient's messages, newest first.
    func messages(patientKey: String) async throws -> [OutboxMessage]
    func outboxCounts() async throws -> [OutboxMessage.Status: Int]
    /// Patients with a contact and an active visit starting in `from..<to` whose day has no reminder yet (at most 1 000).
    func reminderCandidates(from: Date, to: Date) async throws -> [ReminderCandidate]
    /// Writes the day's reminder, one per channel the patient consented to, due at `due`; a day reminded of already writes nothing.
    func scheduleReminder(_ candidate: ReminderCandidate, due: Date, now: Date) async throws
    /// A claimed message that must wait (a reminder outside quiet hours): pending again until `until`, the try not counted.
    func deferMessage(id: String, until: Date) async throws
    /// A claimed message with nothing left to say (its visits were cancelled): withdrawn, saying why.
    func withdrawMessage(id: String, reason: String) async throws

    // The waiting list (its offers write their messages to the outbox themselves)
    /// Adds an entry; throws `WaitlistRefusal` when the patient already waits for the same or has `limit` waiting entries.
    func joinWaitlist(_ entry: WaitlistEntry, limit: Int) async throws
    /// The patient's entries, newest first.
    func waitlist(patientKey: String) async throws -> [WaitlistEntry]
    /// The patient leaves entry `id` (their open offers expire); false if it was not theirs and waiting.
    @discardableResult
    func leaveWaitlist(id: String, patientKey: String, now: Date) async throws -> Bool
    /// Entries still waiting, oldest first; entries past their last day (before `today`) and offers past their time expire first.
    func waitingEntries(today: String, now: Date) async throws -> [WaitlistEntry]
    /// Offers open now.
    func openOffers(now: Date) async throws -> [WaitlistOffer]
    /// The entries ever offered `slotID` of `clinicID`.
    func offeredEntries(clinicID: String, slotID: String) async throws -> Set<String>
    /// Writes the offers and, in the same transaction, a message of each to its patient (kind `offer`).
    func makeOffers(_ offers: [WaitlistOffer], now: Date) async throws
    func offer(id: String) async throws -> WaitlistOffer?
    /// Offer `id` was booked: it is taken and its entry booked, and every other open offer of that time
    /// is gone, each with a message saying so. False if it was not open.
    @discardableResult
    func takeOffer(id: String, now: Date) async throws -> Bool
    /// The time stopped being free some other way: its open offers are gone, each with a message. Returns how many.
    @discardableResult
    func closeOffers(clinicID: String, slotID: String, now: Date) async throws -> Int

    // Kiosks
    /// Throws `KioskTokenTaken` in the (astronomically unlikely) case of a token already in use.
    func createKiosk(_ kiosk: KioskRecord, tokenHash: String) async throws
    /// The kiosk whose device token hashes to `tokenHash`, revoked or not.
    func kiosk(tokenHash: String) async throws -> KioskRecord?
    func kiosk(id: String) async throws -> KioskRecord?
    /// Every kiosk, newest first.
    func kiosks() async throws -> [KioskRecord]
    /// Revokes the kiosk's token and ends the session of whoever stands at it; false if it was not live.
    @discardableResult
    func revokeKiosk(id: String, now: Date) async throws -> Bool
    /// Notes that the kiosk's browser opened the start address now.
    func kioskStarted(id: String, now: Date) async throws
    /// Ends the sessions made at kiosks that have been idle longer than `idleTimeout` (a kiosk's is short).
    @discardableResult
    func deleteExpiredKioskSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int

    // The federal portal's door (FederalDoorSchema)
    /// The portal's feed of one clinic after `sequence`, oldest first (at most `limit`).
    func federalChanges(clinicID: String, after sequence: Int, limit: Int) async throws -> [FederalChange]
    /// The portal's own bookings of one person (their patient key) in one clinic, newest first.
    func federalBookings(clinicID: String, patientKey: String) async throws -> [LedgerEntry]
    /// Notes a nonce of a key; false when some node saw it already (a replay). Nonces older than
    /// twice `window` are forgotten.
    func rememberNonce(keyID: String, nonce: String, now: Date, window: TimeInterval) async throws -> Bool

    /// Whether the database answers a query now (readiness).
    func isReachable() async -> Bool

    // Statistics: figures without personal data (StatisticsSchema)
    /// Replaces the made- and visit-day figures of `clinic` on `days` with `counts` (summed where they
    /// share a key), marks those days filled and keeps `names` — one transaction.
    func replaceStatistics(clinic: String, days: [String], counts: [StatisticCount], names: [StatisticName], now: Date) async throws
    /// Adds one figure to what is counted already (a refusal the registry showed).
    func addStatistic(_ count: StatisticCount) async throws
    func statistics(_ query: StatisticQuery) async throws -> [StatisticTotal]
    /// The last day of `clinic` whose figures were filled from its MIS; nil before the first.
    func lastFilledStatisticDay(clinic: String) async throws -> String?
    /// Names by id of one kind (`clinic`, `specialty`, `doctor`).
    func statisticNames(kind: String) async throws -> [String: String]
}

/// A new kiosk's token hash is already some kiosk's.
public struct KioskTokenTaken: Error, Sendable {}

/// A patient's contacts with when, and through whom, they consented to be contacted.
public struct ContactRecord: Sendable, Equatable {
    public let phone: String?
    public let email: String?
    public let consentAt: Date
    /// nil: given by the patient on the site; `operator:<account>`: given by phone to that operator.
    public let consentBy: String?
    /// Whether the address and the phone have been confirmed (a link followed, a code typed): until
    /// then they receive nothing but their confirmation.
    public var emailConfirmed = false
    public var phoneConfirmed = false

    public init(phone: String?, email: String?, consentAt: Date, consentBy: String?, emailConfirmed: Bool = false, phoneConfirmed: Bool = false) {
        self.phone = phone
        self.email = email
        self.consentAt = consentAt
        self.consentBy = consentBy
        self.emailConfirmed = emailConfirmed
        self.phoneConfirmed = phoneConfirmed
    }

    /// The contact held by `channel`, if any.
    public func recipient(_ channel: OutboxMessage.Channel) -> String? {
        channel == .email ? email : phone
    }

    public func isConfirmed(_ channel: OutboxMessage.Channel) -> Bool {
        channel == .email ? emailConfirmed : phoneConfirmed
    }
}

extension RegistryStore {
    /// The MIS made an appointment (not a reservation).
    public func confirmBooking(requestID: String, appointmentID: String, ticket: String?, now: Date) async throws {
        try await confirmBooking(requestID: requestID, appointmentID: appointmentID, ticket: ticket, awaiting: false, now: now)
    }

    /// Identifies a browser's own session (not a kiosk's).
    public func identify(session old: String, as new: String, csrfToken: String, patient: IdentifiedPatient, now: Date) async throws {
        try await identify(session: old, as: new, csrfToken: csrfToken, patient: patient, kiosk: nil, now: now)
    }

    /// Contacts the patient gave, with consent, on the site.
    public func saveContact(patientKey: String, phone: String?, email: String?, consentAt: Date) async throws {
        try await saveContact(patientKey: patientKey, phone: phone, email: email, consentAt: consentAt, consentBy: nil)
    }
}

/// A booking attempt refused by the store itself: the patient already holds (or is booking) `held`,
/// a time of the same specialty on the same day (rule 2), and the attempt does not move it.
public struct LedgerConflict: Error, Sendable {
    public let held: LedgerEntry
}

/// The store did not answer within its deadline (the database is down or overloaded): pages say
/// "try again shortly" (503), never wait on.
public struct StoreUnavailableError: Error, CustomStringConvertible {
    public let operation: String
    public let seconds: Double

    public init(operation: String, seconds: Double) {
        self.operation = operation
        self.seconds = seconds
    }

    public var description: String { "the registry's database did not answer \(operation) within \(seconds) s" }
}

/// The SQLite store answers at once; its synchronous methods are the contract's.
extension AppDatabase: RegistryStore {}

extension RegistryStore {
    /// The session alone (most pages).
    public func session(id: String, now: Date, idleTimeout: TimeInterval) async throws -> SessionRecord? {
        try await session(id: id, now: now, idleTimeout: idleTimeout, withLedger: false)
    }
}
