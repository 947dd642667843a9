import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// A ledger entry as a row of the cabinet: its visit (`VisitFields`) and where to go from it.
struct TicketRow: TemplateObject {
    let visit: VisitFields
    let id: String
    let url: String
    let cancelURL: String
    let moveURL: String
    let clinicURL: String

    init(entry: LedgerEntry) {
        visit = VisitFields(entry)
        id = entry.requestID
        url = SiteRoute.ticket(entry.requestID).path
        cancelURL = SiteRoute.ticketCancel(entry.requestID).path
        moveURL = SiteRoute.ticketMove(entry.requestID).path
        clinicURL = SiteRoute.clinic(entry.clinicID).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(id)
        case "url": .string(url)
        case "cancelURL": .string(cancelURL)
        case "moveURL": .string(moveURL)
        case "clinicURL": .string(clinicURL)
        default: visit.templateValue(forKey: key)
        }
    }
}
