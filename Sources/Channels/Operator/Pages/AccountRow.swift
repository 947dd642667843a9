import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One account in the administrator's list.
struct AccountRow: TemplateObject {
    let login: String
    let name: String
    let role: String
    let disabled: Bool
    let mustChange: Bool
    let isSelf: Bool
    let disableURL: String
    let enableURL: String
    let resetURL: String

    init(account: StaffAccount, isSelf: Bool) {
        login = account.login
        name = account.name
        role = account.role.title
        disabled = account.disabledAt != nil
        mustChange = account.mustChangePassword
        self.isSelf = isSelf
        disableURL = OperatorRoute.accountDisable(account.id).path
        enableURL = OperatorRoute.accountEnable(account.id).path
        resetURL = OperatorRoute.accountReset(account.id).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "login": .string(login)
        case "name": .string(name)
        case "role": .string(role)
        case "disabled": .bool(disabled)
        case "mustChange": .bool(mustChange)
        case "isSelf": .bool(isSelf)
        case "disableURL": .string(disableURL)
        case "enableURL": .string(enableURL)
        case "resetURL": .string(resetURL)
        default: nil
        }
    }
}
