import Booking
import Foundation
import Web
import Templating

/// The optional reminder contacts a patient types (on the check page and in the cabinet), checked
/// and normalised. Contacts are kept only with explicit consent to personal-data processing.
struct ContactForm: Sendable {
    let phone: String
    let email: String
    let consent: Bool
    let errors: [FormError]
    /// The form's fields as the page draws them (`partials/patient/contact-fields`).
    let phoneField: FormField
    let emailField: FormField
    let consentError: String?

    /// An empty form: nothing typed yet.
    static let empty = ContactForm(phone: nil, email: nil, consent: false, unicodeMailboxes: false)

    /// `unicodeMailboxes`: the mail relay speaks SMTPUTF8, so an address may hold Cyrillic before the `@`.
    init(phone typedPhone: String?, email typedEmail: String?, consent: Bool, unicodeMailboxes: Bool) {
        var phone = (typedPhone ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var email = (typedEmail ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [FormError] = []
        if !phone.isEmpty {
            if let parsed = MobilePhone(parsing: phone) {
                phone = parsed.formatted
            } else {
                errors.append(FormError(field: "phone", message: "Введите мобильный номер из 10 цифр после +7, например +7 912 345-67-89."))
            }
        }
        if !email.isEmpty {
            do {
                email = try EmailAddress(parsing: email, unicodeLocalPart: unicodeMailboxes).text
            } catch {
                errors.append(FormError(field: "email", message: Self.explanation(error)))
            }
        }
        if !(phone.isEmpty && email.isEmpty) && !consent {
            errors.append(FormError(field: "consent", message: "Чтобы сохранить контакты, отметьте согласие на обработку персональных данных — или оставьте поля пустыми."))
        }
        self.phone = phone
        self.email = email
        self.consent = consent
        self.errors = errors
        phoneField = FormField("phone", label: "Мобильный телефон", value: phone, errors: errors, input: FormField.Input.phone.with { $0.autocomplete = "tel" })
        emailField = FormField("email", label: "Электронная почта", value: email, errors: errors, input: FormField.Input.text.with { $0.type = "email"; $0.autocomplete = "email" })
        consentError = errors.first { $0.field == "consent" }?.message
    }

    /// The phone to keep: nil when none was typed.
    var keptPhone: String? { phone.isEmpty ? nil : phone }
    /// The e-mail address to keep: nil when none was typed.
    var keptEmail: String? { email.isEmpty ? nil : email }

    /// Nothing typed: no reminders wanted.
    var isEmpty: Bool { phone.isEmpty && email.isEmpty }

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
        case "phone": .object(phoneField)
        case "email": .object(emailField)
        case "consent": .bool(consent)
        case "consentError": .optional(consentError)
        default: nil
        }
    }
}
