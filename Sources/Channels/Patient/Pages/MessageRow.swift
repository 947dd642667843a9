import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

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
