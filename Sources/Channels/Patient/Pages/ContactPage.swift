import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The reminder contacts and the consent behind them.
struct ContactPage: TokenCarryingPage {
    let title: String
    let form: ContactForm
    /// Whether contacts are saved now (then consent can be withdrawn).
    let saved: Bool
    /// What just happened (a code sent, a contact confirmed), said at the top.
    let notice: String?
    let errors: [FormError]
    /// The contacts as kept that still wait for confirmation.
    let phoneToConfirm: String?
    let emailToConfirm: String?
    /// The SMS code's field, named after the phone it was sent to.
    let code: FormField?
    let codeAction = SiteRoute.cabinetContactCode.path
    let resendAction = SiteRoute.cabinetContactResend.path
    private(set) var csrfToken: String

    /// `record`: the contacts as kept, with what of them is confirmed.
    init(form: ContactForm, saved: Bool, csrfToken: String, record: ContactRecord? = nil, notice: String? = nil, codeError: String? = nil) {
        title = codeError == nil ? "Контакты для связи" : "Ошибка: контакты для связи"
        self.form = form
        self.saved = saved
        self.notice = notice
        errors = form.errors + (codeError.map { [FormError(field: "code", message: $0)] } ?? [])
        phoneToConfirm = record.flatMap { $0.phoneConfirmed ? nil : $0.phone }
        emailToConfirm = record.flatMap { $0.emailConfirmed ? nil : $0.email }
        code = phoneToConfirm.map { phone in
            FormField("code", label: "Код из SMS на \(phone)", error: codeError,
                      input: FormField.Input.digits.with { $0.autocomplete = "one-time-code"; $0.maxLength = 6 })
        }
        self.csrfToken = csrfToken
    }

    func with(csrfToken: String) -> ContactPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "contact": .object(form)
        case "saved": .bool(saved)
        case "errors": .list(errors.map { .object($0) })
        case "csrf": .string(csrfToken)
        case "notice": .optional(notice)
        case "code": code.map { .object($0) } ?? .null
        case "phoneToConfirm": .optional(phoneToConfirm)
        case "emailToConfirm": .optional(emailToConfirm)
        case "codeAction": .string(codeAction)
        case "resendAction": .string(resendAction)
        default: nil
        }
    }
}
