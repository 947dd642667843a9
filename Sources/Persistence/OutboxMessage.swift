import Foundation

/// One message of the outbox: what happened (`kind`, about the ledger entry `requestID`), to whom
/// and by which channel, and how its sending goes.
public struct OutboxMessage: Sendable, Equatable {
    /// How a message is sent.
    public enum Channel: String, Sendable, CaseIterable {
        case email, sms
    }

    /// What the message tells.
    public enum Kind: String, Sendable, CaseIterable {
        /// The booking was saved (the ticket).
        case booked
        /// The patient (or an operator, or a kiosk) moved it.
        case moved
        /// The patient (or an operator, or a kiosk) cancelled it.
        case cancelled
        /// The clinic cancelled it (its change log said so).
        case clinicCancelled = "clinic-cancelled"
        /// The clinic moved it to another time.
        case clinicMoved = "clinic-moved"
        /// The booking was made as a reservation: the clinic is to confirm it.
        case awaiting
        /// The clinic confirmed the reservation: the ticket.
        case clinicConfirmed = "clinic-confirmed"
        /// The clinic refused the reservation, or cancelled a booking it had lost, saying why.
        case clinicRefused = "clinic-refused"
        /// The clinic closed the booking's time: it will move or cancel it.
        case displaced
        /// The day before: every visit of the patient that day, in one message.
        case reminder
        /// A time the patient waits for came free (`requestID` names the offer).
        case offer
        /// Someone else took the time offered (`requestID` names the offer).
        case offerGone = "offer-gone"
        /// The code (SMS) or link (mail) that confirms a new contact; `requestID` carries the secret
        /// itself, the only place it is kept in clear, until the message is sent. The one message an
        /// unconfirmed contact receives.
        case contactCode = "contact-code"

        /// Kinds held to a contact's daily cap: what is not a ticket nor a change of its own bookings.
        public static let capped: [Kind] = [.offer, .offerGone, .contactCode]
    }

    /// Where its sending stands.
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for its time (the first try, or the next after a failure).
        case pending
        /// A worker is sending it now (until its claim runs out).
        case sending
        case sent
        /// Every try failed, or the recipient was refused for good: nobody tries again.
        case dead
        /// The patient withdrew consent to this contact before it was sent, or there was nothing left to say.
        case withdrawn
    }

    public let id: String
    /// `kind:reference:channel`: the same event never makes a second message on one channel.
    /// (`requestID` is the ledger entry the message is about — or, for offers, the offer.)
    public let idempotencyKey: String
    public let patientKey: String
    public let channel: Channel
    /// The e-mail address or phone number, as consented to when the event happened.
    public let recipient: String
    public let kind: Kind
    public let requestID: String?
    /// A reminder's day (`YYYY-MM-DD`, the clinic's calendar).
    public var day: String?
    public var status: Status
    /// Tries begun so far.
    public var attempts: Int
    public var nextAttemptAt: Date
    public let createdAt: Date
    public var sentAt: Date?
    /// What went wrong last (no personal data: a status line of the server or gateway).
    public var lastError: String?

    public init(id: String, idempotencyKey: String, patientKey: String, channel: Channel, recipient: String, kind: Kind, requestID: String?, status: Status,
                attempts: Int, nextAttemptAt: Date, createdAt: Date, sentAt: Date? = nil, lastError: String? = nil) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.patientKey = patientKey
        self.channel = channel
        self.recipient = recipient
        self.kind = kind
        self.requestID = requestID
        self.day = nil
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.lastError = lastError
    }
}

/// A patient with a visit coming whose day has no reminder yet: the first visit's request id, zone and start.
public struct ReminderCandidate: Sendable, Equatable {
    public let patientKey: String
    /// `YYYY-MM-DD`, the clinic's calendar.
    public let day: String
    public let requestID: String
    public let timeZone: String
    public let firstStart: Date

    public init(patientKey: String, day: String, requestID: String, timeZone: String, firstStart: Date) {
        self.patientKey = patientKey
        self.day = day
        self.requestID = requestID
        self.timeZone = timeZone
        self.firstStart = firstStart
    }
}
