import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// A free day of the doctor shown on the move page.
struct MoveDay: TemplateObject {
    let day: DoctorSchedule.Day
    let name: String
    let isShown: Bool
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "day": .date(day.midday)
        case "name": .string(name)
        case "count": .int(day.times.count)
        case "shown": .bool(isShown)
        case "url": .string(url)
        default: nil
        }
    }
}
