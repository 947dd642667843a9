import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// A clinic's day list, on screen (with the day and doctor to choose) or to print: every booking of
/// the day in time order, the patients counted, the clinic's time zone named.
struct DayListPage: TemplateObject {
    let title: String
    let clinic: String
    let dayName: String
    let zoneNote: String
    let dayValue: String
    let doctorName: String?
    let doctorOptions: [SelectOption]
    let rows: [DayListRow]
    let patients: Int
    let cancelled: Int
    let action: String
    let previousURL: String?
    let nextURL: String?
    let printURL: String?
    let exportURL: String?
    let errors: [FormError]
    let day: FormField
    let printedAt: String
    let printedBy: String

    private static let longDay = try! RussianDateFormat("EEEE, d MMMM yyyy")
    private static let moment = try! RussianDateFormat("dd.MM.yyyy HH:mm")

    /// The list read for `list.day`; `names` say who made each booking.
    init(list: ClinicDayList, names: DayListRow.Names, viewer: StaffAccount, now: Date) {
        let zone = TimeZone(identifier: list.clinic.timeZone) ?? .current
        let noon = ProtocolTime.startOfDay(list.day, in: zone)?.addingTimeInterval(12 * 3_600) ?? now
        clinic = list.clinic.shortName
        dayName = Self.longDay.string(from: noon, in: zone)
        title = "Список дня: \(list.clinic.shortName), \(DayName.typed(list.day))" + (list.doctor.map { ", \($0.name)" } ?? "")
        zoneNote = "Время — " + ZoneNote.describe(list.clinic.timeZone, at: noon)
        dayValue = list.day
        doctorName = list.doctor.map { "\($0.name), \($0.specialtyInPhrase), каб. \($0.room)" }
        doctorOptions = [SelectOption(value: "", label: "Все врачи", selected: list.doctor == nil)]
            + list.doctors.map { SelectOption(value: $0.id, label: "\($0.name) — \($0.specialtyInPhrase)", selected: $0.id == list.doctor?.id) }
        rows = list.entries.map { DayListRow(entry: $0, zone: zone, names: names, now: now) }
        patients = list.patients
        cancelled = list.entries.count - list.patients
        let clinicID = list.clinic.id, doctorID = list.doctor?.id
        action = StaffRoute.dayList(clinic: clinicID).path
        previousURL = TypedDay.adding(-1, to: list.day).map { StaffRoute.dayList(clinic: clinicID, day: $0, doctor: doctorID).path }
        nextURL = TypedDay.adding(1, to: list.day).map { StaffRoute.dayList(clinic: clinicID, day: $0, doctor: doctorID).path }
        printURL = StaffRoute.dayListPrint(clinic: clinicID, day: list.day, doctor: doctorID).path
        exportURL = StaffRoute.dayListExport(clinic: clinicID, day: list.day, doctor: doctorID).path
        errors = []
        day = FormField("day", label: "День", value: list.day, errors: [], input: .date)
        printedAt = Self.moment.string(from: now, in: zone)
        printedBy = viewer.name
    }

    /// The form alone, with what was wrong with the day typed (`typed` as it came).
    init(clinic: MISClinic, typed: String, error: String, viewer: StaffAccount, now: Date) {
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        self.clinic = clinic.shortName
        title = "Ошибка: список дня, \(clinic.shortName)"
        dayName = ""
        zoneNote = "Время — " + ZoneNote.describe(clinic.timeZone, at: now)
        dayValue = typed
        doctorName = nil
        doctorOptions = [SelectOption(value: "", label: "Все врачи", selected: true)]
        rows = []
        patients = 0
        cancelled = 0
        action = StaffRoute.dayList(clinic: clinic.id).path
        previousURL = nil
        nextURL = nil
        printURL = nil
        exportURL = nil
        errors = [FormError(field: "day", message: error)]
        day = FormField("day", label: "День", value: String(typed.prefix(40)), errors: errors, input: .date)
        printedAt = Self.moment.string(from: now, in: zone)
        printedBy = viewer.name
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "clinic": .string(clinic)
        case "dayName": .string(dayName)
        case "zoneNote": .string(zoneNote)
        case "dayValue": .string(dayValue)
        case "doctorName": .optional(doctorName)
        case "doctorOptions": .list(doctorOptions.map { .object($0) })
        case "rows": .list(rows.map { .object($0) })
        case "patients": .int(patients)
        case "cancelled": .int(cancelled)
        case "action": .string(action)
        case "previousURL": .optional(previousURL)
        case "nextURL": .optional(nextURL)
        case "printURL": .optional(printURL)
        case "exportURL": .optional(exportURL)
        case "errors": .list(errors.map { .object($0) })
        case "day": .object(day)
        case "printedAt": .string(printedAt)
        case "printedBy": .string(printedBy)
        default: nil
        }
    }
}
