import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// Moving a booking: its doctors of the specialty, the free days of the one shown, and one day's times.
struct MovePage: TemplateObject {
    let title = "Перенос записи"
    let current: TicketRow
    let ticketURL: String
    let doctor: String
    let room: String
    let doctorID: String
    let timeZone: String
    let zoneNote: String
    let checkAction: String
    let doctors: [MoveDoctor]
    let days: [MoveDay]
    let times: [SlotChoice]
    /// The day whose times are shown (`YYYY-MM-DD`), if the doctor has any free day, and its title.
    let dayKey: String?
    let shownDay: String?

    /// `now`: the registry's clock, for «сегодня» and «завтра».
    init(choices: MoveChoices, shownDay dayKey: String?, now: Date) {
        let entry = choices.entry
        let schedule = choices.schedule
        let shownDoctor = schedule.doctor.id
        current = TicketRow(entry: entry)
        ticketURL = SiteRoute.ticket(entry.requestID).path
        doctor = schedule.doctor.name
        room = schedule.doctor.room
        doctorID = shownDoctor
        timeZone = schedule.clinic.timeZone
        zoneNote = ZoneNote.describe(schedule.clinic.timeZone, at: entry.start)
        checkAction = SiteRoute.ticketMoveCheck(entry.requestID).path
        doctors = choices.doctors.map { doctor in
            MoveDoctor(doctor: doctor, isCurrent: doctor.id == choices.currentDoctorID, isShown: doctor.id == shownDoctor,
                       url: SiteRoute.ticketMove(entry.requestID, doctor: doctor.id).path)
        }
        days = schedule.days.map { day in
            MoveDay(day: day, name: DayName.of(day.midday, in: schedule.zone, now: now), isShown: day.key == dayKey,
                    url: SiteRoute.ticketMove(entry.requestID, doctor: shownDoctor, day: day.key).path)
        }
        let shown = schedule.days.first { $0.key == dayKey }
        times = (shown?.times ?? []).map(SlotChoice.init)
        self.dayKey = dayKey
        shownDay = shown.map { DayName.capitalized($0.midday, in: schedule.zone, now: now) }
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "current": .object(current)
        case "ticketURL": .string(ticketURL)
        case "doctor": .string(doctor)
        case "room": .string(room)
        case "doctorID": .string(doctorID)
        case "timeZone": .string(timeZone)
        case "zoneNote": .string(zoneNote)
        case "checkAction": .string(checkAction)
        case "doctors": .list(doctors.map { .object($0) })
        case "days": .list(days.map { .object($0) })
        case "times": .list(times.map { .object($0) })
        case "dayKey": .optional(dayKey)
        case "shownDay": .optional(shownDay)
        default: nil
        }
    }
}
