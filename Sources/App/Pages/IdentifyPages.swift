import Persistence
import Templating

/// A problem with one field, shown in the error summary and next to the field.
struct FormError: TemplateObject {
    let field: String
    let message: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "field": .string(field)
        case "message": .string(message)
        default: nil
        }
    }
}

/// The identification form, with what the patient typed kept.
struct IdentifyPage: TemplateObject {
    var next: String?
    var policy = ""
    var birthDate = ""
    var document = ""
    var asksDocument = false
    var notFound = false
    var errors: [FormError] = []
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(errors.isEmpty && !notFound ? "Вход по полису ОМС" : "Ошибка: вход по полису ОМС")
        case "next": .optional(next)
        case "policy": .string(policy)
        case "birthDate": .string(birthDate)
        case "document": .string(document)
        case "asksDocument": .bool(asksDocument)
        case "notFound": .bool(notFound)
        case "errors": .list(errors.map { .object($0) })
        case "policyError": .optional(errors.first { $0.field == "policy" }?.message)
        case "birthDateError": .optional(errors.first { $0.field == "birthDate" }?.message)
        case "documentError": .optional(errors.first { $0.field == "document" }?.message)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// The identified patient's start page.
struct MePage: TemplateObject {
    let patient: IdentifiedPatient
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Вы вошли")
        case "name": .string(patient.displayName)
        case "clinics": .list(patient.clinicPatients.keys.sorted().map { .string($0) })
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
