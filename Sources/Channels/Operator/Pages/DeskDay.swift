import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One free day of the doctor, with its times.
struct DeskDay: TemplateObject {
    let title: String
    let key: String
    let times: [TimeLink]
    /// The first free day: its first time takes the focus (Enter books the earliest).
    let first: Bool

    init(day: DoctorSchedule.Day, times: [TimeLink], title: String, first: Bool) {
        self.title = title
        key = day.key
        self.times = times
        self.first = first
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "key": .string(self.key)
        case "times": .list(times.map { .object($0) })
        case "first": .bool(first)
        default: nil
        }
    }
}
