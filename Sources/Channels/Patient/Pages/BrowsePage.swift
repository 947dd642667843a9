import Foundation
import Web
import MISBridge
import Templating

/// Any of the browsing pages: a title, the trail to it, the clinic (if any) and a list.
struct BrowsePage: TemplateObject {
    let title: String
    let lead: String?
    let crumbs: [Crumb]
    let clinic: ClinicFields?
    let items: [ListItem]
    let emptyText: String
    /// A specialty's page: joining the waiting list for any of its doctors.
    let waitlistURL: String?

    init(title: String, lead: String? = nil, crumbs: [Crumb], clinic: MISClinic? = nil, items: [ListItem], emptyText: String, waitlistURL: String? = nil) {
        self.title = title
        self.lead = lead
        self.crumbs = crumbs
        self.clinic = clinic.map { ClinicFields(clinic: $0) }
        self.items = items
        self.emptyText = emptyText
        self.waitlistURL = waitlistURL
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "waitlistURL": .optional(waitlistURL)
        case "lead": .optional(lead)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "clinic": clinic.map { .object($0) } ?? .null
        case "items": .list(items.map { .object($0) })
        case "emptyText": .string(emptyText)
        default: nil
        }
    }
}
