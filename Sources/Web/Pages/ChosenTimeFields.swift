import Foundation
import MISBridge
import Templating

/// One chosen or found time as a staff or kiosk page shows it — clinic, doctor, specialty, when and
/// where — copied out of the MIS's answers so that no page holds anything live.
public struct ChosenTimeFields: TemplateObject, Sendable {
    public let clinicID: String
    public let clinic: String
    public let address: String
    public let doctorID: String
    public let doctor: String
    public let specialty: String
    public let slotID: String
    public let start: Date
    public let room: String
    public let timeZone: String

    public init(clinic: MISClinic, doctor: MISDoctor, specialty: MISSpecialty, slot: MISSlot) {
        clinicID = clinic.id
        self.clinic = clinic.shortName
        address = slot.address
        doctorID = doctor.id
        self.doctor = doctor.name
        self.specialty = specialty.name
        slotID = slot.id
        start = slot.start
        room = slot.room
        timeZone = clinic.timeZone
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinicID": .string(clinicID)
        case "clinic": .string(clinic)
        case "address": .string(address)
        case "doctorID": .string(doctorID)
        case "doctor": .string(doctor)
        case "specialty": .string(specialty)
        case "slotID": .string(slotID)
        case "start": .date(start)
        case "room": .string(room)
        case "timeZone": .string(timeZone)
        default: nil
        }
    }
}
