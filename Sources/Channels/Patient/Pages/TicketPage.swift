import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The ticket: everything needed to find the room and arrive on time.
struct TicketPage: TemplateObject {
    let entry: LedgerEntry
    /// The patient's name as the session shows it (masked), for the printed ticket.
    var patient: String? = nil
    /// The booking this one moved (for "moved from …"), if it was a move.
    var previous: LedgerEntry? = nil
    /// Whether it can be moved or cancelled now (active and still ahead).
    var changeable = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(entry.status == .cancelled ? "Запись отменена" : entry.status == .moved ? "Запись перенесена" : entry.ticket.map { "Талон \($0)" } ?? "Запись к врачу")
        case "movedToURL": .optional(entry.movedTo.map { SiteRoute.ticket($0).path })
        case "previous": previous.map { .object(TicketRow(entry: $0)) } ?? .null
        case "changeable": .bool(changeable)
        case "moveURL": .string(SiteRoute.ticketMove(entry.requestID).path)
        case "clinicURL": .string(SiteRoute.clinic(entry.clinicID).path)
        case "id": .string(entry.requestID)
        case "cancelURL": .string(SiteRoute.ticketCancel(entry.requestID).path)
        case "calendarURL": .string(SiteRoute.ticketCalendar(entry.requestID).path)
        case "patient": .optional(patient)
        default: VisitFields(entry).templateValue(forKey: key)
        }
    }
}
