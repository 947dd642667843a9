import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// "Cancel this appointment?" with the reason the caller gives.
struct CancelAskPage: TemplateObject {
    let title: String
    let caller: CallerLine
    let appointment: AppointmentRow
    let clinicID: String
    let appointmentID: String
    let reason: FormField
    let errors: [FormError]
    let csrfToken: String
    let action = OperatorRoute.callerCancelPost.path
    let cardURL = OperatorRoute.caller.path

    init(caller: CallerRecord, item: CallerCard.Appointment, reason: String, error: String?, csrfToken: String) {
        title = error == nil ? "Отменить запись?" : "Ошибка: отменить запись?"
        self.caller = CallerLine(caller: caller)
        appointment = AppointmentRow(item: item)
        clinicID = item.clinic.id
        appointmentID = item.appointment.id
        self.reason = FormField("reason", label: "Причина со слов пациента", value: reason, error: error, input: FormField.Input.text.with { $0.autofocus = true })
        errors = [self.reason.formError].compactMap { $0 }
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(caller)
        case "appointment": .object(appointment)
        case "clinicID": .string(clinicID)
        case "appointmentID": .string(appointmentID)
        case "reason": .object(reason)
        case "errors": .list(errors.map { .object($0) })
        case "action": .string(action)
        case "cardURL": .string(cardURL)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
