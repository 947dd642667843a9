import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The cabinet: what is booked and what was.
struct CabinetPage: TokenCarryingPage {
    let name: String
    /// The booking the patient has just cancelled, confirmed at the top of the page.
    var justCancelled: LedgerEntry? = nil
    let active: [LedgerEntry]
    /// Upcoming appointments the clinic cancelled, shown first so the patient can book again.
    let cancelledByClinic: [LedgerEntry]
    let past: [LedgerEntry]
    let contact: ContactRecord?
    var csrfToken: String

    func with(csrfToken: String) -> CabinetPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Мои записи")
        case "name": .string(name)
        case "justCancelled": justCancelled.map { .object(TicketRow(entry: $0)) } ?? .null
        case "active": .list(active.map { .object(TicketRow(entry: $0)) })
        case "cancelledByClinic": .list(cancelledByClinic.map { .object(TicketRow(entry: $0)) })
        case "past": .list(past.map { .object(TicketRow(entry: $0)) })
        case "hasContact": .bool(contact != nil)
        case "phone": .optional(contact?.phone)
        case "email": .optional(contact?.email)
        case "consentAt": contact.map { .date($0.consentAt) } ?? .null
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
