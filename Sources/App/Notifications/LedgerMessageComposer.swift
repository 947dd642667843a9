import Foundation
import Notifications
import Persistence
import Templating
import Web

/// Writes the outbox's messages from the ledger, through the registry's own templates: an e-mail's
/// subject (`messages/subject.txt`), text part (`messages/mail.txt`) and HTML part (`messages/mail`),
/// with the ticket's calendar file while there is a visit to come; an SMS (`messages/sms.txt`),
/// cut to two segments. Links lead to the patient's pages, which show and ask, and change nothing on a GET.
struct LedgerMessageComposer: MessageComposer {
    let database: any RegistryStore
    let pages: PageRenderer
    /// The registry's address as patients reach it (`https://registratura.example.ru`), for links.
    let publicURL: String
    let sender: (address: String, name: String)

    func compose(_ message: OutboxMessage) async throws -> ComposedMessage? {
        guard let requestID = message.requestID, let entry = try await database.booking(requestID: requestID) else { return nil }
        let previous = try await entry.replaces.asyncMap { try await database.booking(requestID: $0) } ?? nil
        let page = MessagePage(kind: message.kind, entry: entry, previous: previous, ticketURL: publicURL + SiteRoute.ticket(entry.requestID).path)
        let context = PageContext(site: pages.site, page: page, viewer: PageViewer())
        switch message.channel {
        case .sms:
            return .sms(SMSText(try pages.templates.renderString("messages/sms.txt", context).trimmingCharacters(in: .whitespacesAndNewlines)))
        case .email:
            let subject = try pages.templates.renderString("messages/subject.txt", context).trimmingCharacters(in: .whitespacesAndNewlines)
            let visitAhead = message.kind != .cancelled && message.kind != .clinicCancelled
            return .email(MailMessage(
                from: sender.address, fromName: sender.name, to: message.recipient, subject: subject,
                text: try pages.templates.renderString("messages/mail.txt", context), html: try pages.templates.renderString("messages/mail", context),
                calendar: visitAhead ? (CalendarFile.fileName(ticket: entry.ticket), CalendarFile.ics(for: entry)) : nil, messageID: message.idempotencyKey
            ))
        }
    }
}

/// What a message's templates see (`page`): what happened, and the booking it is about.
struct MessagePage: TemplateObject {
    let kind: OutboxMessage.Kind
    let entry: LedgerEntry
    /// The booking a move replaced.
    let previous: LedgerEntry?
    let ticketURL: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "booked": .bool(kind == .booked)
        case "moved": .bool(kind == .moved)
        case "cancelled": .bool(kind == .cancelled)
        case "clinicCancelled": .bool(kind == .clinicCancelled)
        case "clinicMoved": .bool(kind == .clinicMoved)
        case "visitAhead": .bool(kind != .cancelled && kind != .clinicCancelled)
        case "ticket": .optional(entry.ticket)
        case "start": .date(entry.start)
        case "timeZone": .string(entry.timeZone)
        case "specialty": .string(entry.specialtyName)
        case "doctor": .string(entry.doctorName)
        case "room": .string(entry.room)
        case "clinic": .string(entry.clinicName)
        case "address": .string(entry.clinicAddress)
        case "phone": .string(entry.clinicPhone)
        case "reason": .optional(entry.cancelReason)
        case "previousStart": previous.map { .date($0.start) } ?? .null
        case "ticketURL": .string(ticketURL)
        default: nil
        }
    }
}

extension Optional {
    /// `map` for an asynchronous transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
