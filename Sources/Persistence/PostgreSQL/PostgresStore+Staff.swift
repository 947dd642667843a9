import Foundation
import PostgresNIO

// Staff accounts, their sessions and the audit trail on PostgreSQL; AppDatabase+Staff means the same.

extension PostgresStore {
    // MARK: Accounts

    public func createAccount(_ account: StaffAccount) async throws {
        let created = account.createdAt.timeIntervalSince1970
        let disabled = account.disabledAt?.timeIntervalSince1970
        do {
            try await write {
                _ = try await client.query("""
                    INSERT INTO account (id, login, name, role, password_hash, created_at, disabled_at, must_change_password, clinics)
                    VALUES (\(account.id), \(account.login), \(account.name), \(account.role.rawValue), \(account.passwordHash), \(created), \(disabled),
                            \(account.mustChangePassword), \(StaffAccount.storedClinics(account.clinics)))
                    """, logger: logger)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw LoginTaken(login: account.login)
        }
    }

    public func account(login: String) async throws -> StaffAccount? {
        try await accounts(where: "SELECT * FROM account WHERE login = \(login)").first
    }

    public func account(id: String) async throws -> StaffAccount? {
        try await accounts(where: "SELECT * FROM account WHERE id = \(id)").first
    }

    public func accounts() async throws -> [StaffAccount] {
        try await accounts(where: "SELECT * FROM account ORDER BY login")
    }

    public func updateAccount(_ account: StaffAccount) async throws {
        let disabled = account.disabledAt?.timeIntervalSince1970
        try await write {
            _ = try await client.query("""
                UPDATE account SET name = \(account.name), role = \(account.role.rawValue), password_hash = \(account.passwordHash),
                    disabled_at = \(disabled), must_change_password = \(account.mustChangePassword), clinics = \(StaffAccount.storedClinics(account.clinics))
                    WHERE id = \(account.id)
                """, logger: logger)
        }
    }

    private func accounts(where query: PostgresQuery) async throws -> [StaffAccount] {
        try await read { try await client.query(query, logger: logger).collect().map { try Self.account($0.makeRandomAccess()) } }
    }

    private static func account(_ row: PostgresRandomAccessRow) throws -> StaffAccount {
        StaffAccount(id: try row["id"].decode(String.self), login: try row["login"].decode(String.self), name: try row["name"].decode(String.self),
                     role: StaffRole(rawValue: try row["role"].decode(String.self)) ?? .operator, passwordHash: try row["password_hash"].decode(String.self),
                     createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)),
                     disabledAt: try row["disabled_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:)),
                     mustChangePassword: try row["must_change_password"].decode(Bool.self), clinics: StaffAccount.clinics(stored: try row["clinics"].decode(String.self)))
    }

    // MARK: Staff sessions

    public func createStaffSession(id: String, accountID: String, csrfToken: String, now: Date) async throws {
        let at = now.timeIntervalSince1970
        try await write {
            _ = try await client.query("INSERT INTO staff_session (id, account_id, csrf_token, created_at, last_seen) VALUES (\(id), \(accountID), \(csrfToken), \(at), \(at))", logger: logger)
        }
    }

    public func staffSession(id: String, now: Date, idleTimeout: TimeInterval) async throws -> StaffSessionRecord? {
        let rows = try await read {
            try await client.query("SELECT s.csrf_token, s.last_seen, s.search, s.caller, a.* FROM staff_session s JOIN account a ON a.id = s.account_id WHERE s.id = \(id)", logger: logger).collect()
        }
        guard let row = rows.first?.makeRandomAccess() else { return nil }
        let lastSeen = Date(timeIntervalSince1970: try row["last_seen"].decode(Double.self))
        let account = try Self.account(row)
        guard now.timeIntervalSince(lastSeen) <= idleTimeout, account.disabledAt == nil else {
            try await deleteStaffSession(id: id)
            return nil
        }
        let touched = SessionRecord.isDueForTouch(lastSeen: lastSeen, now: now, idleTimeout: idleTimeout)
        if touched {
            let at = now.timeIntervalSince1970
            try await write { _ = try await client.query("UPDATE staff_session SET last_seen = GREATEST(last_seen, \(at)) WHERE id = \(id)", logger: logger) }
        }
        return StaffSessionRecord(id: id, csrfToken: try row["csrf_token"].decode(String.self), lastSeen: touched ? now : lastSeen, account: account,
                                  searchResults: CallerRecord.decoded(try row["search"].decode(String?.self), as: [CallerRecord].self) ?? [],
                                  caller: CallerRecord.decoded(try row["caller"].decode(String?.self), as: CallerRecord.self))
    }

