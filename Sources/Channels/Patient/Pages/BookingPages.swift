import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Check your answers before the one confirm button.
struct CheckPage: TemplateObject {
    let chosen: ChosenTime
    let patientName: String
    let requestID: String
    var csrfToken: String
    var contact = ContactForm(phone: nil, email: nil, consent: false, unicodeMailboxes: false)
    /// Shown when the clinic did not answer the confirmation: the same button books once, however often it is pressed.
    var retryNotice = false
    /// The referral number asked for a specialty open by referral (nil for any other).
    var referral: ReferralField? = nil

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Проверьте запись")
        case "clinic": .object(chosen.clinic)
        case "doctor": .string(chosen.doctor)
        case "specialty": .string(chosen.specialty)
        case "room": .string(chosen.room)
        case "start": .date(chosen.start)
        case "patient": .string(patientName)
        case "confirmation": .object(ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, day: chosen.day, requestID: requestID, csrfToken: csrfToken))
        case "contact": .object(contact)
        case "retryNotice": .bool(retryNotice)
        case "dayURL": .string(SiteRoute.day(clinic: chosen.clinicID, doctor: chosen.doctorID, day: chosen.day).path)
        case "referral": referral.map { .object($0) } ?? .null
        case "errors": .list((referral?.error.map { [$0] } ?? []).map { .object($0) } + contact.errors.map { .object($0) })
        default: nil
        }
    }
}

/// The referral number field of the check page, with what the MIS said about the number typed.
struct ReferralField: TemplateObject {
    var number = ""
    /// Why the number does not do (plain Russian), if it does not.
    var refusal: String?
    /// The refusal's stable code.
    var code: String?

    var error: FormError? { refusal.map { FormError(field: "referral", message: $0) } }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "number": .string(number)
        case "error": .optional(refusal)
        case "code": .optional(code)
        default: nil
        }
    }
}

/// The clinic did not answer the confirmation: the same confirmation again, once it is back.
struct RetryPage: TemplateObject {
    let clinicID: String
    let doctorID: String
    let slotID: String
    let requestID: String
    let contact: ContactForm
    /// The referral number typed, sent again with the retry (the attempt may not have kept it).
    var referral: String? = nil
    /// The ledger's record of the attempt, when it got as far as the clinic.
    let attempt: LedgerEntry?
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Поликлиника не ответила")
        case "confirmation": .object(ConfirmationFields(clinicID: clinicID, doctorID: doctorID, slotID: slotID, requestID: requestID, csrfToken: csrfToken))
        case "contact": .object(contact)
        case "referral": .optional(referral ?? attempt?.referral)
        case "attempt": attempt.map { .object(TicketPage(entry: $0)) } ?? .null
        case "doctorURL": .string(SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path)
        default: nil
        }
    }
}

/// Why the booking did not happen, what to do, and the nearest other times.
struct RefusalPage: TemplateObject {
    let refusal: Refusal
    /// The rules in force, whose figures the explanation names.
    let rules: BookingRules
    let clinicID: String
    let doctorID: String
    let alternatives: [MISSlot]
    /// The clinic's zone, for the alternatives' times.
    let zone: TimeZone?
    /// Where the alternatives' buttons lead: a new booking's check page, or a move's.
    var alternativesAction = SiteRoute.book.path
    var heading = "Записаться не получилось"
    /// The "whole schedule" link: the doctor's page unless the refusal came from elsewhere (a move).
    var scheduleURL: String? = nil
    /// The patient's booking that stands in the way (one per specialty a day), to open or move here.
    var conflict: LedgerEntry? = nil
    /// Moving `conflict` to the time refused, when that is a move the desk allows (same clinic).
    var moveHereURL: String? = nil

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(heading)
        case "alternativesAction": .string(alternativesAction)
        case "conflict": conflict.map { .object(TicketRow(entry: $0)) } ?? .null
        case "moveHereURL": .optional(moveHereURL)
        case "notAttached": .bool(refusal.code == .notAttached)
        case "code": .string(refusal.code.rawValue)
        case "explanation": .string(RefusalTexts.explanation(refusal.code, for: .patient, rules: rules))
        case "clinicID": .string(clinicID)
        case "doctorID": .string(doctorID)
        case "doctorURL": .string(scheduleURL ?? SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path)
        case "alternatives": .list(alternatives.map { .object(SlotChoice(slot: $0)) })
        case "timeZone": .string(zone?.identifier ?? "Europe/Moscow")
        default: nil
        }
    }
}

/// A free time offered as a button.
struct SlotChoice: TemplateObject {
    let slot: MISSlot

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(slot.id)
        case "start": .date(slot.start)
        default: nil
        }
    }
}

