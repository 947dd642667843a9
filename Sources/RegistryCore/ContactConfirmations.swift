import Foundation
import Persistence

/// A contact is confirmed before it receives anything but its confirmation: a phone by a six-digit
/// code sent to it and typed into the cabinet, an address by a link sent to it. Someone who types a
/// stranger's phone or address makes the registry send them one short message (at most
/// `ContactConfirmationLimits.perRecipientPerDay` a day), never tickets or offers.
public struct ContactConfirmations: Sendable {
    let database: any RegistryStore

    public init(database: any RegistryStore) {
        self.database = database
    }

    /// What asking for confirmations came to, per channel: sent, or held back by the daily limits.
    public struct Started: Sendable, Equatable {
        public var sent: Set<OutboxMessage.Channel> = []
        public var limited: Set<OutboxMessage.Channel> = []
    }

    /// Sends a confirmation to each of the patient's contacts that is not confirmed yet (or only to `channel`).
    @discardableResult
    public func start(patientKey: String, only channel: OutboxMessage.Channel? = nil, now: Date) async throws -> Started {
        var started = Started()
        guard let contact = try await database.contact(patientKey: patientKey) else { return started }
        for each in OutboxMessage.Channel.allCases where (channel == nil || channel == each) && contact.recipient(each) != nil && !contact.isConfirmed(each) {
            let secret = each == .sms ? Self.code() : SecureToken.hex(words: 4)
            let hash = ContactSecret.hash(secret, patientKey: each == .sms ? patientKey : nil)
            if try await database.startContactConfirmation(patientKey: patientKey, channel: each, secret: secret, secretHash: hash, now: now) {
                started.sent.insert(each)
            } else {
                started.limited.insert(each)
            }
        }
        return started
    }

    /// Confirms the patient's phone with the code they typed.
    public func confirmPhone(patientKey: String, code typed: String, now: Date) async throws -> Bool {
        let code = typed.filter(\.isNumber)
        guard code.count == 6 else { return false }
        return try await database.confirmContact(patientKey: patientKey, channel: .sms, secretHash: ContactSecret.hash(code, patientKey: patientKey), now: now)
    }

    /// The confirmation a mail link's token opens, if it is still good.
    public func confirmation(token: String, now: Date) async throws -> ContactConfirmation? {
        guard token.utf8.count == 64, token.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return try await database.contactConfirmation(secretHash: ContactSecret.hash(token, patientKey: nil), now: now)
    }

    /// Confirms the address a mail link was sent to.
    public func confirmEmail(token: String, now: Date) async throws -> Bool {
        guard let found = try await confirmation(token: token, now: now), found.channel == .email else { return false }
        return try await database.confirmContact(patientKey: found.patientKey, channel: .email, secretHash: ContactSecret.hash(token, patientKey: nil), now: now)
    }

    /// Six random digits.
    static func code() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
    }
}
