import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The role as the workstation names it.
extension StaffRole {
    var title: String {
        switch self {
        case .operator: "оператор"
        case .supervisor: "старший оператор"
        case .administrator: "администратор"
        }
    }
}
