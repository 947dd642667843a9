import Foundation
import Web
import MISBridge
import Templating

/// What a doctor's page and their day pages show about the doctor.
struct DoctorFields: TemplateObject {
    let doctor: MISDoctor
    let specialty: MISSpecialty
    let clinic: MISClinic
    let url: String
    let waitlistURL: String

    init(doctor: MISDoctor, specialty: MISSpecialty, clinic: MISClinic) {
        self.doctor = doctor
        self.specialty = specialty
        self.clinic = clinic
        url = SiteRoute.doctor(clinic: clinic.id, doctor: doctor.id).path
        waitlistURL = SiteRoute.waitlistNew(clinic: clinic.id, specialty: specialty.id, doctor: doctor.id).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(doctor.name)
        case "specialty": .string(specialty.name)
        case "room": .string(doctor.room)
        case "district": .optional(doctor.district)
        case "url": .string(url)
        case "waitlistURL": .string(waitlistURL)
        default: nil
        }
    }
}
