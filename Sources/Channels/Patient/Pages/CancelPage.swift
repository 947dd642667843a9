import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Are you sure? — before a cancellation.
struct CancelPage: TokenCarryingPage {
    let title = "Отменить запись?"
    let row: TicketRow
    let reason = FormField("reason", label: "Причина", labelNote: "(необязательно)", input: FormField.Input.text.with { $0.autocomplete = nil; $0.maxLength = 200 })
    private(set) var csrfToken: String

    init(entry: LedgerEntry, csrfToken: String) {
        row = TicketRow(entry: entry)
        self.csrfToken = csrfToken
    }

    func with(csrfToken: String) -> CancelPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "row": .object(row)
        case "reason": .object(reason)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
