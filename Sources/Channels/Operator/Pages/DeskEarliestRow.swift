import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One earliest time, leading to its check page.
struct DeskEarliestRow: TemplateObject {
    let time: ChosenTimeFields
    let url: String

    init(time: ChosenTimeFields) {
        self.time = time
        url = OperatorRoute.bookCheck(clinic: time.clinicID, doctor: time.doctorID, slot: time.slotID).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "url": .string(url)
        case "time": .object(time)
        default: nil
        }
    }
}
