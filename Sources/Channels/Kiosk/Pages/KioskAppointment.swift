import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One appointment of the patient as the kiosk shows it (list, receipt, cancel).
struct KioskAppointment: TemplateObject {
    let found: PatientAppointments.Appointment

    func templateValue(forKey key: String) -> TemplateValue? {
        let appointment = found.appointment
        return switch key {
        case "ticket": .optional(appointment.ticket)
        case "start": .date(appointment.start)
        case "timeZone": .string(found.clinic.timeZone)
        case "doctor": .string(appointment.doctorName)
        case "specialty": .string(appointment.specialtyName)
        case "room": .string(appointment.room)
        case "clinic": .string(found.clinic.shortName)
        case "address": .string(found.clinic.address)
        case "phone": .string(found.clinic.phone)
        case "receiptURL": .string(KioskRoute.receipt(clinic: found.clinic.id, appointment: appointment.id).path)
        case "cancelURL": .string(KioskRoute.cancel(clinic: found.clinic.id, appointment: appointment.id).path)
        default: nil
        }
    }
}
