import Foundation
import GRDB

// Staff accounts, their sessions and the audit trail on SQLite; PostgresStore+Staff means the same.

extension AppDatabase {
    // MARK: Accounts

    public func createAccount(_ account: StaffAccount) async throws {
        do {
            try await timedWrite { db in
                try db.execute(sql: """
                    INSERT INTO account (id, login, name, role, password_hash, created_at, disabled_at, must_change_password, clinics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [account.id, account.login, account.name, account.role.rawValue, account.passwordHash, account.createdAt.timeIntervalSince1970,
                                     account.disabledAt?.timeIntervalSince1970, account.mustChangePassword, StaffAccount.storedClinics(account.clinics)])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw LoginTaken(login: account.login)
        }
    }

    public func account(login: String) throws -> StaffAccount? {
        try timedRead { db in try Row.fetchOne(db, sql: "SELECT * FROM account WHERE login = ?", arguments: [login]).map(Self.account) }
    }

    public func account(id: String) throws -> StaffAccount? {
        try timedRead { db in try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]).map(Self.account) }
    }

    public func accounts() throws -> [StaffAccount] {
        try timedRead { db in try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY login").map(Self.account) }
    }

    /// Saves the account's name, role, clinics, password hash, disabled time and reset flag.
    public func updateAccount(_ account: StaffAccount) async throws {
        try await timedWrite { db in
            try db.execute(sql: "UPDATE account SET name = ?, role = ?, password_hash = ?, disabled_at = ?, must_change_password = ?, clinics = ? WHERE id = ?",
                           arguments: [account.name, account.role.rawValue, account.passwordHash, account.disabledAt?.timeIntervalSince1970, account.mustChangePassword,
                                       StaffAccount.storedClinics(account.clinics), account.id])
        }
    }

    static func account(_ row: Row) -> StaffAccount {
        StaffAccount(id: row["id"], login: row["login"], name: row["name"], role: StaffRole(rawValue: row["role"]) ?? .operator, passwordHash: row["password_hash"],
                     createdAt: Date(timeIntervalSince1970: row["created_at"]), disabledAt: (row["disabled_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
                     mustChangePassword: row["must_change_password"], clinics: StaffAccount.clinics(stored: row["clinics"]))
    }

    // MARK: Staff sessions

    public func createStaffSession(id: String, accountID: String, csrfToken: String, now: Date) async throws {
        try await timedWrite { db in
            try db.execute(sql: "INSERT INTO staff_session (id, account_id, csrf_token, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, accountID, csrfToken, now.timeIntervalSince1970, now.timeIntervalSince1970])
        }
    }

    /// The session and its account; nil (and the session gone) once it lapsed or its account was disabled.
    public func staffSession(id: String, now: Date, idleTimeout: TimeInterval) async throws -> StaffSessionRecord? {
        let found = try timedRead { db in
            try Row.fetchOne(db, sql: """
                SELECT s.csrf_token, s.last_seen, s.search, s.caller, a.* FROM staff_session s JOIN account a ON a.id = s.account_id WHERE s.id = ?
                """, arguments: [id])
        }
        guard let row = found else { return nil }
        let lastSeen = Date(timeIntervalSince1970: row["last_seen"])
        let account = Self.account(row)
        guard now.timeIntervalSince(lastSeen) <= idleTimeout, account.disabledAt == nil else {
            try await deleteStaffSession(id: id)
            return nil
        }
        let touched = SessionRecord.isDueForTouch(lastSeen: lastSeen, now: now, idleTimeout: idleTimeout)
        if touched {
            try await timedWrite { db in try db.execute(sql: "UPDATE staff_session SET last_seen = max(last_seen, ?) WHERE id = ?", arguments: [now.timeIntervalSince1970, id]) }
        }
        return StaffSessionRecord(id: id, csrfToken: row["csrf_token"], lastSeen: touched ? now : lastSeen, account: account,
                                  searchResults: CallerRecord.decoded(row["search"], as: [CallerRecord].self) ?? [], caller: CallerRecord.decoded(row["caller"], as: CallerRecord.self))
    }

    public func saveStaffSearch(sessionID: String, callers: [CallerRecord]) async throws {
        try await timedWrite { db in try db.execute(sql: "UPDATE staff_session SET search = ? WHERE id = ?", arguments: [CallerRecord.encoded(callers), sessionID]) }
    }

    public func chooseStaffCaller(sessionID: String, caller: CallerRecord?) async throws {
        try await timedWrite { db in try db.execute(sql: "UPDATE staff_session SET caller = ? WHERE id = ?", arguments: [caller.map(CallerRecord.encoded), sessionID]) }
    }

    public func deleteStaffSession(id: String) async throws {
        try await timedWrite { db in try db.execute(sql: "DELETE FROM staff_session WHERE id = ?", arguments: [id]) }
    }

    public func deleteStaffSessions(accountID: String) async throws {
        try await timedWrite { db in try db.execute(sql: "DELETE FROM staff_session WHERE account_id = ?", arguments: [accountID]) }
    }

    @discardableResult
    public func deleteExpiredStaffSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int {
        try await timedWrite { db in
            try db.execute(sql: "DELETE FROM staff_session WHERE last_seen < ?", arguments: [now.timeIntervalSince1970 - idleTimeout])
            return db.changesCount
        }
    }

    // MARK: The audit trail

    /// Appends `entry` after the last line, numbered and chained to it (one write transaction: lines
    /// appended at once take turns).
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        try await timedWrite { db in
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1").map { (sequence: $0["sequence"] as Int64, hash: $0["hash"] as String) }
            let chained = entry.chained(after: last, key: auditKey)
            try db.execute(sql: """
                INSERT INTO audit (sequence, at_ms, actor, action, patient_key, detail, address, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [chained.sequence, chained.atMilliseconds, chained.actor, chained.action, chained.patientKey, chained.detail, chained.address,
                                 chained.previousHash, chained.hash])
            return chained
        }
    }

    /// The lines `query` asks for, newest first.
    public func auditEntries(_ query: AuditQuery) throws -> [AuditEntry] {
        var conditions = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let actor = query.actor { conditions.append("actor = ?"); arguments.append(actor) }
        if let key = query.patientKey { conditions.append("patient_key = ?"); arguments.append(key) }
        if let action = query.action { conditions.append("action = ?"); arguments.append(action) }
        if let from = query.from { conditions.append("at_ms >= ?"); arguments.append(Int64(from.timeIntervalSince1970 * 1_000)) }
        if let until = query.until { conditions.append("at_ms < ?"); arguments.append(Int64(until.timeIntervalSince1970 * 1_000)) }
        arguments.append(query.limit)
        return try timedRead { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE \(conditions.joined(separator: " AND ")) ORDER BY sequence DESC LIMIT ?",
                             arguments: StatementArguments(arguments)).map(Self.auditEntry)
        }
    }

    /// Up to `limit` lines after `sequence`, in order (the chain check walks the trail with it).
    public func auditEntries(after sequence: Int64, limit: Int) throws -> [AuditEntry] {
        try timedRead { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [sequence, limit]).map(Self.auditEntry)
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        AuditEntry(sequence: row["sequence"], atMilliseconds: row["at_ms"], actor: row["actor"], action: row["action"], patientKey: row["patient_key"],
                   detail: row["detail"], address: row["address"], previousHash: row["previous_hash"], hash: row["hash"])
    }
}
