import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// Moving a booking: its doctors of the specialty, the free days of the one shown, and one day's times.
struct MovePage: TemplateObject {
    let choices: MoveChoices
    /// The day whose times are shown (`YYYY-MM-DD`), if the doctor has any free day.
    let shownDay: String?
    /// The registry's clock, for «сегодня» and «завтра».
    let now: Date

    private var entry: LedgerEntry { choices.entry }
    private var shownDoctor: String { choices.schedule.doctor.id }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Перенос записи")
        case "current": .object(TicketRow(entry: entry))
        case "ticketURL": .string(SiteRoute.ticket(entry.requestID).path)
        case "doctor": .string(choices.schedule.doctor.name)
        case "room": .string(choices.schedule.doctor.room)
        case "doctorID": .string(shownDoctor)
        case "timeZone": .string(choices.schedule.clinic.timeZone)
        case "zoneNote": .string(ZoneNote.describe(choices.schedule.clinic.timeZone, at: entry.start))
        case "checkAction": .string(SiteRoute.ticketMoveCheck(entry.requestID).path)
        case "doctors":
            .list(choices.doctors.map { doctor in
                .object(MoveDoctor(doctor: doctor, isCurrent: doctor.id == choices.currentDoctorID, isShown: doctor.id == shownDoctor,
                                   url: SiteRoute.ticketMove(entry.requestID, doctor: doctor.id).path))
            })
        case "days":
            .list(choices.schedule.days.map { day in
                .object(MoveDay(day: day, name: DayName.of(day.midday, in: choices.schedule.zone, now: now), isShown: day.key == shownDay,
                                url: SiteRoute.ticketMove(entry.requestID, doctor: shownDoctor, day: day.key).path))
            })
        case "times": .list((choices.schedule.days.first { $0.key == shownDay }?.times ?? []).map { .object(SlotChoice(slot: $0)) })
        case "dayKey": .optional(shownDay)
        case "shownDay": .optional(choices.schedule.days.first { $0.key == shownDay }.map { DayName.capitalized($0.midday, in: choices.schedule.zone, now: now) })
        default: nil
        }
    }
}
