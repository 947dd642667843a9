import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// "Cancel this appointment?" with the reason the caller gives.
struct CancelAskPage: TemplateObject {
    let caller: CallerRecord
    let item: CallerCard.Appointment
    let reason: String
    let error: String?
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(error == nil ? "Отменить запись?" : "Ошибка: отменить запись?")
        case "caller": .object(CallerLine(caller: caller))
        case "appointment": .object(AppointmentRow(item: item))
        case "clinicID": .string(item.clinic.id)
        case "appointmentID": .string(item.appointment.id)
        case "reason": .string(reason)
        case "error": .optional(error)
        case "errors": error.map { .list([.object(FormError(field: "reason", message: $0))]) } ?? .list([])
        case "action": .string(OperatorRoute.callerCancelPost.path)
        case "cardURL": .string(OperatorRoute.caller.path)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
