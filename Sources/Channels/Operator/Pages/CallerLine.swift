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
    let name: String
    let birthDate: String
    let cardURL = OperatorRoute.caller.path

    init(caller: CallerRecord) {
        name = caller.fullName
        birthDate = DayName.typed(caller.birthDate)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "birthDate": .string(birthDate)
        case "cardURL": .string(cardURL)
        default: nil
        }
    }
}
