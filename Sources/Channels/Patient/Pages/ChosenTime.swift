import Foundation
import Web
import MISBridge
import RegistryCore
import Templating

/// One chosen or found time as the pages show it — who, where, when — copied out of the core's
/// `ChosenSlot` so that no page holds anything live.
struct ChosenTime: TemplateObject {
    let clinic: ClinicFields
    let clinicID: String
    let doctorID: String
    let doctor: String
    /// The doctor's district (участок), for district doctors.
    let district: String?
    let specialty: String
    let slotID: String
    let start: Date
    /// `YYYY-MM-DD` on the clinic's calendar.
    let day: String
    let room: String
    let address: String
    let timeZone: String
    let zone: TimeZone

    init(_ chosen: ChosenSlot) {
        clinic = ClinicFields(clinic: chosen.clinic)
        clinicID = chosen.clinic.id
        doctorID = chosen.doctor.id
        doctor = chosen.doctor.name
        district = chosen.doctor.district
        specialty = chosen.specialty.name
        slotID = chosen.slot.id
        start = chosen.slot.start
        day = ProtocolTime.day(chosen.slot.start, in: chosen.zone)
        room = chosen.slot.room
        address = chosen.slot.address
        timeZone = chosen.clinic.timeZone
        zone = chosen.zone
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "doctor": .string(doctor)
        case "specialty": .string(specialty)
        case "clinic": .string(clinic.shortName)
        case "start": .date(start)
        case "timeZone": .string(timeZone)
        default: nil
        }
    }
}
