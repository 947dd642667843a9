import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// A ledger entry as a row of the cabinet: its visit (`VisitFields`) and where to go from it.
struct TicketRow: TemplateObject {
    let entry: LedgerEntry

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(entry.requestID)
        case "url": .string(SiteRoute.ticket(entry.requestID).path)
        case "cancelURL": .string(SiteRoute.ticketCancel(entry.requestID).path)
        case "moveURL": .string(SiteRoute.ticketMove(entry.requestID).path)
        case "clinicURL": .string(SiteRoute.clinic(entry.clinicID).path)
        default: VisitFields(entry).templateValue(forKey: key)
        }
    }
}
