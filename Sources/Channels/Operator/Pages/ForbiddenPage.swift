import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// A page the signed-in role may not use.
struct ForbiddenPage: TemplateObject {
    let title = "Раздел недоступен"
    let role: String
    let homeURL = OperatorRoute.home.path

    init(role: StaffRole) {
        self.role = role.title
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "role": .string(role)
        case "homeURL": .string(homeURL)
        default: nil
        }
    }
}
