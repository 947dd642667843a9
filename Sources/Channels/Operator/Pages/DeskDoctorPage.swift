import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The doctor's free days and times on one page; each time leads to `timeURL` (booking or moving).
struct DeskDoctorPage: TemplateObject {
    let title: String
    let caller: CallerLine
    let specialty: String
    let clinic: String
    let room: String
    let timeZone: String
    let zoneNote: String
    let days: [DeskDay]
    let back: (url: String, title: String)
    /// When moving: the specialty's other doctors to choose from, the booking being moved.
    let doctors: [DeskListItem]
    let moving: VisitFields?

    init(caller: CallerRecord, schedule: DoctorSchedule, now: Date, timeURL: (MISSlot) -> String, back: (url: String, title: String),
         doctors: [DeskListItem] = [], moving: LedgerEntry? = nil) {
        title = schedule.doctor.name
        self.caller = CallerLine(caller: caller)
        specialty = schedule.specialty.name
        clinic = schedule.clinic.shortName
        room = schedule.doctor.room
        timeZone = schedule.clinic.timeZone
        zoneNote = ZoneNote.describe(schedule.clinic.timeZone, at: now)
        days = schedule.days.enumerated().map { index, day in
            DeskDay(day: day, times: day.times.map { TimeLink(slot: $0, url: timeURL($0)) }, title: DayName.capitalized(day.midday, in: schedule.zone, now: now), first: index == 0)
        }
        self.back = back
        self.doctors = doctors
        self.moving = moving.map(VisitFields.init)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(caller)
        case "specialty": .string(specialty)
        case "clinic": .string(clinic)
        case "room": .string(room)
        case "timeZone": .string(timeZone)
        case "zoneNote": .string(zoneNote)
        case "days": .list(days.map { .object($0) })
        case "backURL": .string(back.url)
        case "backTitle": .string(back.title)
        case "doctors": .list(doctors.map { .object($0) })
        case "moving": moving.map { .object($0) } ?? .null
        default: nil
        }
    }
}
