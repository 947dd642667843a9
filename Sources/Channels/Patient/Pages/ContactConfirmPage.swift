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
    let title: String
    let token: String
    /// The address, half hidden; nil when the link is unknown, spent or old.
    let address: String?
    let confirmed: Bool
    let action = SiteRoute.contactConfirm().path
    private(set) var csrfToken = ""

    init(token: String, address: String?, confirmed: Bool = false) {
        title = confirmed ? "Адрес подтверждён" : address == nil ? "Ссылка устарела" : "Подтвердите адрес почты"
        self.token = token
        self.address = address
        self.confirmed = confirmed
    }

    func with(csrfToken: String) -> ContactConfirmPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "token": .string(token)
        case "address": .optional(address)
        case "confirmed": .bool(confirmed)
        case "action": .string(action)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
