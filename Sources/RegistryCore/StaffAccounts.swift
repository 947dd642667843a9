import Foundation
import PasswordHashing
import Persistence

/// Staff accounts: creating, disabling, resetting; passwords kept as bcrypt hashes and held to a
/// minimum strength; signing in throttled per account and per address. Every sign-in (and every
/// failed one) and every change lands in the audit trail.
public struct StaffAccounts: Sendable {
    /// The password rules; `problem` says what is wrong, in Russian, or nil.
    public enum PasswordRule {
        public static let minimumLength = 10
        static let common: Set<String> = ["password12", "qwerty1234", "1234567890", "0987654321", "йцукен1234", "пароль1234", "administrator", "registratura"]

        public static func problem(_ password: String, login: String) -> String? {
            if password.count < minimumLength { return "Пароль должен быть не короче \(minimumLength) символов." }
            if password.count > 128 { return "Пароль должен быть не длиннее 128 символов." }
            if password.allSatisfy(\.isNumber) || password.allSatisfy(\.isLetter) { return "В пароле должны быть и буквы, и цифры или знаки." }
            if Set(password).count < 4 { return "В пароле слишком мало разных символов." }
            let lower = password.lowercased()
            if !login.isEmpty, lower.contains(login.lowercased()) { return "Пароль не должен содержать имя для входа." }
            if common.contains(lower) { return "Этот пароль слишком распространён: выберите другой." }
            return nil
        }
    }

