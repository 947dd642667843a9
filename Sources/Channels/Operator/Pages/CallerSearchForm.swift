import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// What the operator typed into the caller search form.
struct CallerSearchForm {
    var number = ""
    var kind = CallerSearch.NumberKind.any
    var lastName = ""
    var firstName = ""
    var birthDate = ""

    init() {}

    init(form: FormParameters) {
        number = String((form["number"] ?? "").prefix(40))
        kind = CallerSearch.NumberKind(rawValue: form["kind"] ?? "") ?? .any
        lastName = String((form["lastName"] ?? "").prefix(60))
        firstName = String((form["firstName"] ?? "").prefix(60))
        birthDate = String((form["birthDate"] ?? "").prefix(30))
    }
}
