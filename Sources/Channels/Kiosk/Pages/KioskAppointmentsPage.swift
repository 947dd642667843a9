import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The patient's upcoming appointments, each with print and cancel.
struct KioskAppointmentsPage: TemplateObject {
    let appointments: [PatientAppointments.Appointment]
    let unanswered: Bool
    let justCancelled: Bool

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Мои записи")
        case "appointments": .list(appointments.map { .object(KioskAppointment(found: $0)) })
        case "unanswered": .bool(unanswered)
        case "justCancelled": .bool(justCancelled)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
