import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// The patient's waiting-list entries, each still waiting with a button to leave it.
struct WaitlistPage: TokenCarryingPage {
    let entries: [WaitlistEntry]
    let joined: Bool
    var csrfToken: String

    func with(csrfToken: String) -> WaitlistPage {
        WaitlistPage(entries: entries, joined: joined, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "entries": .list(entries.map { .object(WaitlistRow(entry: $0)) })
        case "joined": .bool(joined)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
