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

    init(phone: String?, email: String?, consent: Bool) {
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
        if !self.email.isEmpty && !Self.looksLikeEmail(self.email) {
            errors.append(FormError(field: "email", message: "Введите адрес электронной почты в виде name@example.ru."))
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

    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
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
