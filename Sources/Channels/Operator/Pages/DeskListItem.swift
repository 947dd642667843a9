import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One entry of a booking step's list (a clinic, a specialty, a doctor).
struct DeskListItem: TemplateObject {
    let title: String
    let url: String
    let details: String
    let note: String?
    var free = true

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .string(url)
        case "details": .string(details)
        case "note": .optional(note)
        case "free": .bool(free)
        case "search": .string(title.lowercased())
        default: nil
        }
    }
}