/// The ticket: everything needed to find the room and arrive on time.
struct TicketPage: TemplateObject {
    let entry: LedgerEntry
    /// The patient's name as the session shows it (masked), for the printed ticket.
    var patient: String? = nil
    /// The booking this one moved (for "moved from …"), if it was a move.
    var previous: LedgerEntry? = nil
    /// Whether it can be moved or cancelled now (active and still ahead).
    var changeable = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(entry.status == .cancelled ? "Запись отменена" : entry.status == .moved ? "Запись перенесена" : entry.ticket.map { "Талон \($0)" } ?? "Запись к врачу")
        case "cancelled": .bool(entry.status == .cancelled)
        case "moved": .bool(entry.status == .moved)
        case "movedToURL": .optional(entry.movedTo.map { SiteRoute.ticket($0).path })
        case "previous": previous.map { .object(TicketRow(entry: $0)) } ?? .null
        case "changeable": .bool(changeable)
        case "moveURL": .string(SiteRoute.ticketMove(entry.requestID).path)
        case "cancelledByClinic": .bool(entry.cancelledBy == MISChannel.clinic.rawValue)
        case "cancelReason": .optional(entry.cancelReason)
        case "clinicURL": .string(SiteRoute.clinic(entry.clinicID).path)
        case "id": .string(entry.requestID)
        case "cancelURL": .string(SiteRoute.ticketCancel(entry.requestID).path)
        case "calendarURL": .string(SiteRoute.ticketCalendar(entry.requestID).path)
        case "ticket": .optional(entry.ticket)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        case "room": .string(entry.room)
        case "start": .date(entry.start)
        case "clinicID": .string(entry.clinicID)
        case "clinicName": .string(entry.clinicName)
        case "address": .string(entry.clinicAddress)
        case "phone": .string(entry.clinicPhone)
        case "timeZone": .string(entry.timeZone)
        case "zoneNote": .string(ZoneNote.describe(entry.timeZone, at: entry.start))
        case "patient": .optional(patient)
        default: nil
        }
    }
}

/// A ledger entry as a row of the cabinet.
struct TicketRow: TemplateObject {
    let entry: LedgerEntry

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(entry.requestID)
        case "url": .string(SiteRoute.ticket(entry.requestID).path)
        case "cancelURL": .string(SiteRoute.ticketCancel(entry.requestID).path)
        case "moveURL": .string(SiteRoute.ticketMove(entry.requestID).path)
        case "moved": .bool(entry.status == .moved)
        case "ticket": .optional(entry.ticket)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        case "clinicName": .string(entry.clinicName)
        case "clinicURL": .string(SiteRoute.clinic(entry.clinicID).path)
        case "start": .date(entry.start)
        case "timeZone": .string(entry.timeZone)
        case "cancelled": .bool(entry.status == .cancelled)
        case "cancelledByClinic": .bool(entry.status == .cancelled && entry.cancelledBy == MISChannel.clinic.rawValue)
        case "cancelReason": .optional(entry.cancelReason)
        default: nil
        }
    }
}

/// The cabinet: what is booked and what was.
struct CabinetPage: TokenCarryingPage {
    let name: String
    /// The booking the patient has just cancelled, confirmed at the top of the page.
    var justCancelled: LedgerEntry? = nil
    let active: [LedgerEntry]
    /// Upcoming appointments the clinic cancelled, shown first so the patient can book again.
    let cancelledByClinic: [LedgerEntry]
    let past: [LedgerEntry]
    let contact: ContactRecord?
    var csrfToken: String

    func with(csrfToken: String) -> CabinetPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Мои записи")
        case "name": .string(name)
        case "justCancelled": justCancelled.map { .object(TicketRow(entry: $0)) } ?? .null
        case "active": .list(active.map { .object(TicketRow(entry: $0)) })
        case "cancelledByClinic": .list(cancelledByClinic.map { .object(TicketRow(entry: $0)) })
        case "past": .list(past.map { .object(TicketRow(entry: $0)) })
        case "hasContact": .bool(contact != nil)
        case "phone": .optional(contact?.phone)
        case "email": .optional(contact?.email)
        case "consentAt": contact.map { .date($0.consentAt) } ?? .null
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// The reminder contacts and the consent behind them.
struct ContactPage: TokenCarryingPage {
    let form: ContactForm
    /// Whether contacts are saved now (then consent can be withdrawn).
    let saved: Bool
    var csrfToken: String
    /// The contacts as kept, with what of them is confirmed.
    var record: ContactRecord?
    /// What just happened (a code sent, a contact confirmed), said at the top.
    var notice: String?
    var codeError: String?

