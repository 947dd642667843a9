import Crypto
import Foundation

/// A staff member's role. The call centre's and the region's roles (operator, supervisor,
/// administrator) work across the region; a clinic's roles (registrar, head of clinic) only for the
/// clinics their account names.
public enum StaffRole: String, Sendable, CaseIterable {
    case `operator`, supervisor, administrator, registrar, head

    /// Whether the role works for chosen clinics only, and an account of it must name at least one.
    public var isClinicRole: Bool { self == .registrar || self == .head }

    /// Whether the role may do `permission` (for a clinic role: in its own clinics).
    public func may(_ permission: StaffPermission) -> Bool {
        switch permission {
        case .serveCallers: [.operator, .supervisor, .administrator].contains(self)
        case .readAudit: [.supervisor, .administrator].contains(self)
        case .administer: self == .administrator
        case .readClinicLists: isClinicRole
        case .readStatistics: [.head, .supervisor, .administrator].contains(self)
        case .decideBookings: self == .registrar
        }
    }
}

/// What a staff page asks of the role that opens it.
public enum StaffPermission: Sendable {
    /// The call centre's workstation: finding callers, booking, moving, cancelling for them.
    case serveCallers
    /// The audit trail.
    case readAudit
    /// Accounts and kiosks.
    case administer
    /// A clinic's day lists and printed schedules, with patients' names and phones.
    case readClinicLists
    /// Statistics: a head of clinic's own clinics, the region for supervisors and administrators.
    case readStatistics
    /// A clinic's queue: confirming or refusing reservations, moving or cancelling displaced bookings.
    case decideBookings
}

/// A staff member's account. The password is kept only as its bcrypt hash.
public struct StaffAccount: Sendable, Equatable {
    public let id: String
    /// Lower case; unique.
    public let login: String
    public var name: String
    public var role: StaffRole
    public var passwordHash: String
    public let createdAt: Date
    /// Set while the account is disabled: it cannot sign in, and its sessions are gone.
    public var disabledAt: Date?
    /// After an administrator's reset: the next sign-in must choose a new password.
    public var mustChangePassword: Bool
    /// The clinics (ids, sorted) a clinic role works for; empty for the region's roles.
    public var clinics: [String]

    public init(id: String, login: String, name: String, role: StaffRole, passwordHash: String, createdAt: Date, disabledAt: Date? = nil, mustChangePassword: Bool = false,
                clinics: [String] = []) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.mustChangePassword = mustChangePassword
        self.clinics = clinics
    }

    /// Whether the account may see `clinic`'s staff pages: a region role any clinic, a clinic role its own.
    public func covers(clinic: String) -> Bool {
        !role.isClinicRole || clinics.contains(clinic)
    }

    /// The clinics as the store keeps them: ids joined by commas.
    static func storedClinics(_ clinics: [String]) -> String { clinics.joined(separator: ",") }

    static func clinics(stored: String?) -> [String] {
        (stored ?? "").split(separator: ",").map(String.init)
    }
}

/// A signed-in staff member's session, with the account as it is now, the callers their last
/// search found, and the caller they are serving.
public struct StaffSessionRecord: Sendable, Equatable {
    public let id: String
    public let csrfToken: String
    public let lastSeen: Date
    public let account: StaffAccount
    public var searchResults: [CallerRecord] = []
    public var caller: CallerRecord?
}

/// A caller as a search found them: kept with the operator's session (never their policy or
/// document in clear), for choosing one of them and for serving the one chosen.
public struct CallerRecord: Sendable, Equatable, Codable {
    /// The patient's stable key (as the patient site keys them).
    public let key: String
    public let lastName: String
    public let firstName: String
    public let middleName: String
    /// `YYYY-MM-DD`.
    public let birthDate: String
    public let sex: String
    public let address: String
    public let maskedDocument: String
    public let attachedClinicID: String?
    public let attachedDistrict: String?
    /// The MIS patient id in each clinic with a card.
    public let cards: [String: String]
    public let dispensarySpecialtyIDs: [String]

