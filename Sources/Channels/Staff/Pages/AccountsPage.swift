import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The administrator's list of accounts, with the new-account form.
struct AccountsPage: TemplateObject {
    let title: String
    let accounts: [AccountRow]
    let login: FormField
    let name: FormField
    let password: FormField
    let access: AccessFields
    let errors: [FormError]
    /// After a reset: whose, and the temporary password to hand over (shown once).
    let reset: (login: String, password: String)?
    let created: String?
    let action = StaffRoute.accounts.path
    let csrfToken: String

    init(accounts: [StaffAccount], selfID: String, clinics: [MISClinic]?, form: NewAccountForm = NewAccountForm(), reset: (login: String, password: String)? = nil,
         created: String? = nil, csrfToken: String) {
        title = form.error == nil ? "Учётные записи" : "Ошибка: учётные записи"
        let names = Dictionary((clinics ?? []).map { ($0.id, $0.shortName) }, uniquingKeysWith: { first, _ in first })
        self.accounts = accounts.map { AccountRow(account: $0, isSelf: $0.id == selfID, clinicNames: names) }
        errors = form.error.map { [FormError(field: form.field ?? "login", message: $0)] } ?? []
        login = FormField("login", label: "Имя для входа", hint: "Латинские буквы, цифры, точки, дефисы; например, ivanova.m", value: form.login, errors: errors, input: .exact)
        name = FormField("name", label: "Фамилия и имя", value: form.name, errors: errors)
        password = FormField("password", label: "Пароль", errors: errors, input: .newPassword)
        access = AccessFields(role: form.role, chosen: form.clinics, region: clinics, errors: errors)
        self.reset = reset
        self.created = created
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "accounts": .list(accounts.map { .object($0) })
        case "login": .object(login)
        case "name": .object(name)
        case "password": .object(password)
        case "errors": .list(errors.map { .object($0) })
        case "resetLogin": .optional(reset?.login)
        case "resetPassword": .optional(reset?.password)
        case "created": .optional(created)
        case "action": .string(action)
        case "access": .object(access)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
