import Persistence
import Templating

/// A waiting-list offer's time as pages and messages show it: when, who, where, until when.
public struct WaitlistOfferFields: TemplateObject, Sendable {
    public let offer: WaitlistOffer

    public init(_ offer: WaitlistOffer) {
        self.offer = offer
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "start": .date(offer.start)
        case "timeZone": .string(offer.timeZone)
        case "expiresAt": .date(offer.expiresAt)
        case "specialty": .string(offer.specialtyName)
        case "doctor": .string(offer.doctorName)
        case "clinic": .string(offer.clinicName)
        case "room": .string(offer.room)
        default: nil
        }
    }
}
