import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The identification form, with what the patient typed kept.
struct IdentifyPage: TemplateObject {
    let title: String
    let next: String?
    let policy: FormField
    let birthDate: FormField
    let document: FormField
    let asksDocument: Bool
    let notFound: Bool
    /// No clinic answered; the form keeps what was typed for another try.
    let unavailable: Bool
    /// The patient's previous session lapsed after inactivity.
    let sessionEnded: Bool
    let errors: [FormError]
    /// The time being booked, when identification interrupted choosing it: said on the form.
    let chosen: ChosenTime?
    let csrfToken: String

    init(next: String?, typed: TypedIdentity = TypedIdentity(), answer: IdentificationAnswer = .none, sessionEnded: Bool = false, chosen: ChosenTime?, csrfToken: String) {
        title = answer.errors.isEmpty && !answer.notFound && !answer.unavailable ? "Вход по полису ОМС" : "Ошибка: вход по полису ОМС"
        self.next = next
        errors = answer.errors
        policy = FormField("policy", label: "Номер полиса ОМС", hint: "16 цифр единого номера или серия и номер полиса старого образца", value: typed.policy, errors: errors,
                           input: FormField.Input.text.with { $0.autocapitalize = "characters"; $0.spellcheck = false })
        birthDate = FormField("birthDate", label: "Дата рождения", hint: "Например, 05.03.1984", value: typed.birthDate, errors: errors,
                              input: FormField.Input.digits.with { $0.autocomplete = "bday" })
        document = FormField("document", label: "Серия и номер паспорта или свидетельства о рождении", value: typed.document, errors: errors)
        asksDocument = answer.asksDocument(typed)
        notFound = answer.notFound
        unavailable = answer.unavailable
        self.sessionEnded = sessionEnded
        self.chosen = chosen
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "chosen": chosen.map { .object($0) } ?? .null
        case "next": .optional(next)
        case "policy": .object(policy)
        case "birthDate": .object(birthDate)
        case "document": .object(document)
        case "asksDocument": .bool(asksDocument)
        case "notFound": .bool(notFound)
        case "unavailable": .bool(unavailable)
        case "sessionEnded": .bool(sessionEnded)
        case "errors": .list(errors.map { .object($0) })
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
