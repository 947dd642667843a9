import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One appointment of the patient as the kiosk shows it (list, receipt, cancel).
struct KioskAppointment: TemplateObject {
    let ticket: String?
    let start: Date
    let timeZone: String
    let doctor: String
    let specialty: String
    let room: String
    let clinic: String
    let address: String
    let phone: String
    let receiptURL: String
    let cancelURL: String
    /// A reservation the clinic is still to confirm: not yet a ticket.
    let awaiting: Bool

    init(found: PatientAppointments.Appointment) {
        let appointment = found.appointment
        ticket = appointment.ticket
        start = appointment.start
        timeZone = found.clinic.timeZone
        doctor = appointment.doctorName
        specialty = appointment.specialtyName
        room = appointment.room
        clinic = found.clinic.shortName
        address = found.clinic.address
        phone = found.clinic.phone
        receiptURL = KioskRoute.receipt(clinic: found.clinic.id, appointment: appointment.id).path
        cancelURL = KioskRoute.cancel(clinic: found.clinic.id, appointment: appointment.id).path
        awaiting = appointment.status == .reserved
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "ticket": .optional(ticket)
        case "start": .date(start)
        case "timeZone": .string(timeZone)
        case "doctor": .string(doctor)
        case "specialty": .string(specialty)
        case "room": .string(room)
        case "clinic": .string(clinic)
        case "address": .string(address)
        case "phone": .string(phone)
        case "receiptURL": .string(receiptURL)
        case "cancelURL": .string(cancelURL)
        case "awaiting": .bool(awaiting)
        default: nil
        }
    }
}
