import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One account in the administrator's list.
struct AccountRow: TemplateObject {
    let account: StaffAccount
    let isSelf: Bool

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "login": .string(account.login)
        case "name": .string(account.name)
        case "role": .string(account.role.title)
        case "disabled": .bool(account.disabledAt != nil)
        case "mustChange": .bool(account.mustChangePassword)
        case "isSelf": .bool(isSelf)
        case "disableURL": .string(OperatorRoute.accountDisable(account.id).path)
        case "enableURL": .string(OperatorRoute.accountEnable(account.id).path)
        case "resetURL": .string(OperatorRoute.accountReset(account.id).path)
        default: nil
        }
    }
}
