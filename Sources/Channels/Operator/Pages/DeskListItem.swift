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
    let free: Bool
    /// The title as the list's filter matches it.
    let search: String

    init(title: String, url: String, details: String, note: String?, free: Bool = true) {
        self.title = title
        self.url = url
        self.details = details
        self.note = note
        self.free = free
        search = title.lowercased()
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .string(url)
        case "details": .string(details)
        case "note": .optional(note)
        case "free": .bool(free)
        case "search": .string(search)
        default: nil
        }
    }
}
