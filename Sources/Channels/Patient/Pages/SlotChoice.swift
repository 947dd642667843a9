import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// A free time offered as a button.
struct SlotChoice: TemplateObject {
    let slot: MISSlot

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(slot.id)
        case "start": .date(slot.start)
        default: nil
        }
    }
}
