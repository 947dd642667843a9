import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

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
