import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One appointment on the caller's card.
struct AppointmentRow: TemplateObject {
    let start: Date
    let timeZone: String
    let doctor: String
    let specialty: String
    let clinic: String
    let room: String
    let ticket: String?
    let status: String
    let channel: String
    let cancelURL: String
    /// Where to move it, for a booking the registry made.
    let moveURL: String?

    init(item: CallerCard.Appointment, moveURL: String? = nil) {
        let appointment = item.appointment
        start = appointment.start
        timeZone = item.clinic.timeZone
        doctor = appointment.doctorName
        specialty = appointment.specialtyName
        clinic = item.clinic.shortName
        room = appointment.room
        ticket = appointment.ticket
        status = Self.status(appointment)
        channel = appointment.channel.title
        cancelURL = OperatorRoute.callerCancel(clinic: item.clinic.id, appointment: appointment.id).path
        self.moveURL = moveURL
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "start": .date(start)
        case "timeZone": .string(timeZone)
        case "doctor": .string(doctor)
        case "specialty": .string(specialty)
        case "clinic": .string(clinic)
        case "room": .string(room)
        case "ticket": .optional(ticket)
        case "status": .string(status)
        case "cancelURL": .string(cancelURL)
        case "moveURL": .optional(moveURL)
        case "channel": .string(channel)
        default: nil
        }
    }

    static func status(_ appointment: MISAppointment) -> String {
        switch appointment.status {
        case .active: "записан"
        case .visited: "был на приёме"
        case .missed: "не пришёл"
        case .reserved: "ждёт подтверждения поликлиники"
        case .displaced: "выпала из расписания: поликлиника перенесёт или отменит"
        case .cancelled: "отменена" + (appointment.cancelledBy == .clinic || appointment.cancelledBy == .frontDesk ? " поликлиникой" : "")
        }
    }
}
