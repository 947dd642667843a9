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
    /// A clinic role's clinics by short name (or code, for one the region no longer lists); empty for the region's roles.
    let clinics: String
    let disabled: Bool
    let mustChange: Bool
    let isSelf: Bool
    let disableURL: String
    let enableURL: String
    let resetURL: String
    let accessURL: String

    init(account: StaffAccount, isSelf: Bool, clinicNames: [String: String]) {
        login = account.login
        name = account.name
        role = account.role.title
        clinics = account.clinics.map { clinicNames[$0] ?? "код \($0)" }.joined(separator: ", ")
        disabled = account.disabledAt != nil
        mustChange = account.mustChangePassword
        self.isSelf = isSelf
        disableURL = StaffRoute.accountDisable(account.id).path
        enableURL = StaffRoute.accountEnable(account.id).path
        resetURL = StaffRoute.accountReset(account.id).path
        accessURL = StaffRoute.accountAccess(account.id).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "login": .string(login)
        case "name": .string(name)
        case "role": .string(role)
        case "clinics": .string(clinics)
        case "accessURL": .string(accessURL)
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
