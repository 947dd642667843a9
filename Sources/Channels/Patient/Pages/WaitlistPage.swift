import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// The patient's waiting-list entries, each still waiting with a button to leave it.
struct WaitlistPage: TokenCarryingPage {
    let entries: [WaitlistRow]
    let joined: Bool
    private(set) var csrfToken: String

    init(entries: [WaitlistEntry], joined: Bool, csrfToken: String) {
        self.entries = entries.map(WaitlistRow.init)
        self.joined = joined
        self.csrfToken = csrfToken
    }

    func with(csrfToken: String) -> WaitlistPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "entries": .list(entries.map { .object($0) })
        case "joined": .bool(joined)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
