import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// Who the operator is booking for, as every booking page's header line shows it.
struct CallerLine: TemplateObject {
    let caller: CallerRecord

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(caller.fullName)
        case "birthDate": .string(CallerRow.typed(caller.birthDate))
        case "cardURL": .string(OperatorRoute.caller.path)
        default: nil
        }
    }
}
