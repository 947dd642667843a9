import Foundation
import Web
import MISBridge
import Templating

/// A step of the breadcrumb trail.
struct Crumb: TemplateObject {
    let title: String
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .string(url)
        default: nil
        }
    }
}

/// A row of a list page: a title, a link and optional details.
struct ListItem: TemplateObject {
    let title: String
    let url: String
    var details: [String] = []
    var freeCount: Int?
    /// First day with free time, as an instant at midday in the clinic's zone (for the date filter).
    var nearest: Date?
    var note: String?
    /// The clinic's zone, for the nearest date.
    var timeZone = "Europe/Moscow"

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "timeZone": .string(timeZone)
        case "url": .string(url)
        case "details": .list(details.map(TemplateValue.string))
        case "freeCount": .optional(freeCount)
        case "nearest": .optional(nearest)
        case "note": .optional(note)
        default: nil
        }
    }
}

/// Any of the browsing pages: a title, the trail to it, the clinic (if any) and a list.
struct BrowsePage: TemplateObject {
    let title: String
    var lead: String?
    let crumbs: [Crumb]
    var clinic: MISClinic?
    let items: [ListItem]
    var emptyText: String
    /// A specialty's page: joining the waiting list for any of its doctors.
    var waitlistURL: String?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "waitlistURL": .optional(waitlistURL)
        case "lead": .optional(lead)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "clinic": clinic.map { .object(ClinicFields(clinic: $0)) } ?? .null
        case "items": .list(items.map { .object($0) })
        case "emptyText": .string(emptyText)
        default: nil
        }
    }
}

/// A clinic as templates read it.
struct ClinicFields: TemplateObject {
    let clinic: MISClinic

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(clinic.fullName)
        case "shortName": .string(clinic.shortName)
        case "address": .string(clinic.address)
        case "phone": .string(clinic.phone)
        case "phoneLink": .string("tel:" + clinic.phone.filter { $0.isNumber || $0 == "+" })
        case "timeZone": .string(clinic.timeZone)
        case "zoneNote": .string(ZoneNote.describe(clinic.timeZone, at: Date()))
        default: nil
        }
    }
}

/// One day of a doctor's free times.
struct FreeDay: TemplateObject {
    /// The day as `YYYY-MM-DD` on the clinic's calendar.
    let key: String
    /// Midday of the day in the clinic's zone.
    let day: Date
    var times: [MISSlot]
    /// The day's own page.
    let url: String
    /// «Сегодня, 1 декабря», «Завтра, …», «Четверг, 3 декабря».
    var name = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "day": .date(day)
        case "name": .string(name)
        case "url": .string(url)
        case "count": .int(times.count)
        case "first": times.first.map { .date($0.start) } ?? .null
        case "last": times.last.map { .date($0.start) } ?? .null
        case "times": .list(times.map { .object(SlotChoice(slot: $0)) })
        default: nil
        }
    }
}

/// What a doctor's page and their day pages show about the doctor.
struct DoctorFields: TemplateObject {
    let doctor: MISDoctor
    let specialty: MISSpecialty
    let clinic: MISClinic

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(doctor.name)
        case "specialty": .string(specialty.name)
        case "room": .string(doctor.room)
        case "district": .optional(doctor.district)
        case "url": .string(SiteRoute.doctor(clinic: clinic.id, doctor: doctor.id).path)
        case "waitlistURL": .string(SiteRoute.waitlistNew(clinic: clinic.id, specialty: specialty.id, doctor: doctor.id).path)
        default: nil
        }
    }
}

/// A doctor's page: who, where, and the days of the next two weeks with free times.
struct DoctorPage: TemplateObject {
    let doctor: DoctorFields
    let crumbs: [Crumb]
    let days: [FreeDay]

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(doctor.doctor.name)
        case "doctor": .object(doctor)
        case "clinic": .object(ClinicFields(clinic: doctor.clinic))
        case "timeZone": .string(doctor.clinic.timeZone)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "days": .list(days.map { .object($0) })
        default: nil
        }
    }
}

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

/// A search for clinics or doctors: the form, and what it found.
struct SearchPage: TemplateObject {
    /// What is searched.
    enum Kind {
        case clinics, doctors
    }

    let kind: Kind
    let query: String
    var results: [ListItem] = []
    /// Some clinic did not answer, so doctors there are missing from the results.
    var someClinicsSilent = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title":
            .string(kind == .clinics ? "Поиск поликлиники" : "Поиск врача")
        case "action": .string(kind == .clinics ? SiteRoute.clinicSearch.path : SiteRoute.doctorSearch.path)
        case "label": .string(kind == .clinics ? "Название или адрес поликлиники" : "Фамилия врача или специальность")
        case "hint": .string(kind == .clinics ? "Например, «поликлиника 3» или «Ленина»" : "Например, «Иванова» или «кардиолог»")
        case "query": .string(query)
        case "searched": .bool(!query.isEmpty)
        case "results": .list(results.prefix(SearchController.maximumResults).map { .object($0) })
        case "count": .int(results.count)
        case "tooMany": .bool(results.count > SearchController.maximumResults)
        case "shown": .int(min(results.count, SearchController.maximumResults))
        case "someClinicsSilent": .bool(someClinicsSilent)
        case "crumbs": .list([.object(BrowseController.start)])
        default: nil
        }
    }
}
