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
    let caller: CallerRecord
    let schedule: DoctorSchedule
    let now: Date
    let timeURL: @Sendable (MISSlot) -> String
    var back: (url: String, title: String)
    /// When moving: the specialty's other doctors to choose from, the booking being moved.
    var doctors: [DeskListItem] = []
    var moving: LedgerEntry?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(schedule.doctor.name)
        case "caller": .object(CallerLine(caller: caller))
        case "specialty": .string(schedule.specialty.name)
        case "clinic": .string(schedule.clinic.shortName)
        case "room": .string(schedule.doctor.room)
        case "timeZone": .string(schedule.clinic.timeZone)
        case "zoneNote": .string(ZoneNote.describe(schedule.clinic.timeZone, at: now))
        case "days": .list(schedule.days.enumerated().map { index, day in
            .object(DeskDay(day: day, times: day.times.map { TimeLink(slot: $0, url: timeURL($0)) },
                            title: DayName.capitalized(day.midday, in: schedule.zone, now: now), first: index == 0))
        })
        case "backURL": .string(back.url)
        case "backTitle": .string(back.title)
        case "doctors": .list(doctors.map { .object($0) })
        case "moving": moving.map { .object(VisitFields($0)) } ?? .null
        default: nil
        }
    }
}
