import Foundation
import Notifications

/// How the registry tells patients: its address for links, the mail server, the SMS gateway, and
/// how soon a failed message is tried again. Unset channels keep their messages waiting.
public struct NotificationConfiguration: Sendable, Equatable {
    /// The registry's address as patients reach it (`REGISTRATURA_PUBLIC_URL`), for links in messages.
    public var publicURL = "http://localhost:8080"
    /// `REGISTRATURA_SMTP_URL` (`smtp://host:587`, `smtps://host:465`) with `_USER`, `_PASSWORD`,
    /// `_FROM`, `_REQUIRE_TLS=1`, `_CA_FILE`, `_UTF8=1` (the relay speaks SMTPUTF8).
    public var smtp: SMTPSettings?
    /// `REGISTRATURA_SMS_URL` with `_USER`, `_PASSWORD`, `_SENDER`.
    public var sms: SMSSettings?
    /// The first retry of a failed message after this long (`REGISTRATURA_NOTIFY_RETRY_SECONDS`); each next one waits twice as long.
    public var firstRetry: TimeInterval = 30
    /// How long a worker's claim on a message lasts (`REGISTRATURA_NOTIFY_LEASE_SECONDS`): if its node dies
    /// mid-send, another (or the restarted one) sends it after this. Longer than a send may take (30 s).
    public var lease: TimeInterval = 120
    /// Reminders go out only within these hours of each clinic's clock (`REGISTRATURA_QUIET_HOURS`, `08-21`).
    public var quietHours = QuietHours()
    /// How long a waiting-list offer stays open (`REGISTRATURA_WAITLIST_OFFER_MINUTES`, 30).
    public var offerLifetime: TimeInterval = 30 * 60

    public init() {}

    init(environment: [String: String]) throws(ConfigurationError) {
        if let url = environment["REGISTRATURA_PUBLIC_URL"] {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil, parsed.query == nil else {
                throw ConfigurationError("REGISTRATURA_PUBLIC_URL must be the registry's address, like https://registratura.example.ru, not '\(url)'")
            }
            publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let url = environment["REGISTRATURA_SMTP_URL"] {
            guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else { throw ConfigurationError("REGISTRATURA_SMTP_URL must start with smtp:// or smtps://, not '\(url)'") }
            guard let from = environment["REGISTRATURA_SMTP_FROM"], from.contains("@"), !from.contains(where: { $0 == "<" || $0 == ">" || $0.isWhitespace }) else {
                throw ConfigurationError("REGISTRATURA_SMTP_FROM must be the sender's address (with REGISTRATURA_SMTP_URL)")
            }
            smtp = SMTPSettings(url: url, username: environment["REGISTRATURA_SMTP_USER"], password: environment["REGISTRATURA_SMTP_PASSWORD"], from: from,
                                requireTLS: environment["REGISTRATURA_SMTP_REQUIRE_TLS"] == "1", caFile: environment["REGISTRATURA_SMTP_CA_FILE"],
                                smtpUTF8: environment["REGISTRATURA_SMTP_UTF8"] == "1")
        }
        if let url = environment["REGISTRATURA_SMS_URL"] {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw ConfigurationError("REGISTRATURA_SMS_URL must be an http(s) address, not '\(url)'") }
            sms = SMSSettings(url: url, username: environment["REGISTRATURA_SMS_USER"], password: environment["REGISTRATURA_SMS_PASSWORD"],
                              sender: environment["REGISTRATURA_SMS_SENDER"] ?? "Registratura")
        }
        if let seconds = environment["REGISTRATURA_NOTIFY_RETRY_SECONDS"] {
            guard let value = Double(seconds), (1...3_600).contains(value) else {
                throw ConfigurationError("REGISTRATURA_NOTIFY_RETRY_SECONDS must be a number of seconds from 1 to 3600, not '\(seconds)'")
            }
            firstRetry = value
        }
        if let minutes = environment["REGISTRATURA_WAITLIST_OFFER_MINUTES"] {
            guard let value = Int(minutes), (1...1_440).contains(value) else {
                throw ConfigurationError("REGISTRATURA_WAITLIST_OFFER_MINUTES must be a number of minutes from 1 to 1440, not '\(minutes)'")
            }
            offerLifetime = TimeInterval(value * 60)
        }
        if let hours = environment["REGISTRATURA_QUIET_HOURS"] {
            guard let parsed = QuietHours(parsing: hours) else { throw ConfigurationError("REGISTRATURA_QUIET_HOURS must be two hours like 08-21, not '\(hours)'") }
            quietHours = parsed
        }
        if let seconds = environment["REGISTRATURA_NOTIFY_LEASE_SECONDS"] {
            guard let value = Double(seconds), (5...3_600).contains(value) else {
                throw ConfigurationError("REGISTRATURA_NOTIFY_LEASE_SECONDS must be a number of seconds from 5 to 3600, not '\(seconds)'")
            }
            lease = value
        }
    }
}
