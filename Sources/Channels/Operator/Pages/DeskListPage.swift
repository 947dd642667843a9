import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// A booking step that is a list to choose from, filtered by what the operator types.
struct DeskListPage: TemplateObject {
    let title: String
    let caller: CallerLine
    let step: String
    /// The entries the filter lets through.
    let items: [DeskListItem]
    let filter: String
    let back: (url: String, title: String)?

    init(title: String, caller: CallerRecord, step: String, items: [DeskListItem], filter: String, back: (url: String, title: String)? = nil) {
        self.title = title
        self.caller = CallerLine(caller: caller)
        self.step = step
        let typed = filter.lowercased()
        self.items = typed.isEmpty ? items : items.filter { $0.search.contains(typed) }
        self.filter = filter
        self.back = back
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(caller)
        case "step": .string(step)
        case "items": .list(items.map { .object($0) })
        case "filter": .string(filter)
        case "backURL": .optional(back?.url)
        case "backTitle": .optional(back?.title)
        default: nil
        }
    }
}
