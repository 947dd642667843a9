import Booking
import Foundation
import Web
import Templating

/// The optional reminder contacts a patient types (on the check page and in the cabinet), checked
/// and normalised. Contacts are kept only with explicit consent to personal-data processing.
struct ContactForm: Sendable {
    var phone: String
    var email: String
    var consent: Bool
    private(set) var errors: [FormError] = []

    /// `unicodeMailboxes`: the mail relay speaks SMTPUTF8, so an address may hold Cyrillic before the `@`.
    init(phone: String?, email: String?, consent: Bool, unicodeMailboxes: Bool) {
        self.phone = (phone ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        self.email = (email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        self.consent = consent
        if !self.phone.isEmpty {
            if let parsed = MobilePhone(parsing: self.phone) {
                self.phone = parsed.formatted
            } else {
                errors.append(FormError(field: "phone", message: "Введите мобильный номер из 10 цифр после +7, например +7 912 345-67-89."))
            }
        }
        if !self.email.isEmpty {
            do {
                self.email = try EmailAddress(parsing: self.email, unicodeLocalPart: unicodeMailboxes).text
            } catch {
                errors.append(FormError(field: "email", message: Self.explanation(error)))
            }
        }
        if isEmpty == false && !consent {
            errors.append(FormError(field: "consent", message: "Чтобы сохранить контакты, отметьте согласие на обработку персональных данных — или оставьте поля пустыми."))
        }
    }

    /// The phone to keep: nil when none was typed.
    var keptPhone: String? { phone.isEmpty ? nil : phone }
    /// The e-mail address to keep: nil when none was typed.
    var keptEmail: String? { email.isEmpty ? nil : email }

    /// Nothing typed: no reminders wanted.
    var isEmpty: Bool { phone.isEmpty && email.isEmpty }

    func error(for field: String) -> String? {
        errors.first { $0.field == field }?.message
    }

    private static func explanation(_ problem: EmailAddress.Problem) -> String {
        switch problem {
        case .malformed: "Введите адрес электронной почты в виде name@example.ru — без пробелов и служебных знаков."
        case .routing: "Такой адрес почтовые серверы понимают как пересылку (знаки %, ! или адрес в квадратных скобках): введите обычный адрес вида name@example.ru."
        case .unicodeLocalPart: "Наш почтовый сервер не отправляет письма на адреса с русскими буквами до знака @: укажите адрес, где до @ только латиница, или оставьте телефон."
        }
    }
}

extension ContactForm: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "phone": .string(phone)
        case "email": .string(email)
        case "consent": .bool(consent)
        case "phoneError": .optional(error(for: "phone"))
        case "emailError": .optional(error(for: "email"))
        case "consentError": .optional(error(for: "consent"))
        default: nil
        }
    }
}
