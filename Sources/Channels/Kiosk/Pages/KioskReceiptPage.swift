import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One appointment as an 80 mm receipt; `printing` prints it at once and then returns to the start.
struct KioskReceiptPage: TemplateObject {
    let title = "Талон на приём"
    let appointment: KioskAppointment
    let name: String
    let printing: Bool
    let csrfToken: String
    let links = KioskLinks()

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "appointment": .object(appointment)
        case "name": .string(name)
        case "printing": .bool(printing)
        case "csrf": .string(csrfToken)
        case "links": .object(links)
        default: nil
        }
    }
}
