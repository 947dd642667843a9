import Foundation
import Web
import MISBridge
import Templating

/// One day of a doctor's free times: a button per time, and the free days before and after it.
struct DayPage: TemplateObject {
    /// «Сегодня, 1 декабря» or «Понедельник, 7 декабря» on the clinic's calendar; the day is where the
    /// trail ends (the doctor is the step before it).
    let title: String
    let doctor: DoctorFields
    let clinic: ClinicFields
    let crumbs: [Crumb]
    /// Midday of the day shown, in the clinic's zone.
    let date: Date
    let dayKey: String
    /// Its free times; empty when none are left.
    let times: [SlotChoice]
    let previous: FreeDay?
    let next: FreeDay?

    init(doctor: DoctorFields, crumbs: [Crumb], date: Date, free: FreeDay?, previous: FreeDay?, next: FreeDay?, dayTitle: String) {
        title = dayTitle
        self.doctor = doctor
        clinic = ClinicFields(clinic: doctor.clinic)
        self.crumbs = crumbs
        self.date = date
        dayKey = ProtocolTime.day(date, in: TimeZone(identifier: doctor.clinic.timeZone) ?? .current)
        times = free?.times ?? []
        self.previous = previous
        self.next = next
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "doctor": .object(doctor)
        case "clinic": .object(clinic)
        case "timeZone": .string(doctor.clinic.timeZone)
        case "clinicID": .string(doctor.clinic.id)
        case "doctorID": .string(doctor.doctor.id)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "date": .date(date)
        case "dayKey": .string(dayKey)
        case "times": .list(times.map { .object($0) })
        case "previous": previous.map { .object($0) } ?? .null
        case "next": next.map { .object($0) } ?? .null
        default: nil
        }
    }
}
