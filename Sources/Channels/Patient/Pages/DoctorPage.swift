import Foundation
import Web
import MISBridge
import Templating

/// A doctor's page: who, where, and the days of the next two weeks with free times.
struct DoctorPage: TemplateObject {
    let doctor: DoctorFields
    let clinic: ClinicFields
    let crumbs: [Crumb]
    let days: [FreeDay]

    init(doctor: DoctorFields, crumbs: [Crumb], days: [FreeDay]) {
        self.doctor = doctor
        clinic = ClinicFields(clinic: doctor.clinic)
        self.crumbs = crumbs
        self.days = days
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(doctor.doctor.name)
        case "doctor": .object(doctor)
        case "clinic": .object(clinic)
        case "timeZone": .string(doctor.clinic.timeZone)
        case "crumbs": .list(crumbs.map { .object($0) })
        case "days": .list(days.map { .object($0) })
        default: nil
        }
    }
}
