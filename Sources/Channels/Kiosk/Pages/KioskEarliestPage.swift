import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The earliest free times of a specialty: the specialties as buttons, then the times found.
struct KioskEarliestPage: TemplateObject {
    let specialties: [KioskChoice]
    var specialty: String?
    var found: [(time: ChosenTimeFields, url: String)] = []
    var incomplete = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(specialty.map { "Ближайшее время: \($0)" } ?? "Ближайшее свободное время")
        case "specialties": .list(specialties.map { .object($0) })
        case "chosen": .bool(specialty != nil)
        case "found": .list(found.map { .object(KioskFoundTime(time: $0.time, url: $0.url)) })
        case "incomplete": .bool(incomplete)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
