import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// Asking before cancelling one appointment.
struct KioskCancelPage: TemplateObject {
    let title = "Отменить запись?"
    let appointment: KioskAppointment
    let formURL: String
    let csrfToken: String
    let links = KioskLinks()

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "appointment": .object(appointment)
        case "formURL": .string(formURL)
        case "csrf": .string(csrfToken)
        case "links": .object(links)
        default: nil
        }
    }
}
