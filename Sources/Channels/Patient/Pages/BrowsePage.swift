import Foundation
import Web
import MISBridge
import Templating

/// Any of the browsing pages: a title, the trail to it, the clinic (if any) and a list.
struct BrowsePage: TemplateObject {
    let title: String
    var lead: String?
    let crumbs: [Crumb]
    var clinic: MISClinic?
    let items: [ListItem]
    var emptyText: String
    /// A specialty's page: joining the waiting list for any of its doctors.
    var waitlistURL: String?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "waitlistURL": .optional(waitlistURL)
        case "lead": .optional(lead)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "clinic": clinic.map { .object(ClinicFields(clinic: $0)) } ?? .null
        case "items": .list(items.map { .object($0) })
        case "emptyText": .string(emptyText)
        default: nil
        }
    }
}
