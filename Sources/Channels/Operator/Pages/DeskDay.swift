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
    let day: DoctorSchedule.Day
    let times: [TimeLink]
    let title: String
    /// The first free day: its first time takes the focus (Enter books the earliest).
    let first: Bool

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "key": .string(day.key)
        case "times": .list(times.map { .object($0) })
        case "first": .bool(first)
        default: nil
        }
    }
}
