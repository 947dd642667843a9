import Foundation
import Web
import MISBridge
import Templating

/// One day of a doctor's free times: a button per time, and the free days before and after it.
struct DayPage: TemplateObject {
    let doctor: DoctorFields
    let crumbs: [Crumb]
    /// Midday of the day shown, in the clinic's zone.
    let date: Date
    /// Its free times; nil when none are left.
    let free: FreeDay?
    let previous: FreeDay?
    let next: FreeDay?
    /// «Сегодня, 1 декабря» or «Понедельник, 7 декабря» on the clinic's calendar.
    let dayTitle: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        // The day is where the trail ends (the doctor is the step before it).
        case "title": .string(dayTitle)
        case "doctor": .object(doctor)
        case "clinic": .object(ClinicFields(clinic: doctor.clinic))
        case "timeZone": .string(doctor.clinic.timeZone)
        case "clinicID": .string(doctor.clinic.id)
        case "doctorID": .string(doctor.doctor.id)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "date": .date(date)
        case "dayKey": .string(ProtocolTime.day(date, in: TimeZone(identifier: doctor.clinic.timeZone) ?? .current))
        case "times": .list((free?.times ?? []).map { .object(SlotChoice(slot: $0)) })
        case "previous": previous.map { .object($0) } ?? .null
        case "next": next.map { .object($0) } ?? .null
        default: nil
        }
    }
}
