import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// A time offered from the waiting list: what it is and one button to book it, or why it cannot be booked any more.
struct OfferPage: TokenCarryingPage {
    let offer: WaitlistOffer
    let open: Bool
    let requestID: String
    var csrfToken: String

    func with(csrfToken: String) -> OfferPage {
        OfferPage(offer: offer, open: open, requestID: requestID, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "open": .bool(open)
        case "taken": .bool(offer.status == .taken)
        case "formURL": .string(SiteRoute.offer(offer.id).path)
        case "requestId": .string(requestID)
        case "csrf": .string(csrfToken)
        default: WaitlistOfferFields(offer).templateValue(forKey: key)
        }
    }
}
