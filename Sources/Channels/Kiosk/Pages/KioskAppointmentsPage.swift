import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The patient's upcoming appointments, each with print and cancel.
struct KioskAppointmentsPage: TemplateObject {
    let title = "Мои записи"
    let appointments: [KioskAppointment]
    let unanswered: Bool
    let justCancelled: Bool
    let links = KioskLinks()

    init(appointments: [PatientAppointments.Appointment], unanswered: Bool, justCancelled: Bool) {
        self.appointments = appointments.map(KioskAppointment.init)
        self.unanswered = unanswered
        self.justCancelled = justCancelled
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "appointments": .list(appointments.map { .object($0) })
        case "unanswered": .bool(unanswered)
        case "justCancelled": .bool(justCancelled)
        case "links": .object(links)
        default: nil
        }
    }
}
