import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// A free day of the doctor shown on the move page.
struct MoveDay: TemplateObject {
    /// Midday of the day in the clinic's zone.
    let day: Date
    let name: String
    let count: Int
    let isShown: Bool
    let url: String

    init(day: DoctorSchedule.Day, name: String, isShown: Bool, url: String) {
        self.day = day.midday
        self.name = name
        count = day.times.count
        self.isShown = isShown
        self.url = url
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "day": .date(day)
        case "name": .string(name)
        case "count": .int(count)
        case "shown": .bool(isShown)
        case "url": .string(url)
        default: nil
        }
    }
}
