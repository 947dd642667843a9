import Crypto
import Foundation

/// Contacts confirmed before they receive anything: when each address and phone was confirmed, and
/// the confirmation under way for each (its secret kept only as a hash). Contacts saved before
/// confirmation existed count as confirmed from their consent.
enum ContactConfirmationSchema {
    static func statements(_ dialect: StaffSchema.Dialect) -> [String] {
        let real = dialect == .sqlite ? "REAL" : "DOUBLE PRECISION"
        return [
            "ALTER TABLE contact ADD COLUMN email_confirmed_at \(real)",
            "ALTER TABLE contact ADD COLUMN phone_confirmed_at \(real)",
            "UPDATE contact SET email_confirmed_at = consent_at WHERE email IS NOT NULL",
            "UPDATE contact SET phone_confirmed_at = consent_at WHERE phone IS NOT NULL",
            """
            CREATE TABLE contact_confirmation (patient_key TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL, secret_hash TEXT NOT NULL,
                created_at \(real) NOT NULL, expires_at \(real) NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (patient_key, channel))
            """,
            "CREATE INDEX contact_confirmation_by_secret ON contact_confirmation(secret_hash)",
            "CREATE INDEX outbox_by_recipient ON outbox(recipient, created_at)",
        ]
    }
}

/// A confirmation of one contact under way: the code sent by SMS, or the link sent by mail.
public struct ContactConfirmation: Sendable, Equatable {
    public let patientKey: String
    public let channel: OutboxMessage.Channel
    public let recipient: String

    public init(patientKey: String, channel: OutboxMessage.Channel, recipient: String) {
        self.patientKey = patientKey
        self.channel = channel
        self.recipient = recipient
    }
}

/// How many confirmations may be sent in a day, and how many wrong codes one takes.
public enum ContactConfirmationLimits {
    /// Confirmation messages one address or phone receives in 24 hours.
    public static let perRecipientPerDay = 3
    /// Confirmation messages one patient sends in 24 hours, to any of their contacts.
    public static let perPatientPerDay = 6
    /// Wrong codes after which a confirmation is spent (a new one must be asked for).
    public static let attempts = 5
    /// How long a code or link stays good.
    public static let lifetime: Double = 24 * 3_600
    /// Messages one address or phone receives in 24 hours besides tickets and changes of its own
    /// bookings (waiting-list offers and their endings, confirmations).
    public static let otherMessagesPerDay = 10
}

/// The hash a confirmation's secret is kept as. A mail link's token (256 bits) is hashed alone, so
/// that the link finds its confirmation; an SMS code (six digits) is hashed with its patient, so that
/// a copy of the database does not give the codes away by trying all million.
public enum ContactSecret {
    public static func hash(_ secret: String, patientKey: String?) -> String {
        let text = "contact-secret|" + (patientKey ?? "") + "|" + secret
        return SHA256.hash(data: Data(text.utf8)).map { String($0 >> 4, radix: 16) + String($0 & 0x0F, radix: 16) }.joined()
    }
}
