import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// What the administrator typed into the new-account form, and what was wrong with it.
struct NewAccountForm: TemplateObject {
    var login = ""
    var name = ""
    var role = StaffRole.operator
    var error: String?
    var field: String?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "login": .string(login)
        case "name": .string(name)
        case "loginError": field == "login" ? .optional(error) : .null
        case "nameError": field == "name" ? .optional(error) : .null
        case "passwordError": field == "password" ? .optional(error) : .null
        default: nil
        }
    }
}
