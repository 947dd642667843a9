import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The own-password form (also shown after an administrator's reset, before anything else).
struct PasswordPage: TemplateObject {
    var required = false
    var changed = false
    var error: String?
    var field: String?
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(error == nil ? "Смена пароля" : "Ошибка: смена пароля")
        case "required": .bool(required)
        case "changed": .bool(changed)
        case "error": .optional(error)
        case "currentError": field == "current" ? .optional(error) : .null
        case "newError": field == "new" ? .optional(error) : .null
        case "errors": error.map { .list([.object(FormError(field: field ?? "new", message: $0))]) } ?? .list([])
        case "action": .string(OperatorRoute.password.path)
        case "minimumLength": .int(StaffAccounts.PasswordRule.minimumLength)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
