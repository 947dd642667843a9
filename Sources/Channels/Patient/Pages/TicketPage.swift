import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The ticket: everything needed to find the room and arrive on time.
struct TicketPage: TemplateObject {
    let title: String
    let row: TicketRow
    /// The patient's name as the session shows it (masked), for the printed ticket.
    let patient: String?
    /// The booking this one moved (for "moved from …"), if it was a move.
    let previous: TicketRow?
    /// Whether it can be moved or cancelled now (active and still ahead).
    let changeable: Bool
    let movedToURL: String?
    let calendarURL: String

    init(entry: LedgerEntry, patient: String? = nil, previous: LedgerEntry? = nil, changeable: Bool = false) {
        title = switch entry.status {
        case .cancelled: "Запись отменена"
        case .moved: "Запись перенесена"
        case .awaiting: "Заявка на запись"
        case .displaced: "Приём не состоится"
        default: entry.ticket.map { "Талон \($0)" } ?? "Запись к врачу"
        }
        row = TicketRow(entry: entry)
        self.patient = patient
        self.previous = previous.map(TicketRow.init)
        self.changeable = changeable
        movedToURL = entry.movedTo.map { SiteRoute.ticket($0).path }
        calendarURL = SiteRoute.ticketCalendar(entry.requestID).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "movedToURL": .optional(movedToURL)
        case "previous": previous.map { .object($0) } ?? .null
        case "changeable": .bool(changeable)
        case "calendarURL": .string(calendarURL)
        case "patient": .optional(patient)
        default: row.templateValue(forKey: key)
        }
    }
}
