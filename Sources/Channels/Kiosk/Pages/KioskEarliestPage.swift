import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The earliest free times of a specialty: the specialties as buttons, then the times found.
struct KioskEarliestPage: TemplateObject {
    let title: String
    let specialties: [KioskChoice]
    let chosen: Bool
    let found: [KioskFoundTime]
    let incomplete: Bool
    let links = KioskLinks()

    init(specialties: [KioskChoice], specialty: String? = nil, found: [KioskFoundTime] = [], incomplete: Bool = false) {
        title = specialty.map { "Ближайшее время: \($0)" } ?? "Ближайшее свободное время"
        self.specialties = specialties
        chosen = specialty != nil
        self.found = found
        self.incomplete = incomplete
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "specialties": .list(specialties.map { .object($0) })
        case "chosen": .bool(chosen)
        case "found": .list(found.map { .object($0) })
        case "incomplete": .bool(incomplete)
        case "links": .object(links)
        default: nil
        }
    }
}
