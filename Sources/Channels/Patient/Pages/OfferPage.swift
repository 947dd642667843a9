import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// A time offered from the waiting list: what it is and one button to book it, or why it cannot be booked any more.
struct OfferPage: TokenCarryingPage {
    let offer: WaitlistOfferFields
    let open: Bool
    let taken: Bool
    let formURL: String
    let requestID: String
    private(set) var csrfToken: String

    init(offer: WaitlistOffer, open: Bool, requestID: String, csrfToken: String) {
        self.offer = WaitlistOfferFields(offer)
        self.open = open
        taken = offer.status == .taken
        formURL = SiteRoute.offer(offer.id).path
        self.requestID = requestID
        self.csrfToken = csrfToken
    }

    func with(csrfToken: String) -> OfferPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "open": .bool(open)
        case "taken": .bool(taken)
        case "formURL": .string(formURL)
        case "requestId": .string(requestID)
        case "csrf": .string(csrfToken)
        default: offer.templateValue(forKey: key)
        }
    }
}
