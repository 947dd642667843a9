import Foundation
import Web
import MISBridge
import Templating

/// A row of a list page: a title, a link and optional details.
struct ListItem: TemplateObject {
    let title: String
    let url: String
    var details: [String] = []
    var freeCount: Int?
    /// First day with free time, as an instant at midday in the clinic's zone (for the date filter).
    var nearest: Date?
    var note: String?
    /// The clinic's zone, for the nearest date.
    var timeZone = "Europe/Moscow"

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "timeZone": .string(timeZone)
        case "url": .string(url)
        case "details": .list(details.map(TemplateValue.string))
        case "freeCount": .optional(freeCount)
        case "nearest": .optional(nearest)
        case "note": .optional(note)
        default: nil
        }
    }
}
