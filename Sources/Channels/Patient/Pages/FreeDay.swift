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
    let times: [SlotChoice]
    /// The day's own page.
    let url: String
    /// «Сегодня, 1 декабря», «Завтра, …», «Четверг, 3 декабря».
    let name: String
    let count: Int
    let first: Date?
    let last: Date?

    init(key: String, day: Date, times: [MISSlot], url: String, name: String) {
        self.key = key
        self.day = day
        self.times = times.map(SlotChoice.init)
        self.url = url
        self.name = name
        count = times.count
        first = times.first?.start
        last = times.last?.start
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "day": .date(day)
        case "name": .string(name)
        case "url": .string(url)
        case "count": .int(count)
        case "first": .optional(first)
        case "last": .optional(last)
        case "times": .list(times.map { .object($0) })
        default: nil
        }
    }
}
