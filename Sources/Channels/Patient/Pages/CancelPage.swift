import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Are you sure? — before a cancellation.
struct CancelPage: TokenCarryingPage {
    let entry: LedgerEntry
    var csrfToken: String

    func with(csrfToken: String) -> CancelPage {
        CancelPage(entry: entry, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Отменить запись?")
        case "row": .object(TicketRow(entry: entry))
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
