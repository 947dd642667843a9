import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The identification form, with what the patient typed kept.
struct IdentifyPage: TemplateObject, IdentificationFormPage {
    var next: String?
    var policy = ""
    var birthDate = ""
    var document = ""
    var asksDocument = false
    var notFound = false
    /// No clinic answered; the form keeps what was typed for another try.
    var unavailable = false
    /// The patient's previous session lapsed after inactivity.
    var sessionEnded = false
    var errors: [FormError] = []
    var csrfToken = ""
    /// The time being booked, when identification interrupted choosing it: said on the form.
    var chosen: ChosenTime?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(errors.isEmpty && !notFound && !unavailable ? "Вход по полису ОМС" : "Ошибка: вход по полису ОМС")
        case "chosen": chosen.map { .object($0) } ?? .null
        case "next": .optional(next)
        case "policy": .string(policy)
        case "birthDate": .string(birthDate)
        case "document": .string(document)
        case "asksDocument": .bool(asksDocument)
        case "notFound": .bool(notFound)
        case "unavailable": .bool(unavailable)
        case "sessionEnded": .bool(sessionEnded)
        case "errors": .list(errors.map { .object($0) })
        case "policyError": .optional(errors.first { $0.field == "policy" }?.message)
        case "birthDateError": .optional(errors.first { $0.field == "birthDate" }?.message)
        case "documentError": .optional(errors.first { $0.field == "document" }?.message)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
