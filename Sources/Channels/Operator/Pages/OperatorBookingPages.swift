import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// Who the operator is booking for, as every booking page's header line shows it.
struct CallerLine: TemplateObject {
    let caller: CallerRecord

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(caller.fullName)
        case "birthDate": .string(CallerRow.typed(caller.birthDate))
        case "cardURL": .string(OperatorRoute.caller.path)
        default: nil
        }
    }
}

/// One entry of a booking step's list (a clinic, a specialty, a doctor).
struct DeskListItem: TemplateObject {
    let title: String
    let url: String
    let details: String
    let note: String?
    var free = true

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .string(url)
        case "details": .string(details)
        case "note": .optional(note)
        case "free": .bool(free)
        case "search": .string(title.lowercased())
        default: nil
        }
    }
}

/// A booking step that is a list to choose from, filtered by what the operator types.
struct DeskListPage: TemplateObject {
    let title: String
    let caller: CallerRecord
    let step: String
    /// The entries the filter lets through.
    let items: [DeskListItem]
    let filter: String
    var back: (url: String, title: String)?

    init(title: String, caller: CallerRecord, step: String, items: [DeskListItem], filter: String, back: (url: String, title: String)? = nil) {
        self.title = title
        self.caller = caller
        self.step = step
        let typed = filter.lowercased()
        self.items = typed.isEmpty ? items : items.filter { $0.title.lowercased().contains(typed) }
        self.filter = filter
        self.back = back
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(CallerLine(caller: caller))
        case "step": .string(step)
        case "items": .list(items.map { .object($0) })
        case "filter": .string(filter)
        case "backURL": .optional(back?.url)
        case "backTitle": .optional(back?.title)
        default: nil
        }
    }
}

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
        case "moving": moving.map { .object(MovingLine(entry: $0)) } ?? .null
        default: nil
        }
    }
}

/// The booking being moved, as the move pages name it.
struct MovingLine: TemplateObject {
    let entry: LedgerEntry

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "start": .date(entry.start)
        case "timeZone": .string(entry.timeZone)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        default: nil
        }
    }
}

/// The check page: what will be booked (or what a booking moves to), and whether the rules allow it.
struct DeskCheckPage: TemplateObject {
    let caller: CallerRecord
    let chosen: ChosenTimeFields
    let refusal: String?
    let refusalCode: String?
    let requestID: String
    let csrfToken: String
    /// When moving: the booking that moves (its request id goes with the form), and the reason asked for.
    var moving: LedgerEntry?
    var reasonMissing = false
    /// A specialty open by referral: the number asked for, as typed, and what is wrong with it.
    var referral: (number: String, error: String?)?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(refusal != nil ? (moving == nil ? "Записать нельзя" : "Перенести нельзя") : moving == nil ? "Проверка записи" : "Проверка переноса")
        case "moving": moving.map { .object(MovingLine(entry: $0)) } ?? .null
        case "booking": .optional(moving?.requestID)
        case "reasonError": reasonMissing ? .string("Запишите причину переноса со слов пациента.") : .null
        case "asksReferral": .bool(referral != nil)
        case "referralNumber": .string(referral?.number ?? "")
        case "referralError": .optional(referral?.error)
        case "errors":
            if reasonMissing { .list([.object(FormError(field: "reason", message: "Запишите причину переноса со слов пациента."))]) }
            else if let error = referral?.error { .list([.object(FormError(field: "referral", message: error))]) }
            else { .list([]) }
        case "caller": .object(CallerLine(caller: caller))
        case "chosen": .object(chosen)
        case "refusal": .optional(refusal)
        case "refusalCode": .optional(refusalCode)
        case "confirmation": .object(ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, requestID: requestID, csrfToken: csrfToken))
        case "action": .string(moving == nil ? OperatorRoute.book.path : OperatorRoute.movePost.path)
        case "doctorURL": .string(moving.map { OperatorRoute.move(booking: $0.requestID, doctor: chosen.doctorID).path } ?? OperatorRoute.bookDoctor(clinic: chosen.clinicID, doctor: chosen.doctorID).path)
        default: nil
        }
    }
}

