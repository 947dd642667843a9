import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// A free time offered as a button.
struct SlotChoice: TemplateObject {
    let id: String
    let start: Date

    init(slot: MISSlot) {
        id = slot.id
        start = slot.start
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(id)
        case "start": .date(start)
        default: nil
        }
    }
}
