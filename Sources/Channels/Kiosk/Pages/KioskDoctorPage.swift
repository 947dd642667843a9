import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// A doctor's free days as buttons and the chosen day's times as buttons.
struct KioskDoctorPage: TemplateObject {
    let doctor: String
    let specialty: String
    let clinic: String
    let room: String
    let timeZone: String
    let days: [KioskChoice]
    /// The chosen day's title and its times.
    let dayTitle: String?
    let times: [TimeLink]
    let back: (url: String, title: String)
    let links = KioskLinks()

    init(doctor: String, specialty: String, clinic: String, room: String, timeZone: String, days: [KioskChoice], dayTitle: String?, times: [TimeLink], back: (url: String, title: String)) {
        self.doctor = doctor
        self.specialty = specialty
        self.clinic = clinic
        self.room = room
        self.timeZone = timeZone
        self.days = days
        self.dayTitle = dayTitle
        self.times = times
        self.back = back
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(doctor)
        case "specialty": .string(specialty)
        case "clinic": .string(clinic)
        case "room": .string(room)
        case "timeZone": .string(timeZone)
        case "days": .list(days.map { .object($0) })
        case "dayTitle": .optional(dayTitle)
        case "times": .list(times.map { .object($0) })
        case "backURL": .string(back.url)
        case "backTitle": .string(back.title)
        case "links": .object(links)
        default: nil
        }
    }
}
