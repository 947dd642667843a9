import Foundation
import Persistence
import RegistryCore
import Testing

extension StaffAccounts.SignIn {
    /// The id of the account signed in, if any.
    var account: String? {
        if case .signedIn(let account) = self { return account.id }
        return nil
    }
}

/// Slowing a password guesser down without handing anyone a switch that locks staff out.
@Suite("Staff sign-in throttling")
struct StaffSignInThrottleTests {
    let password = "Пароль-для-теста-42"

    private func accounts() async throws -> (StaffAccounts, AppDatabase, admin: StaffAccount, owner: StaffAccount) {
        let database = try AppDatabase.inMemory()
        var accounts = StaffAccounts(database: database, audit: AuditTrail(database: database))
        accounts.cost = 4
        let admin = try await accounts.create(login: "chief", name: "Петрова А. С.", role: .administrator, password: password, by: nil, address: nil, now: Date())
        let owner = try await accounts.create(login: "ivanova", name: "Иванова М. П.", role: .operator, password: password, by: nil, address: nil, now: Date())
        return (accounts, database, admin, owner)
    }

    @Test func wrongPasswordsFromElsewhereNeverLockTheOwnerOut() async throws {
        let (accounts, database, admin, owner) = try await accounts()
        let now = Date()
        // Given a stranger who tries five wrong passwords from one address, then keeps trying
        for _ in 0..<5 { #expect(try await accounts.signIn(login: "ivanova", password: "не тот 1", address: "203.0.113.9", now: now) == .refused) }
        for _ in 0..<12 { #expect(try await accounts.signIn(login: "ivanova", password: password, address: "203.0.113.9", now: now) == .throttled) }
        // Then the owner, at the desk, signs in with the right password
        #expect(try await accounts.signIn(login: "ivanova", password: password, address: "10.1.0.5", now: now).account == owner.id)
        // Every refused try is in the trail: five failures, and the throttled ones counted (lines for the 1st and the 10th)
        let throttled = try await database.auditEntries(AuditQuery(action: AuditTrail.Action.signInThrottled.rawValue))
        #expect(throttled.count == 2 && throttled.allSatisfy { $0.address == "203.0.113.9" && $0.actor == AuditTrail.actor(owner) })
        #expect(throttled.map(\.detail).sorted() == ["1 за 15 мин", "10 за 15 мин"])
        #expect(try await database.auditEntries(AuditQuery(action: AuditTrail.Action.signInFailed.rawValue)).count == 5)

        // Guessing spread over many addresses holds back browsers that never signed in as her…
        for host in 0..<50 { _ = try await accounts.signIn(login: "ivanova", password: "не тот \(host)", address: "198.51.100.\(host)", now: now) }
        #expect(try await accounts.signIn(login: "ivanova", password: password, address: "10.1.0.77", now: now) == .throttled)
        // …but not her own browser
        #expect(try await accounts.signIn(login: "ivanova", password: password, address: "10.1.0.77", knownBrowser: true, now: now).account == owner.id)
        // And an administrator's reset lifts every lock at once
        let temporary = try await accounts.resetPassword(accountID: owner.id, by: admin, address: nil, now: now)
        guard case .signedIn = try await accounts.signIn(login: "ivanova", password: temporary, address: "203.0.113.9", now: now) else { Issue.record("still locked"); return }
        guard case .signedIn = try await accounts.signIn(login: "ivanova", password: temporary, address: "10.1.0.78", now: now) else { Issue.record("still locked"); return }
    }
}
