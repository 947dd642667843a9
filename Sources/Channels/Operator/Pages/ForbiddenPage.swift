import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// A page the signed-in role may not use.
struct ForbiddenPage: TemplateObject {
    let role: StaffRole

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Раздел недоступен")
        case "role": .string(role.title)
        case "homeURL": .string(OperatorRoute.home.path)
        default: nil
        }
    }
}
