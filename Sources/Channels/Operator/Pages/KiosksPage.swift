import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The administrator's kiosks page: the kiosks, the form that registers one, and — once, right
/// after registering — the new kiosk's start address with its token.
struct KiosksPage: TemplateObject {
    var name = ""
    var clinicID = ""
    var network = ""
    var errors: [FormError] = []
    var registered: (name: String, address: String)?
    var clinics: [MISClinic] = []
    var kiosks: [KioskRecord] = []
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Информаты")
        case "name": .string(name)
        case "errors": .list(errors.map { .object($0) })
        case "nameError": .optional(errors.first { $0.field == "name" }?.message)
        case "clinicError": .optional(errors.first { $0.field == "clinic" }?.message)
        case "network": .string(network)
        case "networkError": .optional(errors.first { $0.field == "network" }?.message)
        case "registeredName": .optional(registered?.name)
        case "startAddress": .optional(registered?.address)
        case "clinics": .list(clinics.map { .object(SelectOption(value: $0.id, label: $0.shortName, selected: $0.id == clinicID)) })
        case "kiosks": .list(kiosks.map { kiosk in .object(KioskRow(kiosk: kiosk, clinic: clinics.first { $0.id == kiosk.clinicID }?.shortName ?? kiosk.clinicID)) })
        case "action": .string(OperatorRoute.kiosks.path)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
