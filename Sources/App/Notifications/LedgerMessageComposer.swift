import Foundation
import PatientChannel
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
    /// Reminders go out only inside these hours of the clinic's clock.
    let quietHours: QuietHours
    let now: @Sendable () -> Date

    func compose(_ message: OutboxMessage) async throws -> ComposedMessage? {
        if message.kind == .offer || message.kind == .offerGone { return try await composeOffer(message) }
        if message.kind == .contactCode { return composeConfirmation(message) }
        guard let requestID = message.requestID, let entry = try await database.booking(requestID: requestID) else { return nil }
        var visits: [LedgerEntry] = []
        if message.kind == .reminder {
            // Every visit of the patient that day still standing, in one message; none: nothing to remind of.
            visits = try await database.bookings(patientKey: message.patientKey).filter { $0.day == message.day && $0.status == .active }.sorted { $0.start < $1.start }
            guard let first = visits.first else { return nil }
            // The day before, inside its quiet hours on the clinic's clock; past that, there is nothing to send.
            let now = self.now()
            guard let due = quietHours.reminder(for: first.start, in: TimeZone(identifier: first.timeZone) ?? .current, now: now) else { return nil }
            if due > now { return .notBefore(due) }
        }
        let previous = if let replaced = entry.replaces { try await database.booking(requestID: replaced) } else { nil as LedgerEntry? }
        let ticketURL = publicURL + (message.kind == .reminder ? SiteRoute.cabinet().path : SiteRoute.ticket(entry.requestID).path)
        let page = MessagePage(kind: message.kind, entry: visits.first ?? entry, previous: previous, ticketURL: ticketURL, visits: visits)
        let context = PageContext(site: pages.site, page: page, viewer: PageViewer())
        switch message.channel {
        case .sms:
            return .sms(SMSText(try pages.templates.renderString("messages/sms.txt", context).trimmingCharacters(in: .whitespacesAndNewlines)))
        case .email:
            let subject = try pages.templates.renderString("messages/subject.txt", context).trimmingCharacters(in: .whitespacesAndNewlines)
            let visitAhead = MessagePage.visitAhead(message.kind)
            return .email(MailMessage(
                from: sender.address, fromName: sender.name, to: message.recipient, subject: subject,
                text: try pages.templates.renderString("messages/mail.txt", context), html: try pages.templates.renderString("messages/mail", context),
                calendar: visitAhead ? (CalendarFile.fileName(ticket: entry.ticket), CalendarFile.ics(for: entry)) : nil, messageID: message.idempotencyKey
            ))
        }
    }
}

extension LedgerMessageComposer {
    /// A new contact's confirmation: the code by SMS, the link by mail (its page asks before it
    /// confirms). Nothing else about the patient is in it: it may have reached a stranger.
    private func composeConfirmation(_ message: OutboxMessage) -> ComposedMessage? {
        guard let secret = message.requestID else { return nil }
        switch message.channel {
        case .sms:
            return .sms(SMSText("Регистратура: код подтверждения телефона \(secret). Если вы не оставляли этот номер, ничего делать не нужно."))
        case .email:
            let link = publicURL + SiteRoute.contactConfirm(token: secret).path
            let text = """
                Здравствуйте!

                Этот адрес указали для сообщений онлайн-регистратуры: талонов, напоминаний, извещений об изменениях записей. \
                Чтобы подтвердить его, откройте ссылку (она действует сутки):

                \(link)

                Если вы не оставляли этот адрес, просто удалите письмо: без подтверждения писем больше не будет.
                """
            let html = """
                <!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Подтвердите адрес почты</title></head><body>
                <h1 style="font-size:20px">Подтвердите адрес почты</h1>
                <p>Этот адрес указали для сообщений онлайн-регистратуры: талонов, напоминаний, извещений об изменениях записей.</p>
                <p><a href="\(link)">Подтвердить адрес</a> (ссылка действует сутки)</p>
                <p>Если вы не оставляли этот адрес, просто удалите письмо: без подтверждения писем больше не будет.</p>
                </body></html>
                """
            return .email(MailMessage(from: sender.address, fromName: sender.name, to: message.recipient, subject: "Подтвердите адрес почты для онлайн-регистратуры",
                                      text: text, html: html, messageID: message.idempotencyKey))
        }
    }

    /// A waiting-list offer (its link asks before it books), or the word that its time is gone;
    /// nothing for an offer that was answered or expired before it could be sent.
    private func composeOffer(_ message: OutboxMessage) async throws -> ComposedMessage? {
        guard let id = message.requestID, let offer = try await database.offer(id: id) else { return nil }
        if message.kind == .offer && (offer.status != .open || offer.expiresAt <= now()) { return nil }
        let context = PageContext(site: pages.site, page: OfferMessagePage(offer: offer, gone: message.kind == .offerGone, offerURL: publicURL + SiteRoute.offer(offer.id).path),
                                  viewer: PageViewer())
        switch message.channel {
        case .sms:
            return .sms(SMSText(try pages.templates.renderString("messages/offer-sms.txt", context).trimmingCharacters(in: .whitespacesAndNewlines)))
        case .email:
            return .email(MailMessage(
                from: sender.address, fromName: sender.name, to: message.recipient,
                subject: try pages.templates.renderString("messages/offer-subject.txt", context).trimmingCharacters(in: .whitespacesAndNewlines),
                text: try pages.templates.renderString("messages/offer.txt", context), html: try pages.templates.renderString("messages/offer", context),
                messageID: message.idempotencyKey
            ))
        }
    }
}
