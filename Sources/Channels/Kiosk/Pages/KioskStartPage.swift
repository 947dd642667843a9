import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The start screen: the kiosk's clinic and the identification form (policy, birth date, and the
/// identity document when several cards fit).
struct KioskStartPage: TemplateObject, IdentificationFormPage {
    var clinicName: String?
    var policy = ""
    var birthDate = ""
    var document = ""
    var asksDocument = false
    var errors: [FormError] = []
    var notFound = false
    var unavailable = false
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinic": .optional(clinicName)
        case "policy": .string(policy)
        case "birthDate": .string(birthDate)
        case "document": .string(document)
        case "asksDocument": .bool(asksDocument)
        case "errors": .list(errors.map { .object($0) })
        case "policyError": .optional(errors.first { $0.field == "policy" }?.message)
        case "birthDateError": .optional(errors.first { $0.field == "birthDate" }?.message)
        case "documentError": .optional(errors.first { $0.field == "document" }?.message)
        case "notFound": .bool(notFound)
        case "unavailable": .bool(unavailable)
        case "csrf": .string(csrfToken)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
