import Foundation
import Web
import MISBridge
import Templating

/// One day of a doctor's free times.
struct FreeDay: TemplateObject {
    /// The day as `YYYY-MM-DD` on the clinic's calendar.
    let key: String
    /// Midday of the day in the clinic's zone.
    let day: Date
    var times: [MISSlot]
    /// The day's own page.
    let url: String
    /// «Сегодня, 1 декабря», «Завтра, …», «Четверг, 3 декабря».
    var name = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "day": .date(day)
        case "name": .string(name)
        case "url": .string(url)
        case "count": .int(times.count)
        case "first": times.first.map { .date($0.start) } ?? .null
        case "last": times.last.map { .date($0.start) } ?? .null
        case "times": .list(times.map { .object(SlotChoice(slot: $0)) })
        default: nil
        }
    }
}
