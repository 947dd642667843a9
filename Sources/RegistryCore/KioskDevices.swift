import Foundation
import Persistence

/// The region's lobby kiosks: an administrator registers one for a clinic and is shown its device
/// token once (the registry keeps only the token's hash); a kiosk is recognised by that token on
/// every request until it is revoked, which takes effect on the next request. Registering and
/// revoking land in the audit trail.
public struct KioskDevices: Sendable {
    let database: any RegistryStore
    let audit: AuditTrail

    public init(database: any RegistryStore, audit: AuditTrail) {
        self.database = database
        self.audit = audit
    }

    /// Why a kiosk could not be registered or revoked.
    public enum Problem: Error, Equatable, Sendable {
        case emptyName
        case unknownClinic
        /// The address or network typed is not one (`10.20.0.15`, `10.20.0.0/24`).
        case badNetwork
        case notFound
    }

    /// A kiosk just registered and its device token, which is never shown again.
    public struct Registered: Sendable {
        public let kiosk: KioskRecord
        public let token: String
    }

    /// Registers a kiosk named `name` in `clinicID` (one of `clinics`, the region's clinic ids) on
    /// behalf of `account` (nil: from the command line); `network` (optional, `10.20.0.0/24` or one
    /// address) binds it: its token then works only from there.
    public func register(name typed: String, clinicID: String, clinics: Set<String>, network typedNetwork: String? = nil, by account: StaffAccount?, address: String?, now: Date) async throws -> Result<Registered, Problem> {
        let name = String(typed.trimmingCharacters(in: .whitespacesAndNewlines).prefix(80))
        guard !name.isEmpty else { return .failure(.emptyName) }
        guard clinics.contains(clinicID) else { return .failure(.unknownClinic) }
        var network: IPNetwork?
        if let typedNetwork, !typedNetwork.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = IPNetwork(typedNetwork) else { return .failure(.badNetwork) }
            network = parsed
        }
        let token = SecureToken.hex(words: 4)
        let actor = account.map(AuditTrail.actor) ?? "command-line"
        let kiosk = KioskRecord(id: SecureToken.hex(words: 1), name: name, clinicID: clinicID, createdAt: now, createdBy: actor, network: network?.description)
        try await database.createKiosk(kiosk, tokenHash: KioskRecord.tokenHash(token))
        try await audit.record(.kioskRegistered, by: actor, detail: "\(kiosk.id) \(clinicID)" + (kiosk.network.map { " " + $0 } ?? ""), address: address, now: now)
        return .success(Registered(kiosk: kiosk, token: token))
    }

    /// Revokes kiosk `id`: its token opens nothing from the next request on, and whoever stands at it is signed out.
    public func revoke(_ id: String, by account: StaffAccount?, address: String?, now: Date) async throws -> Result<KioskRecord, Problem> {
        guard var kiosk = try await database.kiosk(id: id) else { return .failure(.notFound) }
        if try await database.revokeKiosk(id: id, now: now) {
            kiosk.revokedAt = now
            try await audit.record(.kioskRevoked, by: account.map(AuditTrail.actor) ?? "command-line", detail: id, address: address, now: now)
        }
        return .success(kiosk)
    }

    /// The live kiosk `token` belongs to; nil for a token that is malformed, unknown or revoked.
    public func device(token: String) async throws -> KioskRecord? {
        guard Self.isWellFormed(token), let kiosk = try await database.kiosk(tokenHash: KioskRecord.tokenHash(token)), kiosk.revokedAt == nil else { return nil }
        return kiosk
    }

    /// What a request carrying `token` from `address` is.
    public enum Admission: Sendable, Equatable {
        case kiosk(KioskRecord)
        /// Malformed, unknown or revoked.
        case unknown
        /// A live kiosk's token, from outside the network the kiosk was bound to (a copied cookie): refused and audited.
        case elsewhere(KioskRecord)
    }

    /// The kiosk `token` opens from `address`, the client's address as the registry sees it.
    public func admit(token: String, from address: String?, now: Date) async throws -> Admission {
        guard let kiosk = try await device(token: token) else { return .unknown }
        if let bound = kiosk.network, !(IPNetwork(bound)?.contains(address) ?? false) {
            try await audit.record(.kioskRefusedElsewhere, by: "kiosk:\(kiosk.id)", detail: "\(kiosk.id) \(bound)", address: address, now: now)
            return .elsewhere(kiosk)
        }
        return .kiosk(kiosk)
    }

    /// Every kiosk, newest first.
    public func all() async throws -> [KioskRecord] {
        try await database.kiosks()
    }

    /// 64 lower-case hex digits, as a device token is made (`SecureToken.hex(words: 4)`).
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
