import Foundation
import Logging
import Metrics
import Persistence
import ServiceLifecycle

/// A message of the outbox made ready for its channel.
public enum ComposedMessage: Sendable {
    case email(MailMessage)
    case sms(SMSText)
    /// Not now (a reminder outside quiet hours): again at that moment.
    case notBefore(Date)
}

/// Turns an outbox message into what its channel sends (the channels' texts are the application's);
/// nil when there is nothing left to say (its booking is gone, a reminder's visits were cancelled).
public protocol MessageComposer: Sendable {
    func compose(_ message: OutboxMessage) async throws -> ComposedMessage?
}

/// Sends what a composer made; one implementation per channel, or one that does both.
public protocol MessageDelivery: Sendable {
    func deliver(_ message: ComposedMessage, to recipient: String, now: Date) async throws(SendFailure)
}

/// The real channels: SMTP for e-mail, the HTTP gateway for SMS (either may be unconfigured: its
/// messages then wait, and die after their last try, saying why).
public struct ChannelDelivery: MessageDelivery {
    public let mailer: SMTPMailer?
    public let sms: SMSGateway?

    public init(mailer: SMTPMailer?, sms: SMSGateway?) {
        self.mailer = mailer
        self.sms = sms
    }

    public func deliver(_ message: ComposedMessage, to recipient: String, now: Date) async throws(SendFailure) {
        switch message {
        case .email(let mail):
            guard let mailer else { throw SendFailure(permanent: false, reason: "no SMTP server is configured") }
            try await mailer.send(mail, now: now)
        case .sms(let text):
            guard let sms else { throw SendFailure(permanent: false, reason: "no SMS gateway is configured") }
            try await sms.send(text, to: recipient)
        case .notBefore:
            break
        }
    }
}

/// Sends the outbox's due messages in the background, never inside a patient's request: claims a
/// batch (several nodes' workers never claim one message at once), sends each, and writes down how
/// it went — sent; or tried again after a pause that doubles each time (30 s, 1 min, 2 min … up to an
/// hour); or dead after the last try, or at once when the server refused it for good. A message a
/// worker claimed and never finished (the process died) is claimed again once its claim runs out.
public struct OutboxWorker: Service {
    let database: any RegistryStore
    let composer: any MessageComposer
    let delivery: any MessageDelivery
    let logger: Logger
    let now: @Sendable () -> Date
    /// How often the outbox is looked at when it had nothing due.
    public var interval: Duration = .seconds(2)
    public var batchSize = 20
    /// How long a claim lasts: longer than any one send takes.
    public var lease: TimeInterval = 120
    /// Tries before a message is dead.
    public var maximumAttempts = 8
    public var firstRetry: TimeInterval = 30
    /// When reminders may go out, on each clinic's clock; and how often visits are looked at for them.
    public var quietHours = QuietHours()
    public var reminderRounds = 30

    public init(database: any RegistryStore, composer: any MessageComposer, delivery: any MessageDelivery, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.composer = composer
        self.delivery = delivery
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var round = 0
            while !Task.isCancelled {
                if round % reminderRounds == 0 { await scheduleReminders() }
                round += 1
                let sent = await runOnce()
                // A full batch: more may be due at once.
                if sent < batchSize { try await Task.sleep(for: interval) }
            }
        }
    }

    /// One round: claims and handles a batch; returns how many messages it handled.
    @discardableResult
    public func runOnce() async -> Int {
        let claimed: [OutboxMessage]
        do {
            claimed = try await database.claimDueMessages(now: now(), limit: batchSize, lease: lease)
        } catch {
            logger.warning("outbox not read", metadata: ["error": .string("\(type(of: error))")])
            return 0
        }
        for message in claimed { await handle(message) }
        return claimed.count
    }

    /// Writes the day-before reminder of every visit in the next two days that has none yet, due when
    /// the quiet hours of its clinic's zone allow (`QuietHours.reminder`).
    @discardableResult
    public func scheduleReminders() async -> Int {
        let now = self.now()
        do {
            var written = 0
            for candidate in try await database.reminderCandidates(from: now, to: now.addingTimeInterval(2 * 86_400)) {
                let zone = TimeZone(identifier: candidate.timeZone) ?? .current
                guard let due = quietHours.reminder(for: candidate.firstStart, in: zone, now: now) else { continue }
                try await database.scheduleReminder(candidate, due: due, now: now)
                written += 1
            }
            return written
        } catch {
            logger.warning("reminders not scheduled", metadata: ["error": .string("\(type(of: error))")])
            return 0
        }
    }

    /// One message sent or given up, in the statistics (the region's figure: a message names no clinic; the day is Moscow's).
    private func countForStatistics(_ key: String) async {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Moscow")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now())
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        try? await database.addStatistic(StatisticCount(basis: .shown, day: day, clinic: "", metric: "notification", key: key, value: 1))
    }

    private func handle(_ message: OutboxMessage) async {
        let channel = message.channel.rawValue
        do {
            // A contact's daily cap on what is not a ticket nor a change of its own bookings (this message counted too).
            if OutboxMessage.Kind.capped.contains(message.kind),
                try await database.messageCount(recipient: message.recipient, kinds: OutboxMessage.Kind.capped, since: now().addingTimeInterval(-86_400))
                    > ContactConfirmationLimits.otherMessagesPerDay {
                try await database.withdrawMessage(id: message.id, reason: "the contact's daily cap is reached")
                Counter(label: "registry_notifications_total", dimensions: [("channel", channel), ("outcome", "capped")]).increment()
                return
            }
            guard let composed = try await composer.compose(message) else {
                try await database.withdrawMessage(id: message.id, reason: "nothing left to say: the booking is cancelled or gone")
                Counter(label: "registry_notifications_total", dimensions: [("channel", channel), ("outcome", "withdrawn")]).increment()
                return
            }
            if case .notBefore(let moment) = composed {
                try await database.deferMessage(id: message.id, until: moment)
                return
            }
            let delivered: Result<Void, SendFailure>
            do {
                try await delivery.deliver(composed, to: message.recipient, now: now())
                delivered = .success(())
            } catch {
                delivered = .failure(error)
            }
            switch delivered {
            case .success:
                try await database.markMessageSent(id: message.id, now: now())
                Counter(label: "registry_notifications_total", dimensions: [("channel", channel), ("outcome", "sent")]).increment()
                await countForStatistics(channel + "-sent")
                logger.info("message sent", metadata: ["outbox.kind": .string(message.kind.rawValue), "outbox.channel": .string(channel), "outbox.attempt": .stringConvertible(message.attempts)])
            case .failure(let failure):
                let last = failure.permanent || message.attempts >= maximumAttempts
                let retryAt = last ? nil : now().addingTimeInterval(min(3_600, firstRetry * pow(2, Double(message.attempts - 1))))
                try await database.markMessageFailed(id: message.id, error: failure.reason, retryAt: retryAt)
                Counter(label: "registry_notifications_total", dimensions: [("channel", channel), ("outcome", last ? "dead" : "retry")]).increment()
                if last { await countForStatistics(channel + "-failed") }
                logger.warning("message not sent", metadata: [
                    "outbox.kind": .string(message.kind.rawValue), "outbox.channel": .string(channel), "outbox.attempt": .stringConvertible(message.attempts),
                    "outbox.reason": .string(failure.reason), "outbox.dead": .stringConvertible(last),
                ])
            }
        } catch {
            // The store did not answer: the claim runs out and the message is tried again then.
            logger.warning("outbox not updated", metadata: ["error": .string("\(type(of: error))")])
        }
    }
}
