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
    let title = "Ближайшее свободное время"
    let caller: CallerLine
    let specialties: [SelectOption]
    let searched: Bool
    let found: [DeskEarliestRow]
    let incomplete: Bool
    let action = OperatorRoute.earliest().path

    init(caller: CallerRecord, specialties: [(federalCode: String, name: String)], specialty: String?, found: [ChosenTimeFields] = [], incomplete: Bool = false) {
        self.caller = CallerLine(caller: caller)
        self.specialties = specialties.map { SelectOption(value: $0.federalCode, label: $0.name, selected: $0.federalCode == specialty) }
        searched = specialty != nil
        self.found = found.map(DeskEarliestRow.init)
        self.incomplete = incomplete
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(caller)
        case "action": .string(action)
        case "specialties": .list(specialties.map { .object($0) })
        case "searched": .bool(searched)
        case "found": .list(found.map { .object($0) })
        case "incomplete": .bool(incomplete)
        default: nil
        }
    }
}
