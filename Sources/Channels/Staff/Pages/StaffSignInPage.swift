import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The sign-in form.
struct StaffSignInPage: TemplateObject {
    let title: String
    let login: FormField
    let password: FormField
    let next: String?
    let refused: Bool
    let throttled: Bool
    let sessionEnded: Bool
    let signedOut: Bool
    let csrfToken: String
    let action = StaffRoute.signIn().path

    init(login: String = "", next: String?, refused: Bool = false, throttled: Bool = false, sessionEnded: Bool = false, signedOut: Bool = false, csrfToken: String) {
        title = refused || throttled ? "Ошибка: вход для сотрудников" : "Вход для сотрудников"
        self.login = FormField("login", label: "Имя для входа", value: login,
                               input: FormField.Input.exact.with { $0.autocomplete = "username"; $0.required = true; $0.autofocus = true })
        password = FormField("password", label: "Пароль", input: FormField.Input.password.with { $0.required = true })
        self.next = next
        self.refused = refused
        self.throttled = throttled
        self.sessionEnded = sessionEnded
        self.signedOut = signedOut
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "login": .object(login)
        case "password": .object(password)
        case "next": .optional(next)
        case "refused": .bool(refused)
        case "throttled": .bool(throttled)
        case "sessionEnded": .bool(sessionEnded)
        case "signedOut": .bool(signedOut)
        case "action": .string(action)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