    public func saveStaffSearch(sessionID: String, callers: [CallerRecord]) async throws {
        let text = CallerRecord.encoded(callers)
        try await write { _ = try await client.query("UPDATE staff_session SET search = \(text) WHERE id = \(sessionID)", logger: logger) }
    }

    public func chooseStaffCaller(sessionID: String, caller: CallerRecord?) async throws {
        let text = caller.map(CallerRecord.encoded)
        try await write { _ = try await client.query("UPDATE staff_session SET caller = \(text) WHERE id = \(sessionID)", logger: logger) }
    }

    public func deleteStaffSession(id: String) async throws {
        try await write { _ = try await client.query("DELETE FROM staff_session WHERE id = \(id)", logger: logger) }
    }

    public func deleteStaffSessions(accountID: String) async throws {
        try await write { _ = try await client.query("DELETE FROM staff_session WHERE account_id = \(accountID)", logger: logger) }
    }

    @discardableResult
    public func deleteExpiredStaffSessions(now: Date, idleTimeout: TimeInterval) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - idleTimeout
        return try await write { try await client.query("DELETE FROM staff_session WHERE last_seen < \(cutoff) RETURNING 1", logger: logger).collect().count }
    }

    // MARK: The audit trail

    /// Appended under a transaction lock of its own, so that lines from several nodes take turns and
    /// each is chained to the one really before it.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        try await write {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(727002)", logger: logger)
                let last = try await connection.query("SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1", logger: logger)
                    .collect().first.map { row -> (sequence: Int64, hash: String) in let (sequence, hash) = try row.decode((Int64, String).self); return (sequence, hash) }
                let chained = entry.chained(after: last, key: auditKey)
                try await connection.query("""
                    INSERT INTO audit (sequence, at_ms, actor, action, patient_key, detail, address, previous_hash, hash)
                    VALUES (\(chained.sequence), \(chained.atMilliseconds), \(chained.actor), \(chained.action), \(chained.patientKey), \(chained.detail),
                            \(chained.address), \(chained.previousHash), \(chained.hash))
                    """, logger: logger)
                return chained
            }
        }
    }

    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var sql: PostgresQuery = "SELECT * FROM audit WHERE TRUE"
        if let actor = query.actor { sql.sql += " AND actor = $\(sql.binds.count + 1)"; sql.binds.append(actor) }
        if let key = query.patientKey { sql.sql += " AND patient_key = $\(sql.binds.count + 1)"; sql.binds.append(key) }
        if let action = query.action { sql.sql += " AND action = $\(sql.binds.count + 1)"; sql.binds.append(action) }
        if let from = query.from { sql.sql += " AND at_ms >= $\(sql.binds.count + 1)"; sql.binds.append(Int64(from.timeIntervalSince1970 * 1_000)) }
        if let until = query.until { sql.sql += " AND at_ms < $\(sql.binds.count + 1)"; sql.binds.append(Int64(until.timeIntervalSince1970 * 1_000)) }
        sql.sql += " ORDER BY sequence DESC LIMIT $\(sql.binds.count + 1)"
        sql.binds.append(query.limit)
        return try await audit(sql)
    }

    public func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        try await audit("SELECT * FROM audit WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(limit)")
    }

    private func audit(_ query: PostgresQuery) async throws -> [AuditEntry] {
        try await read {
            try await client.query(query, logger: logger).collect().map { row in
                let row = row.makeRandomAccess()
                return AuditEntry(sequence: try row["sequence"].decode(Int64.self), atMilliseconds: try row["at_ms"].decode(Int64.self),
                                  actor: try row["actor"].decode(String.self), action: try row["action"].decode(String.self),
                                  patientKey: try row["patient_key"].decode(String?.self), detail: try row["detail"].decode(String.self),
                                  address: try row["address"].decode(String?.self), previousHash: try row["previous_hash"].decode(String.self),
                                  hash: try row["hash"].decode(String.self))
            }
        }
    }
}
