import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The cabinet: what is booked and what was.
struct CabinetPage: TokenCarryingPage {
    let title = "Мои записи"
    let name: String
    /// The booking the patient has just cancelled, confirmed at the top of the page.
    let justCancelled: TicketRow?
    let active: [TicketRow]
    /// Bookings whose time the clinic closed: it will move or cancel them.
    let displaced: [TicketRow]
    /// Upcoming appointments the clinic cancelled, shown first so the patient can book again.
    let cancelledByClinic: [TicketRow]
    let past: [TicketRow]
    let contact: ContactRecord?
    let hasContact: Bool
    private(set) var csrfToken: String

    init(name: String, justCancelled: LedgerEntry? = nil, active: [LedgerEntry], displaced: [LedgerEntry] = [], cancelledByClinic: [LedgerEntry], past: [LedgerEntry], contact: ContactRecord?, csrfToken: String) {
        self.name = name
        self.justCancelled = justCancelled.map(TicketRow.init)
        self.active = active.map(TicketRow.init)
        self.displaced = displaced.map(TicketRow.init)
        self.cancelledByClinic = cancelledByClinic.map(TicketRow.init)
        self.past = past.map(TicketRow.init)
        self.contact = contact
        hasContact = contact != nil
        self.csrfToken = csrfToken
    }

    func with(csrfToken: String) -> CabinetPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "name": .string(name)
        case "justCancelled": justCancelled.map { .object($0) } ?? .null
        case "active": .list(active.map { .object($0) })
        case "displaced": .list(displaced.map { .object($0) })
        case "cancelledByClinic": .list(cancelledByClinic.map { .object($0) })
        case "past": .list(past.map { .object($0) })
        case "hasContact": .bool(hasContact)
        case "phone": .optional(contact?.phone)
        case "email": .optional(contact?.email)
        case "consentAt": .optional(contact?.consentAt)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
