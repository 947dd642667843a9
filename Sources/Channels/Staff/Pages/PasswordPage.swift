import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The own-password form (also shown after an administrator's reset, before anything else).
struct PasswordPage: TemplateObject {
    let title: String
    let required: Bool
    let changed: Bool
    let current: FormField
    let new: FormField
    let repeated: FormField
    let errors: [FormError]
    let csrfToken: String
    let action = StaffRoute.password.path

    /// `error` belongs to `field` (`current` or `new`).
    init(required: Bool, changed: Bool = false, error: String? = nil, field: String? = nil, csrfToken: String) {
        title = error == nil ? "Смена пароля" : "Ошибка: смена пароля"
        self.required = required
        self.changed = changed
        errors = error.map { [FormError(field: field ?? "new", message: $0)] } ?? []
        current = FormField("current", label: "Текущий пароль", errors: errors, input: .password)
        new = FormField("new", label: "Новый пароль",
                        hint: "Не короче \(StaffAccounts.PasswordRule.minimumLength) символов, буквы вместе с цифрами или знаками, без имени для входа",
                        errors: errors, input: .newPassword)
        repeated = FormField("repeat", label: "Новый пароль ещё раз", input: .newPassword)
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "required": .bool(required)
        case "changed": .bool(changed)
        case "current": .object(current)
        case "new": .object(new)
        case "repeat": .object(repeated)
        case "errors": .list(errors.map { .object($0) })
        case "action": .string(action)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
