import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One appointment on the caller's card.
struct AppointmentRow: TemplateObject {
    let item: CallerCard.Appointment
    /// Where to move it, for a booking the registry made.
    var moveURL: String?

    func templateValue(forKey key: String) -> TemplateValue? {
        let appointment = item.appointment
        return switch key {
        case "start": .date(appointment.start)
        case "timeZone": .string(item.clinic.timeZone)
        case "doctor": .string(appointment.doctorName)
        case "specialty": .string(appointment.specialtyName)
        case "clinic": .string(item.clinic.shortName)
        case "room": .string(appointment.room)
        case "ticket": .optional(appointment.ticket)
        case "status": .string(Self.status(appointment))
        case "cancelURL": .string(OperatorRoute.callerCancel(clinic: item.clinic.id, appointment: appointment.id).path)
        case "moveURL": .optional(moveURL)
        case "channel": .string(Self.channel(appointment.channel))
        default: nil
        }
    }

    static func status(_ appointment: MISAppointment) -> String {
        switch appointment.status {
        case .active: "записан"
        case .visited: "был на приёме"
        case .missed: "не пришёл"
        case .cancelled: "отменена" + (appointment.cancelledBy == .clinic || appointment.cancelledBy == .frontDesk ? " поликлиникой" : "")
        }
    }

    static func channel(_ channel: MISChannel) -> String {
        switch channel {
        case .callCentre: "контакт-центр"
        case .kiosk: "инфомат"
        case .frontDesk: "регистратура"
        case .doctor: "врач"
        case .internet: "сайт"
        case .federalPortal: "Госуслуги"
        case .clinic: "поликлиника"
        case .other: "другое"
        }
    }
}