    public init(key: String, lastName: String, firstName: String, middleName: String, birthDate: String, sex: String, address: String,
                maskedDocument: String, attachedClinicID: String?, attachedDistrict: String?, cards: [String: String], dispensarySpecialtyIDs: [String]) {
        self.key = key
        self.lastName = lastName
        self.firstName = firstName
        self.middleName = middleName
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.maskedDocument = maskedDocument
        self.attachedClinicID = attachedClinicID
        self.attachedDistrict = attachedDistrict
        self.cards = cards
        self.dispensarySpecialtyIDs = dispensarySpecialtyIDs
    }

    /// Surname, first name and patronymic.
    public var fullName: String { [lastName, firstName, middleName].filter { !$0.isEmpty }.joined(separator: " ") }

    static func encoded(_ value: some Encodable) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decoded<T: Decodable>(_ text: String?, as type: T.Type) -> T? {
        text.flatMap { try? JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }
}

/// An account's login is taken already.
public struct LoginTaken: Error, Sendable {
    public let login: String
}

/// One line of the audit trail: who did what, when, to whose data (a patient's stable key, never
/// their policy), from which address. The store numbers it and chains it to the line before by a hash.
public struct AuditEntry: Sendable, Equatable {
    /// 1, 2, 3, … in the order the lines were appended; set by the store.
    public var sequence: Int64
    /// Milliseconds since 1970 (whole, so that the hash reads the same on every backend).
    public let atMilliseconds: Int64
    /// `account:<id>`, or `login:<as typed, quoted>` for a sign-in with no such account.
    public let actor: String
    public let action: String
    public let patientKey: String?
    /// What else tells the action apart (an account's login, a booking's request id); no personal data.
    public let detail: String
    public let address: String?
    public var previousHash: String
    public var hash: String

    public init(at: Date, actor: String, action: String, patientKey: String? = nil, detail: String = "", address: String?) {
        sequence = 0
        atMilliseconds = Int64((at.timeIntervalSince1970 * 1_000).rounded())
        self.actor = actor
        self.action = action
        self.patientKey = patientKey
        self.detail = detail
        self.address = address
        previousHash = ""
        hash = ""
    }

    init(sequence: Int64, atMilliseconds: Int64, actor: String, action: String, patientKey: String?, detail: String, address: String?, previousHash: String, hash: String) {
        self.sequence = sequence
        self.atMilliseconds = atMilliseconds
        self.actor = actor
        self.action = action
        self.patientKey = patientKey
        self.detail = detail
        self.address = address
        self.previousHash = previousHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: TimeInterval(atMilliseconds) / 1_000) }

    /// What keyed hashes start with; a line without it was chained before the trail had a key.
    public static let keyedPrefix = "hmac:"

    /// The hash of the line's fields and the previous line's hash: with `key`, `hmac:` and their
    /// HMAC-SHA-256 under it; without, their plain SHA-256 (lines chained before the trail had a
    /// key). Each field is written with its length first, so that no two different lines read the same.
    public func computedHash(key: AuditKey?) -> String {
        let fields = [String(sequence), String(atMilliseconds), actor, action, patientKey ?? "\u{0}", detail, address ?? "\u{0}", previousHash]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        if let key { return Self.keyedPrefix + key.mac(text) }
        return SHA256.hash(data: Data(text.utf8)).map { String($0 >> 4, radix: 16) + String($0 & 0x0F, radix: 16) }.joined()
    }

    /// This line as number `sequence` after a line hashed `previousHash` (what a forger recomputing a chain does; tests).
    public func rechained(sequence: Int64, previousHash: String, key: AuditKey?) -> AuditEntry {
        chained(after: (sequence - 1, previousHash), key: key)
    }

