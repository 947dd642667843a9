import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// One account's role and clinics, for the administrator to change.
struct AccountAccessPage: TemplateObject {
    let title: String
    let login: String
    let name: String
    let access: AccessFields
    let errors: [FormError]
    let action: String
    let backURL = StaffRoute.accounts.path
    let csrfToken: String

    init(account: StaffAccount, role: StaffRole, clinics chosen: [String], region: [MISClinic]?, errors: [FormError] = [], csrfToken: String) {
        title = (errors.isEmpty ? "" : "Ошибка: ") + "Роль и поликлиники: \(account.login)"
        login = account.login
        name = account.name
        access = AccessFields(role: role, chosen: chosen, region: region, errors: errors)
        self.errors = errors
        action = StaffRoute.accountAccess(account.id).path
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "login": .string(login)
        case "name": .string(name)
        case "access": .object(access)
        case "errors": .list(errors.map { .object($0) })
        case "action": .string(action)
        case "backURL": .string(backURL)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