/// A booking the rules or the MIS refused, explained for the operator, with other times.
struct DeskRefusalPage: TemplateObject {
    /// The page for what the desk answered instead of a booking (or move): refused, with the
    /// doctor's other times leading to `timeURL`; not found; the clinic not answering.
    static func respond(to outcome: BookingDesk.Outcome, caller: CallerRecord, rules: BookingRules, timeURL: (MISSlot) -> String, doctorURL: String,
                        zone fallback: String, pages: PageRenderer, viewer: PageViewer) throws -> Response {
        try outcome.response { refusal, alternatives, zone in
            let page = DeskRefusalPage(caller: caller, code: refusal.code.rawValue, explanation: RefusalTexts.explanation(refusal.code, for: .staff, rules: rules),
                                       alternatives: alternatives.map { TimeLink(slot: $0, url: timeURL($0)) }, timeZone: zone?.identifier ?? fallback, doctorURL: doctorURL)
            return try pages.render("pages/operator/book-refusal", for: viewer, page: page, status: .conflict, caching: .personal)
        }
    }

    let caller: CallerRecord
    let code: String
    let explanation: String
    let alternatives: [TimeLink]
    let timeZone: String
    let doctorURL: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Записать нельзя")
        case "caller": .object(CallerLine(caller: caller))
        case "code": .string(code)
        case "explanation": .string(explanation)
        case "alternatives": .list(alternatives.map { .object($0) })
        case "timeZone": .string(timeZone)
        case "doctorURL": .string(doctorURL)
        default: nil
        }
    }
}

/// The booking made: a text to read aloud to the caller, and a printable ticket.
struct DeskTicketPage: TemplateObject {
    let caller: CallerRecord
    let entry: LedgerEntry
    let now: Date

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Записан: \(caller.fullName)")
        case "caller": .object(CallerLine(caller: caller))
        case "readBack": .string(readBack)
        case "ticket": .optional(entry.ticket)
        case "start": .date(entry.start)
        case "timeZone": .string(entry.timeZone)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        case "room": .string(entry.room)
        case "clinic": .string(entry.clinicName)
        case "address": .string(entry.clinicAddress)
        case "phone": .string(entry.clinicPhone)
        case "bring": .string(bring)
        case "bookAgainURL": .string(OperatorRoute.bookClinics.path)
        case "cardURL": .string(OperatorRoute.caller.path)
        default: nil
        }
    }

    /// What to bring: the policy and a passport, and the referral if the booking used one.
    var bring: String {
        "полис ОМС и паспорт" + (entry.referral != nil ? ", направление" : "")
    }

    private static let weekday = try! RussianDateFormat("EEEE, d MMMM")
    private static let time = try! RussianDateFormat("HH:mm")

    /// The sentence the operator reads out: weekday and date, time, doctor, room, address, ticket, what to bring.
    var readBack: String {
        let zone = TimeZone(identifier: entry.timeZone) ?? .current
        let soon = switch CivilDay.between(now, entry.start, in: zone) {
        case 0: "сегодня, "
        case 1: "завтра, "
        default: ""
        }
        let day = soon + Self.weekday.string(from: entry.start, in: zone)
        let when = day.prefix(1).uppercased() + day.dropFirst() + ", в " + Self.time.string(from: entry.start, in: zone)
        var text = "\(when) — \(entry.specialtyName.lowercased()), \(entry.doctorName), кабинет \(entry.room). \(entry.clinicName), \(entry.clinicAddress)."
        if let ticket = entry.ticket { text += " Номер талона: \(ticket)." }
        text += " Возьмите с собой \(bring) и приходите за 10 минут до приёма."
        return text
    }
}

/// The earliest free times of a specialty in the caller's clinics.
struct DeskEarliestPage: TemplateObject {
    let caller: CallerRecord
    let specialties: [(federalCode: String, name: String)]
    let specialty: String?
    var found: [ChosenTimeFields] = []
    var incomplete = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Ближайшее свободное время")
        case "caller": .object(CallerLine(caller: caller))
        case "action": .string(OperatorRoute.earliest().path)
        case "specialties": .list(specialties.map { .object(SelectOption(value: $0.federalCode, label: $0.name, selected: $0.federalCode == specialty)) })
        case "searched": .bool(specialty != nil)
        case "found": .list(found.map { .object(DeskEarliestRow(time: $0)) })
        case "incomplete": .bool(incomplete)
        default: nil
        }
    }
}

/// One earliest time, leading to its check page.
struct DeskEarliestRow: TemplateObject {
    let time: ChosenTimeFields

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "url": .string(OperatorRoute.bookCheck(clinic: time.clinicID, doctor: time.doctorID, slot: time.slotID).path)
        case "time": .object(time)
        default: nil
        }
    }
}
