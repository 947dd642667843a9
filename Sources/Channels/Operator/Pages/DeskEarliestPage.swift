import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The earliest free times of a specialty in the caller's clinics.
struct DeskEarliestPage: TemplateObject {
    let caller: CallerRecord
    let specialties: [(federalCode: String, name: String)]
    let specialty: String?
    var found: [ChosenTimeFields] = []
    var incomplete = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Ближайшее свободное время")
        case "caller": .object(CallerLine(caller: caller))
        case "action": .string(OperatorRoute.earliest().path)
        case "specialties": .list(specialties.map { .object(SelectOption(value: $0.federalCode, label: $0.name, selected: $0.federalCode == specialty)) })
        case "searched": .bool(specialty != nil)
        case "found": .list(found.map { .object(DeskEarliestRow(time: $0)) })
        case "incomplete": .bool(incomplete)
        default: nil
        }
    }
}
