import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

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