    /// This line numbered after `previous` and chained to it (keyed when the store holds the key).
    func chained(after previous: (sequence: Int64, hash: String)?, key: AuditKey?) -> AuditEntry {
        var entry = self
        entry.sequence = (previous?.sequence ?? 0) + 1
        entry.previousHash = previous?.hash ?? ""
        entry.hash = entry.computedHash(key: key)
        return entry
    }
}

/// Which audit lines a supervisor asks for; nil asks nothing of that field.
public struct AuditQuery: Sendable, Equatable {
    public var actor: String?
    public var patientKey: String?
    public var action: String?
    public var from: Date?
    public var until: Date?
    public var limit: Int

    public init(actor: String? = nil, patientKey: String? = nil, action: String? = nil, from: Date? = nil, until: Date? = nil, limit: Int = 500) {
        self.actor = actor
        self.patientKey = patientKey
        self.action = action
        self.from = from
        self.until = until
        self.limit = limit
    }
}

/// What checking the audit trail's chain found: nil when every line holds, else the first line that does not.
public struct AuditBreak: Sendable, Equatable {
    public let sequence: Int64
    public let reason: String

    public init(sequence: Int64, reason: String) {
        self.sequence = sequence
        self.reason = reason
    }
}

/// Walks lines in order and reports the first that is not what the chain says it must be. With the
/// trail's key, a keyed line is checked under it, and once one is seen no unkeyed line may follow
/// (a rewrite cannot fall back to plain hashes); `checkpoints` (heads of the chain recorded outside the
/// store) must each find their line with their hash — a trail cut short or rewritten under a wrong key
/// is caught there, and `finish()` reports a checkpoint beyond the trail's last line.
public struct AuditChainCheck: Sendable {
    private var previous: (sequence: Int64, hash: String)?
    private var sawKeyed = false
    private let key: AuditKey?
    private var expected: [Int64: String] = [:]
    public private(set) var checked = 0

    public init(key: AuditKey? = nil, checkpoints: [AuditCheckpoint] = []) {
        self.key = key
        for checkpoint in checkpoints { expected[checkpoint.sequence] = checkpoint.hash }
    }

    public mutating func check(_ entry: AuditEntry) -> AuditBreak? {
        defer { previous = (entry.sequence, entry.hash); checked += 1 }
        let expectedSequence = (previous?.sequence ?? 0) + 1
        if entry.sequence != expectedSequence { return AuditBreak(sequence: entry.sequence, reason: "line \(expectedSequence) is missing") }
        if entry.previousHash != (previous?.hash ?? "") { return AuditBreak(sequence: entry.sequence, reason: "it does not follow the line before") }
        if entry.hash.hasPrefix(AuditEntry.keyedPrefix) {
            guard let key else { return AuditBreak(sequence: entry.sequence, reason: "it is keyed and no audit key was given to check it") }
            sawKeyed = true
            if entry.hash != entry.computedHash(key: key) { return AuditBreak(sequence: entry.sequence, reason: "its content was changed") }
        } else {
            if sawKeyed { return AuditBreak(sequence: entry.sequence, reason: "it is not keyed, though lines before it are: the trail was rewritten") }
            if entry.hash != entry.computedHash(key: nil) { return AuditBreak(sequence: entry.sequence, reason: "its content was changed") }
        }
        if let recorded = expected.removeValue(forKey: entry.sequence), recorded != entry.hash {
            return AuditBreak(sequence: entry.sequence, reason: "it differs from the checkpoint recorded outside the store: the trail was rewritten")
        }
        return nil
    }

    /// After the last line: a checkpoint naming a line the trail no longer has means it was cut short.
    public func finish() -> AuditBreak? {
        guard let missing = expected.keys.min() else { return nil }
        let last = previous?.sequence ?? 0
        return AuditBreak(sequence: missing, reason: "a checkpoint recorded outside the store names line \(missing), but the trail ends at line \(last): lines were deleted")
    }
}
