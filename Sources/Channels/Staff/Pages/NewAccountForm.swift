import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// What the administrator typed into the new-account form, and what was wrong with it.
struct NewAccountForm {
    var login = ""
    var name = ""
    var role = StaffRole.operator
    var clinics: [String] = []
    var error: String?
    var field: String?
}
