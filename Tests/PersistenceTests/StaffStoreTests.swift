import Foundation
import GRDB
import PostgresNIO
import Testing
@testable import Persistence

/// Staff accounts, their sessions and the audit trail: the same contract on both backends.
@Suite("Staff store contract")
struct StaffStoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    private func account(_ login: String, role: StaffRole = .operator) -> StaffAccount {
        StaffAccount(id: "id-\(login)", login: login, name: "Иванова М. П.", role: role, passwordHash: "$2b$04$hash", createdAt: now)
    }

    @Test(arguments: StoreBackend.allCases) func accountsHaveUniqueLoginsAndKeepTheirChanges(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            try await store.createAccount(account("ivanova"))
            try await store.createAccount(account("petrov", role: .administrator))
            await #expect(throws: LoginTaken.self) { try await store.createAccount(StaffAccount(id: "other", login: "ivanova", name: "X", role: .operator, passwordHash: "h", createdAt: now)) }
            var changed = try #require(try await store.account(login: "ivanova"))
            #expect(changed == account("ivanova"))
            changed.role = .supervisor
            changed.passwordHash = "$2b$04$other"
            changed.disabledAt = now
            changed.mustChangePassword = true
            try await store.updateAccount(changed)
            #expect(try await store.account(id: "id-ivanova") == changed)
            #expect(try await store.accounts().map(\.login) == ["ivanova", "petrov"])
            #expect(try await store.account(login: "nobody") == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aClinicRoleKeepsItsClinicsThroughChangesAndSessions(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            var registrar = StaffAccount(id: "id-reg", login: "reg.101", name: "Сергеева Е. И.", role: .registrar, passwordHash: "$2b$04$hash", createdAt: now,
                                         clinics: ["101", "107"])
            try await store.createAccount(registrar)
            #expect(try await store.account(id: "id-reg") == registrar)
            let stored = try #require(try await store.account(id: "id-reg"))
            #expect(stored.covers(clinic: "107") && !stored.covers(clinic: "102"))
            registrar.role = .head
            registrar.clinics = ["102"]
            try await store.updateAccount(registrar)
            #expect(try await store.account(login: "reg.101") == registrar)
            try await store.createStaffSession(id: String(repeating: "c", count: 32), accountID: "id-reg", csrfToken: "t", now: now)
            #expect(try await store.staffSession(id: String(repeating: "c", count: 32), now: now, idleTimeout: 60)?.account.clinics == ["102"])
            // A region role keeps none.
            try await store.createAccount(account("petrov", role: .supervisor))
            #expect(try await store.account(login: "petrov")?.clinics == [])
            #expect(try await store.account(login: "petrov")?.covers(clinic: "102") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases) func staffSessionsLapseAndEndWithTheirAccount(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            try await store.createAccount(account("ivanova"))
            try await store.createStaffSession(id: "s1", accountID: "id-ivanova", csrfToken: "t1", now: now)
            try await store.createStaffSession(id: "s2", accountID: "id-ivanova", csrfToken: "t2", now: now)
            let found = try #require(try await store.staffSession(id: "s1", now: now.addingTimeInterval(60), idleTimeout: 1_800))
            #expect(found.csrfToken == "t1" && found.account.login == "ivanova")
            // Idle longer than allowed: gone, and stays gone.
            #expect(try await store.staffSession(id: "s1", now: now.addingTimeInterval(60 + 1_801), idleTimeout: 1_800) == nil)
            #expect(try await store.staffSession(id: "s1", now: now, idleTimeout: 1_800) == nil)
            // A disabled account's sessions are refused at once.
            var disabled = try #require(try await store.account(id: "id-ivanova"))
            disabled.disabledAt = now
            try await store.updateAccount(disabled)
            #expect(try await store.staffSession(id: "s2", now: now, idleTimeout: 1_800) == nil)
            try await store.createStaffSession(id: "s3", accountID: "id-ivanova", csrfToken: "t3", now: now)
            try await store.deleteStaffSessions(accountID: "id-ivanova")
            disabled.disabledAt = nil
            try await store.updateAccount(disabled)
            #expect(try await store.staffSession(id: "s3", now: now, idleTimeout: 1_800) == nil)
            try await store.createStaffSession(id: "s4", accountID: "id-ivanova", csrfToken: "t4", now: now)
            #expect(try await store.deleteExpiredStaffSessions(now: now.addingTimeInterval(3_600), idleTimeout: 1_800) == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func auditLinesAppendedAtOnceFormOneUnbrokenChain(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await store.appendAudit(AuditEntry(at: now.addingTimeInterval(Double(index)), actor: "account:a\(index % 3)", action: "staff.signed-in",
                                                                   patientKey: index % 2 == 0 ? "patient-\(index)" : nil, detail: "#\(index)", address: "10.0.0.\(index)"))
                    }
                }
                try await group.waitForAll()
            }
            let lines = try await store.auditEntries(after: 0, limit: 100)
            #expect(lines.map(\.sequence) == Array(1...40))
            var check = AuditChainCheck()
            #expect(lines.compactMap { check.check($0) }.isEmpty)
            // Searches: newest first, by actor, patient, action and period.
            let byActor = try await store.auditEntries(AuditQuery(actor: "account:a1"))
            #expect(byActor.count == 13 && byActor.first!.sequence > byActor.last!.sequence)
            #expect(try await store.auditEntries(AuditQuery(patientKey: "patient-4")).map(\.detail) == ["#4"])
            #expect(try await store.auditEntries(AuditQuery(action: "staff.signed-out")).isEmpty)
            #expect(try await store.auditEntries(AuditQuery(from: now.addingTimeInterval(10), until: now.addingTimeInterval(12))).count == 2)
            #expect(try await store.auditEntries(AuditQuery(limit: 5)).count == 5)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theAuditTrailRefusesChangesAndShowsThoseMadeAroundIt(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            for index in 1...5 {
                try await store.appendAudit(AuditEntry(at: now, actor: "account:a", action: "staff.signed-in", detail: "#\(index)", address: nil))
            }
            // The store itself refuses to change or delete a line.
            await #expect(throws: (any Error).self) { try await Self.execute("UPDATE audit SET detail = 'changed' WHERE sequence = 3", on: store) }
            await #expect(throws: (any Error).self) { try await Self.execute("DELETE FROM audit WHERE sequence = 5", on: store) }
            // Someone with the database's keys goes around the trigger: the chain names the line.
            try await Self.execute(backend == .sqlite ? "DROP TRIGGER audit_append_only_update" : "ALTER TABLE audit DISABLE TRIGGER audit_append_only", on: store)
            try await Self.execute("UPDATE audit SET detail = 'changed' WHERE sequence = 3", on: store)
            var check = AuditChainCheck()
            let broken = try await store.auditEntries(after: 0, limit: 10).compactMap { check.check($0) }.first
            #expect(broken == AuditBreak(sequence: 3, reason: "its content was changed"))
        }
    }

    /// A store of `backend` whose audit chain is keyed, with five lines and a checkpoint of its head taken after them.
    private func keyedTrail(_ store: any RegistryStore) async throws -> [AuditCheckpoint] {
        for index in 1...5 {
            try await store.appendAudit(AuditEntry(at: now, actor: "account:a", action: "staff.signed-in", detail: "#\(index)", address: nil))
        }
        let head = try #require(try await store.auditEntries(AuditQuery(limit: 1)).first)
        #expect(head.hash.hasPrefix(AuditEntry.keyedPrefix))
        return [AuditCheckpoint(at: now, sequence: head.sequence, hash: head.hash, key: store.auditKey)]
    }

    private func firstBreak(_ store: any RegistryStore, key: AuditKey?, checkpoints: [AuditCheckpoint]) async throws -> AuditBreak? {
        var check = AuditChainCheck(key: key, checkpoints: checkpoints)
        return try await store.auditEntries(after: 0, limit: 100).compactMap { check.check($0) }.first ?? check.finish()
    }

    static let auditKey = AuditKey(hex: String(repeating: "5a", count: 32))!

    @Test(arguments: StoreBackend.allCases) func aLineRewrittenWithTheLaterHashesRecomputedIsCaughtByTheKey(_ backend: StoreBackend) async throws {
        try await withKeyedStore(backend) { store in
            let checkpoints = try await keyedTrail(store)
            #expect(try await firstBreak(store, key: Self.auditKey, checkpoints: checkpoints) == nil)
            // Someone with the database's keys but not the audit key rewrites line 3 and recomputes
            // every later hash — as plain SHA-256, and under a key of their own.
            try await Self.execute(backend == .sqlite ? "DROP TRIGGER audit_append_only_update" : "ALTER TABLE audit DISABLE TRIGGER audit_append_only", on: store)
            for forger in [nil, AuditKey(hex: String(repeating: "66", count: 32))] {
                var previous = try #require(try await store.auditEntries(after: 1, limit: 1).first).hash
                for var line in try await store.auditEntries(after: 2, limit: 10) {
                    line = AuditEntry(at: line.at, actor: line.actor, action: line.action, patientKey: line.patientKey, detail: line.sequence == 3 ? "changed" : line.detail, address: line.address)
                        .rechained(sequence: line.sequence, previousHash: previous, key: forger)
                    try await Self.execute("UPDATE audit SET detail = '\(line.detail)', previous_hash = '\(line.previousHash)', hash = '\(line.hash)' WHERE sequence = \(line.sequence)", on: store)
                    previous = line.hash
                }
                let broken = try #require(try await firstBreak(store, key: Self.auditKey, checkpoints: []))
                #expect(broken.sequence == 3, "\(String(describing: forger))")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func theNewestLinesDeletedAreCaughtByTheCheckpoint(_ backend: StoreBackend) async throws {
        try await withKeyedStore(backend) { store in
            let checkpoints = try await keyedTrail(store)
            // Someone deletes the two newest lines: the chain that is left holds together…
            try await Self.execute(backend == .sqlite ? "DROP TRIGGER audit_append_only_delete" : "ALTER TABLE audit DISABLE TRIGGER audit_append_only", on: store)
            try await Self.execute("DELETE FROM audit WHERE sequence > 3", on: store)
            #expect(try await firstBreak(store, key: Self.auditKey, checkpoints: []) == nil)
            // …but the checkpoint recorded outside the store names line 5
            let broken = try await firstBreak(store, key: Self.auditKey, checkpoints: checkpoints)
            #expect(broken?.sequence == 5 && broken?.reason.contains("lines were deleted") == true)
            // And a checkpoint is genuine only under the key
            #expect(checkpoints[0].isGenuine(key: Self.auditKey) && !checkpoints[0].isGenuine(key: AuditKey(hex: String(repeating: "66", count: 32))))
            #expect(AuditCheckpoint(line: checkpoints[0].line[...]) == checkpoints[0])
        }
    }

    /// `withStore` with the audit chain keyed.
    private func withKeyedStore(_ backend: StoreBackend, _ body: @escaping @Sendable (any RegistryStore) async throws -> Void) async throws {
        try await withStore(backend) { store in
            switch store {
            case var sqlite as AppDatabase:
                sqlite.auditKey = Self.auditKey
                try await body(sqlite)
            case var postgres as PostgresStore:
                postgres.auditKey = Self.auditKey
                try await body(postgres)
            default:
                Issue.record("unknown store")
            }
        }
    }

    /// SQL run on the store's database directly, as someone with its keys could.
    static func execute(_ sql: String, on store: any RegistryStore) async throws {
        switch store {
        case let sqlite as AppDatabase: try await sqlite.writer.write { try $0.execute(sql: sql) }
        case let postgres as PostgresStore: _ = try await postgres.client.query(PostgresQuery(unsafeSQL: sql), logger: postgres.logger)
        default: Issue.record("unknown store")
        }
    }
}
