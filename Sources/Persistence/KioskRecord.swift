import Crypto
import Foundation

/// A lobby kiosk (инфомат) an administrator registered: bound to one clinic, recognised by its
/// device token, which the registry keeps only as a SHA-256 hash.
public struct KioskRecord: Sendable, Equatable {
    public let id: String
    /// Where it stands, as the administrator named it («Холл, 1 этаж»).
    public let name: String
    public let clinicID: String
    public let createdAt: Date
    /// The audit trail's name of the administrator who registered it (`account:<id>`).
    public let createdBy: String
    /// Set once the token is revoked: the kiosk is refused from then on.
    public var revokedAt: Date?
    /// When its browser last opened the start address with the token.
    public var startedAt: Date?
    /// The address or network the kiosk stands in (`10.20.0.15`, `10.20.0.0/24`), when it was bound
    /// at registration: its token is refused from anywhere else.
    public var network: String?

    public init(id: String, name: String, clinicID: String, createdAt: Date, createdBy: String, revokedAt: Date? = nil, startedAt: Date? = nil, network: String? = nil) {
        self.id = id
        self.name = name
        self.clinicID = clinicID
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.startedAt = startedAt
        self.network = network
    }

    /// The hash the store keeps of a device token (hex SHA-256): a copy of the database opens no kiosk.
    public static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String($0 >> 4, radix: 16) + String($0 & 0x0F, radix: 16) }.joined()
    }
}
