import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The start screen: the kiosk's clinic and the identification form (policy, birth date, and the
/// identity document when several cards fit).
struct KioskStartPage: TemplateObject {
    let clinicName: String?
    let policy: FormField
    let birthDate: FormField
    let document: FormField
    let asksDocument: Bool
    let errors: [FormError]
    let notFound: Bool
    let unavailable: Bool
    let csrfToken: String
    let links = KioskLinks()

    init(clinicName: String?, typed: TypedIdentity = TypedIdentity(), answer: IdentificationAnswer = .none, csrfToken: String) {
        self.clinicName = clinicName
        errors = answer.errors
        // The first empty field takes the focus: the policy, or the birth date once the policy is in.
        policy = FormField("policy", label: "Номер полиса ОМС", hint: "Поднесите штрихкод полиса к сканеру или наберите 16 цифр", value: typed.policy, errors: errors,
                           input: FormField.Input.digits.with { $0.spellcheck = false; $0.maxLength = 32; $0.keypad = [.number, .scanner]; $0.autofocus = typed.policy.isEmpty; $0.kiosk = true })
        birthDate = FormField("birthDate", label: "Дата рождения", hint: "День, месяц, год — например, 05.03.1984", value: typed.birthDate, errors: errors,
                              input: FormField.Input.digits.with { $0.maxLength = 10; $0.keypad = [.number, .date]; $0.autofocus = !typed.policy.isEmpty; $0.kiosk = true })
        document = FormField("document", label: "Серия и номер паспорта или свидетельства о рождении", value: typed.document, errors: errors,
                             input: FormField.Input.text.with { $0.maxLength = 64; $0.kiosk = true })
        asksDocument = answer.asksDocument(typed)
        notFound = answer.notFound
        unavailable = answer.unavailable
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinic": .optional(clinicName)
        case "policy": .object(policy)
        case "birthDate": .object(birthDate)
        case "document": .object(document)
        case "asksDocument": .bool(asksDocument)
        case "errors": .list(errors.map { .object($0) })
        case "notFound": .bool(notFound)
        case "unavailable": .bool(unavailable)
        case "csrf": .string(csrfToken)
        case "links": .object(links)
        default: nil
        }
    }
}
