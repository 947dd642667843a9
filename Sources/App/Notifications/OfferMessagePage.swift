import Foundation
import PatientChannel
import Notifications
import Persistence
import Templating
import Web

/// What an offer's message templates see (`page`).
struct OfferMessagePage: TemplateObject {
    let offer: WaitlistOfferFields
    let gone: Bool
    let offerURL: String

    init(offer: WaitlistOffer, gone: Bool, offerURL: String) {
        self.offer = WaitlistOfferFields(offer)
        self.gone = gone
        self.offerURL = offerURL
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "gone": .bool(gone)
        case "offerURL": .string(offerURL)
        default: offer.templateValue(forKey: key)
        }
    }
}
