import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// Asking before cancelling one appointment.
struct KioskCancelPage: TemplateObject {
    let appointment: KioskAppointment
    let formURL: String
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Отменить запись?")
        case "appointment": .object(appointment)
        case "formURL": .string(formURL)
        case "csrf": .string(csrfToken)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
