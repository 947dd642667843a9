import Foundation
import Web
import MISBridge
import Templating

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
