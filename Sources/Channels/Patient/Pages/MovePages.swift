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

/// A doctor of the specialty on the move page.
struct MoveDoctor: TemplateObject {
    let doctor: MISDoctor
    /// The booking's own doctor.
    let isCurrent: Bool
    /// The doctor whose times are shown.
    let isShown: Bool
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(doctor.name)
        case "room": .string(doctor.room)
        case "current": .bool(isCurrent)
        case "shown": .bool(isShown)
        case "url": .string(url)
        default: nil
        }
    }
}

/// A free day of the doctor shown on the move page.
struct MoveDay: TemplateObject {
    let day: DoctorSchedule.Day
    let name: String
    let isShown: Bool
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "day": .date(day.midday)
        case "name": .string(name)
        case "count": .int(day.times.count)
        case "shown": .bool(isShown)
        case "url": .string(url)
        default: nil
        }
    }
}

/// Was and will be — before the one button that moves the booking.
struct MoveCheckPage: TokenCarryingPage {
    let entry: LedgerEntry
    /// The new time; nil when the clinic did not answer and only the choice itself is known.
    let chosen: ChosenTime?
    let doctorID: String
    let slotID: String
    let requestID: String
    /// Shown when the clinic did not answer: the same button moves once, however often it is pressed.
    var retryNotice = false
    var csrfToken: String

    func with(csrfToken: String) -> MoveCheckPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(retryNotice ? "Поликлиника не ответила" : "Перенести запись?")
        case "current": .object(TicketRow(entry: entry))
        case "start": chosen.map { .date($0.start) } ?? .null
        case "doctor": .optional(chosen?.doctor)
        case "specialty": .optional(chosen?.specialty)
        case "room": .optional(chosen?.room)
        case "timeZone": .string(entry.timeZone)
        case "zoneNote": .string(ZoneNote.describe(entry.timeZone, at: entry.start))
        case "action": .string(SiteRoute.ticketMove(entry.requestID).path)
        case "backURL": .string(SiteRoute.ticketMove(entry.requestID, doctor: doctorID).path)
        case "ticketURL": .string(SiteRoute.ticket(entry.requestID).path)
        case "confirmation": .object(ConfirmationFields(clinicID: nil, doctorID: doctorID, slotID: slotID, requestID: requestID, csrfToken: csrfToken))
        case "retryNotice": .bool(retryNotice)
        default: nil
        }
    }
}
