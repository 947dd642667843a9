import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// One message as the patient's list shows it: the contact half hidden.
struct MessageRow: TemplateObject {
    let createdAt: Date
    let channel: String
    let recipient: String
    let about: String
    let statusCode: String
    let status: String

    init(message: OutboxMessage, booking: LedgerEntry?) {
        createdAt = message.createdAt
        channel = message.channel == .email ? "письмо на" : "SMS на"
        recipient = Self.masked(message.recipient, channel: message.channel)
        let what = switch message.kind {
        case .booked: "Талон"
        case .moved: "Запись перенесена"
        case .cancelled: "Запись отменена"
        case .clinicCancelled: "Поликлиника отменила запись"
        case .clinicMoved: "Поликлиника перенесла запись"
        case .awaiting: "Заявка на запись принята"
        case .clinicConfirmed: "Поликлиника подтвердила запись"
        case .clinicRefused: "Поликлиника отклонила запись"
        case .displaced: "Приём на это время отменён"
        case .reminder: "Напоминание о приёме"
        case .offer: "Освободилось время из листа ожидания"
        case .offerGone: "Предложенное время уже занято"
        case .contactCode: message.channel == .email ? "Подтверждение адреса почты" : "Код подтверждения телефона"
        }
        about = booking.map { "\(what): \($0.specialtyName.lowercased()), \($0.doctorName)" } ?? what
        statusCode = message.status.rawValue
        status = switch message.status {
        case .pending: message.attempts == 0 ? "ждёт отправки" : "не удалось отправить, пробуем ещё раз"
        case .sending: "отправляется"
        case .sent: "отправлено"
        case .dead: "отправить не удалось"
        case .withdrawn: "не отправлено: согласие отозвано или контакт изменён"
        }
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "createdAt": .date(createdAt)
        case "channel": .string(channel)
        case "recipient": .string(recipient)
        case "about": .string(about)
        case "statusCode": .string(statusCode)
        case "status": .string(status)
        default: nil
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
