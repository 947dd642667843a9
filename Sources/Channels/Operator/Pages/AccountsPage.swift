import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The administrator's list of accounts, with the new-account form.
struct AccountsPage: TemplateObject {
    var accounts: [StaffAccount]
    var selfID: String
    var form = NewAccountForm()
    /// After a reset: whose, and the temporary password to hand over (shown once).
    var reset: (login: String, password: String)?
    var created: String?
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(form.error == nil ? "Учётные записи" : "Ошибка: учётные записи")
        case "accounts": .list(accounts.map { .object(AccountRow(account: $0, isSelf: $0.id == selfID)) })
        case "form": .object(form)
        case "errors": form.error.map { .list([.object(FormError(field: form.field ?? "login", message: $0))]) } ?? .list([])
        case "resetLogin": .optional(reset?.login)
        case "resetPassword": .optional(reset?.password)
        case "created": .optional(created)
        case "action": .string(OperatorRoute.accounts.path)
        case "roles": .list(StaffRole.allCases.map { role in .object(SelectOption(value: role.rawValue, label: role.title, selected: role == form.role)) })
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