    /// A login as accounts keep it: 3–32 Latin letters, digits, dots, hyphens or underscores, lower case.
    public static func normalizedLogin(_ typed: String) -> String? {
        let login = typed.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...32).contains(login.count), login.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) })
        else { return nil }
        return login
    }

    /// Why an account change was refused.
    public enum Problem: Error, Equatable, Sendable {
        case badLogin
        case loginTaken
        case emptyName
        case weakPassword(String)
        case wrongPassword
        case notFound
        /// An administrator cannot disable their own account (someone must be left to manage accounts).
        case ownAccount
        /// A clinic role names no clinic, a region role names some, or a clinic id is malformed.
        case clinics
    }

    /// The clinics an account of `role` keeps: sorted, without repeats; nil when they do not fit the
    /// role (a clinic role needs at least one, a region role none) or an id is not 1–16 letters or digits.
    public static func clinics(_ typed: [String], for role: StaffRole) -> [String]? {
        let clinics = Array(Set(typed.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })).sorted()
        guard clinics.allSatisfy({ (1...16).contains($0.count) && $0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) } }),
            role.isClinicRole != clinics.isEmpty
        else { return nil }
        return clinics
    }

    /// How a sign-in ended.
    public enum SignIn: Sendable, Equatable {
        case signedIn(StaffAccount)
        /// Wrong login or password, or a disabled account: the same answer for each.
        case refused
        /// Too many failures for this account or from this address lately.
        case throttled
    }

    let database: any RegistryStore
    let audit: AuditTrail
    /// bcrypt's cost (2^cost rounds); 12 in service, lower only in tests.
    public var cost: UInt8 = 12
    /// Failed sign-ins allowed within `window`: for one account from one address (what slows a guesser
    /// down without letting anyone else lock the owner out), from one address for any accounts, and for
    /// one account from browsers it has never signed in on (guessing spread over many addresses; the
    /// account's own browsers are not held back by it).
    public var failuresPerAccountAndAddress = 5
    public var failuresPerAddress = 20
    public var failuresPerAccountFromUnknownBrowsers = 50
    public var window: TimeInterval = 15 * 60

    public init(database: any RegistryStore, audit: AuditTrail) {
        self.database = database
        self.audit = audit
    }

    // MARK: Signing in

    /// Signs in from `address`; `knownBrowser`: the browser proves it has signed in as this login before.
    public func signIn(login typed: String, password: String, address: String?, knownBrowser: Bool = false, now: Date) async throws -> SignIn {
        let login = Self.normalizedLogin(typed)
        let accountLogin = login ?? typed.lowercased(), from = address ?? "unknown"
        let keys = [Self.throttleKey(account: accountLogin, address: from), Self.throttleKey(address: from), Self.throttleKey(account: accountLogin)]
        let failures = try await database.failedAttempts(keys: keys, now: now, window: window)
        if failures[0] >= failuresPerAccountAndAddress || failures[1] >= failuresPerAddress || (!knownBrowser && failures[2] >= failuresPerAccountFromUnknownBrowsers) {
            try await recordThrottled(accountLogin, typed: typed, address: address, now: now)
            return .throttled
        }
        let account = if let login { try await database.account(login: login) } else { StaffAccount?.none }
        // A missing account costs the same time as a wrong password: timing tells nothing.
        let matches = try await PasswordHashing.verify(password, hash: account?.passwordHash)
        guard let account, matches, account.disabledAt == nil else {
            try await database.recordFailedAttempt(keys: keys, now: now)
            let actor = account.map(AuditTrail.actor) ?? "login:\(Self.quoted(typed))"
            try await audit.record(.signInFailed, by: actor, detail: account?.disabledAt != nil ? "disabled" : "", address: address, now: now)
            return .refused
        }
        try await audit.record(.signedIn, by: AuditTrail.actor(account), address: address, now: now)
        return .signedIn(account)
    }

    /// A refused try while throttled is counted, and the trail gets a line for the 1st, 10th, 100th…
    /// such try of this login from this address within the window, saying how many there were: every
    /// refused try is accounted for, and a flood of them does not flood the trail.
    private func recordThrottled(_ login: String, typed: String, address: String?, now: Date) async throws {
        let key = Self.throttledKey(account: login, address: address ?? "unknown")
        try await database.recordFailedAttempt(keys: [key], now: now)
        let count = try await database.failedAttempts(keys: [key], now: now, window: window)[0]
        guard [1, 10, 100, 1_000, 10_000, 100_000].contains(count) else { return }
        let account = if let known = Self.normalizedLogin(typed) { try await database.account(login: known) } else { StaffAccount?.none }
        try await audit.record(.signInThrottled, by: account.map(AuditTrail.actor) ?? "login:\(Self.quoted(typed))",
                               detail: "\(count) за \(Int(window / 60)) мин", address: address, now: now)
    }

    // MARK: Accounts

    /// A new account; `by` is the administrator (nil: the command line, for the first one).
    /// A clinic role's account names its clinics (`clinics`); a region role's names none.
    public func create(login typed: String, name: String, role: StaffRole, clinics typedClinics: [String] = [], password: String, by actor: StaffAccount?,
                       address: String?, now: Date) async throws -> StaffAccount {
        guard let login = Self.normalizedLogin(typed) else { throw Problem.badLogin }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else { throw Problem.emptyName }
        guard let clinics = Self.clinics(typedClinics, for: role) else { throw Problem.clinics }
        if let problem = PasswordRule.problem(password, login: login) { throw Problem.weakPassword(problem) }
        let account = StaffAccount(id: Self.newID(), login: login, name: name, role: role, passwordHash: try await hash(password), createdAt: now, clinics: clinics)
        do {
            try await database.createAccount(account)
        } catch is LoginTaken {
            throw Problem.loginTaken
        }
        try await audit.record(.accountCreated, by: actor.map(AuditTrail.actor) ?? "command-line", detail: Self.accessDetail(account), address: address, now: now)
        return account
    }

    /// An administrator gives an account another role or other clinics; it takes effect on the
    /// account's next page (sessions read the account afresh). One's own role stays as it is.
    public func changeAccess(accountID: String, role: StaffRole, clinics typedClinics: [String], by actor: StaffAccount, address: String?, now: Date) async throws -> StaffAccount {
        guard var account = try await database.account(id: accountID) else { throw Problem.notFound }
        guard account.id != actor.id else { throw Problem.ownAccount }
        guard let clinics = Self.clinics(typedClinics, for: role) else { throw Problem.clinics }
        guard account.role != role || account.clinics != clinics else { return account }
        account.role = role
        account.clinics = clinics
        try await database.updateAccount(account)
        try await audit.record(.accountAccessChanged, by: AuditTrail.actor(actor), detail: Self.accessDetail(account), address: address, now: now)
        return account
    }

    /// An account as the trail names it: id, login, role and its clinics.
    static func accessDetail(_ account: StaffAccount) -> String {
        "\(account.id) \(account.login) \(account.role.rawValue)" + (account.clinics.isEmpty ? "" : " " + account.clinics.joined(separator: ","))
    }

    /// Disables or enables an account; disabling ends its sessions at once.
    public func setDisabled(_ disabled: Bool, accountID: String, by actor: StaffAccount, address: String?, now: Date) async throws {
        guard var account = try await database.account(id: accountID) else { throw Problem.notFound }
        guard account.id != actor.id else { throw Problem.ownAccount }
        account.disabledAt = disabled ? now : nil
        try await database.updateAccount(account)
        if disabled { try await database.deleteStaffSessions(accountID: account.id) }
        try await audit.record(disabled ? .accountDisabled : .accountEnabled, by: AuditTrail.actor(actor), detail: "\(account.id) \(account.login)", address: address, now: now)
    }

    /// Gives the account a temporary password that must be changed at the next sign-in; its sessions
    /// end, and every lock on signing in to it (from any address) is lifted.
    public func resetPassword(accountID: String, by actor: StaffAccount, address: String?, now: Date) async throws -> String {
        guard var account = try await database.account(id: accountID) else { throw Problem.notFound }
        try await database.clearFailedAttempts(keyPrefix: Self.throttleKey(account: account.login))
        try await database.clearFailedAttempts(keyPrefix: Self.throttleKeyPrefix(account: account.login))
        let temporary = Self.temporaryPassword()
        account.passwordHash = try await hash(temporary)
        account.mustChangePassword = true
        try await database.updateAccount(account)
        try await database.deleteStaffSessions(accountID: account.id)
        try await audit.record(.passwordReset, by: AuditTrail.actor(actor), detail: "\(account.id) \(account.login)", address: address, now: now)
        return temporary
    }

    /// The account holder's own change: the current password, then a new one that passes the rules.
    /// Every session of the account ends (one signed in elsewhere with the old password among them):
    /// the caller opens a fresh one for the browser that made the change.
    public func changePassword(of account: StaffAccount, current: String, new: String, address: String?, now: Date) async throws -> StaffAccount {
        guard try await PasswordHashing.verify(current, hash: account.passwordHash) else { throw Problem.wrongPassword }
        if let problem = PasswordRule.problem(new, login: account.login) { throw Problem.weakPassword(problem) }
        if new == current { throw Problem.weakPassword("Новый пароль должен отличаться от прежнего.") }
        var changed = account
        changed.passwordHash = try await hash(new)
        changed.mustChangePassword = false
        try await database.updateAccount(changed)
        try await database.deleteStaffSessions(accountID: account.id)
        try await audit.record(.passwordChanged, by: AuditTrail.actor(account), address: address, now: now)
        return changed
    }

    // MARK: Pieces

    func hash(_ password: String) async throws -> String {
        try await PasswordHashing.hash(password, cost: cost)
    }

    static func throttleKey(account login: String) -> String { "staff-login|" + AppDatabase.policyKey(policy: login) }
    static func throttleKey(address: String) -> String { "staff-address|" + address }
    /// Keys of one login from one address, and what all of that login's start with.
    static func throttleKeyPrefix(account login: String) -> String { "staff-pair|" + AppDatabase.policyKey(policy: login) + "|" }
    static func throttleKey(account login: String, address: String) -> String { throttleKeyPrefix(account: login) + address }
    static func throttledKey(account login: String, address: String) -> String { "staff-throttled|" + AppDatabase.policyKey(policy: login) + "|" + address }

    /// 128 random bits as hex.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let digits = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    /// Twelve characters an administrator can read out: no 0/O or 1/l.
    static func temporaryPassword() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyz"), digits = Array("23456789")
        var generator = SystemRandomNumberGenerator()
        let body = (0..<8).map { _ in letters.randomElement(using: &generator)! } + (0..<4).map { _ in digits.randomElement(using: &generator)! }
        return String(body.shuffled(using: &generator))
    }

    /// A typed login as the trail may show it: printable, at most 40 characters, quoted.
    static func quoted(_ typed: String) -> String {
        let printable = typed.unicodeScalars.filter { !$0.properties.isWhitespace || $0 == " " }.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }
        return "\"" + String(String.UnicodeScalarView(printable.prefix(40))) + "\""
    }
}
