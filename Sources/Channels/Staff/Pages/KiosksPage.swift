import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The administrator's kiosks page: the kiosks, the form that registers one, and — once, right
/// after registering — the new kiosk's start address with its token.
struct KiosksPage: TemplateObject {
    /// What the administrator typed into the form that registers a kiosk.
    struct Entered {
        var name = ""
        var clinicID = ""
        var network = ""
    }

    let title = "Информаты"
    let name: FormField
    let network: FormField
    let clinics: [SelectOption]
    let clinicError: String?
    let errors: [FormError]
    let registered: (name: String, address: String)?
    let kiosks: [KioskRow]
    let csrfToken: String
    let action = StaffRoute.kiosks.path

    init(entered: Entered = Entered(), errors: [FormError] = [], registered: (name: String, address: String)? = nil, clinics: [MISClinic], kiosks: [KioskRecord], csrfToken: String) {
        name = FormField("name", label: "Где стоит", hint: "Например, «Холл, 1 этаж»", value: entered.name, errors: errors,
                         input: FormField.Input.text.with { $0.maxLength = 80 })
        network = FormField("network", label: "Сеть информата", labelNote: "(необязательно)",
                            hint: "Адрес информата (10.20.0.15) или сеть холла (10.20.0.0/24): с других адресов его пропуск не примут, а каждую такую попытку запишут в журнал",
                            value: entered.network, errors: errors, input: FormField.Input.text.with { $0.spellcheck = false; $0.maxLength = 64 })
        self.clinics = clinics.map { SelectOption(value: $0.id, label: $0.shortName, selected: $0.id == entered.clinicID) }
        clinicError = errors.first { $0.field == "clinic" }?.message
        self.errors = errors
        self.registered = registered
        let names = Dictionary(clinics.map { ($0.id, $0.shortName) }, uniquingKeysWith: { first, _ in first })
        self.kiosks = kiosks.map { KioskRow(kiosk: $0, clinic: names[$0.clinicID] ?? $0.clinicID) }
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "name": .object(name)
        case "network": .object(network)
        case "errors": .list(errors.map { .object($0) })
        case "clinicError": .optional(clinicError)
        case "registeredName": .optional(registered?.name)
        case "startAddress": .optional(registered?.address)
        case "clinics": .list(clinics.map { .object($0) })
        case "kiosks": .list(kiosks.map { .object($0) })
        case "action": .string(action)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