    func with(csrfToken: String) -> ContactPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(codeError == nil ? "Контакты для связи" : "Ошибка: контакты для связи")
        case "contact": .object(form)
        case "saved": .bool(saved)
        case "errors": .list((form.errors + (codeError.map { [FormError(field: "code", message: $0)] } ?? [])).map { .object($0) })
        case "csrf": .string(csrfToken)
        case "notice": .optional(notice)
        case "codeError": .optional(codeError)
        case "phoneToConfirm": .optional(record.flatMap { $0.phoneConfirmed ? nil : $0.phone })
        case "emailToConfirm": .optional(record.flatMap { $0.emailConfirmed ? nil : $0.email })
        case "codeAction": .string(SiteRoute.cabinetContactCode.path)
        case "resendAction": .string(SiteRoute.cabinetContactResend.path)
        default: nil
        }
    }
}

/// A mail confirmation link opened: the address it confirms, and a button (a GET never confirms:
/// mail scanners open links), or the word that it is confirmed or the link is spent.
struct ContactConfirmPage: TokenCarryingPage {
    var token: String
    /// The address, half hidden; nil when the link is unknown, spent or old.
    var address: String?
    var confirmed = false
    var csrfToken = ""

    func with(csrfToken: String) -> ContactConfirmPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(confirmed ? "Адрес подтверждён" : address == nil ? "Ссылка устарела" : "Подтвердите адрес почты")
        case "token": .string(token)
        case "address": .optional(address)
        case "confirmed": .bool(confirmed)
        case "action": .string(SiteRoute.contactConfirm().path)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// Are you sure? — before a cancellation.
struct CancelPage: TokenCarryingPage {
    let entry: LedgerEntry
    var csrfToken: String

    func with(csrfToken: String) -> CancelPage {
        CancelPage(entry: entry, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Отменить запись?")
        case "row": .object(TicketRow(entry: entry))
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// The patient's messages (sent and waiting), newest first.
struct MessagesPage: TemplateObject {
    let messages: [OutboxMessage]
    /// The patient's ledger by request id: what each message is about.
    let bookings: [String: LedgerEntry]

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "messages": .list(messages.map { .object(MessageRow(message: $0, booking: $0.requestID.flatMap { bookings[$0] })) })
        default: nil
        }
    }
}

/// One message as the patient's list shows it: the contact half hidden.
struct MessageRow: TemplateObject {
    let message: OutboxMessage
    let booking: LedgerEntry?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "createdAt": .date(message.createdAt)
        case "channel": .string(message.channel == .email ? "письмо на" : "SMS на")
        case "recipient": .string(Self.masked(message.recipient, channel: message.channel))
        case "about": .string(about)
        case "statusCode": .string(message.status.rawValue)
        case "status": .string(status)
        default: nil
        }
    }

    private var about: String {
        let what = switch message.kind {
        case .booked: "Талон"
        case .moved: "Запись перенесена"
        case .cancelled: "Запись отменена"
        case .clinicCancelled: "Поликлиника отменила запись"
        case .clinicMoved: "Поликлиника перенесла запись"
        case .reminder: "Напоминание о приёме"
        case .offer: "Освободилось время из листа ожидания"
        case .offerGone: "Предложенное время уже занято"
        case .contactCode: message.channel == .email ? "Подтверждение адреса почты" : "Код подтверждения телефона"
        }
        return booking.map { "\(what): \($0.specialtyName.lowercased()), \($0.doctorName)" } ?? what
    }

    private var status: String {
        switch message.status {
        case .pending: message.attempts == 0 ? "ждёт отправки" : "не удалось отправить, пробуем ещё раз"
        case .sending: "отправляется"
        case .sent: "отправлено"
        case .dead: "отправить не удалось"
        case .withdrawn: "не отправлено: согласие отозвано или контакт изменён"
        }
    }

    /// `an***@example.org`, `+7 916 ***-**-67`: enough to recognise, not to read out.
    static func masked(_ recipient: String, channel: OutboxMessage.Channel) -> String {
        switch channel {
        case .email:
            let parts = recipient.split(separator: "@", maxSplits: 1)
            guard parts.count == 2 else { return "***" }
            return String(parts[0].prefix(2)) + "***@" + parts[1]
        case .sms:
            let digits = recipient.filter(\.isNumber)
            return digits.count >= 4 ? "+\(digits.prefix(1)) \(digits.dropFirst().prefix(3)) ***-**-\(digits.suffix(2))" : "***"
        }
    }
}
