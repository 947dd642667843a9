import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The sign-in form.
struct StaffSignInPage: TemplateObject {
    var login = ""
    var next: String?
    var refused = false
    var throttled = false
    var sessionEnded = false
    var signedOut = false
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(refused || throttled ? "Ошибка: вход для сотрудников" : "Вход для сотрудников")
        case "login": .string(login)
        case "next": .optional(next)
        case "refused": .bool(refused)
        case "throttled": .bool(throttled)
        case "sessionEnded": .bool(sessionEnded)
        case "signedOut": .bool(signedOut)
        case "action": .string(OperatorRoute.signIn().path)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
