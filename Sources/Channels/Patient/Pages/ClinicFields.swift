import Foundation
import Web
import MISBridge
import Templating

/// A clinic as templates read it.
struct ClinicFields: TemplateObject {
    let clinic: MISClinic

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(clinic.fullName)
        case "shortName": .string(clinic.shortName)
        case "address": .string(clinic.address)
        case "phone": .string(clinic.phone)
        case "phoneLink": .string("tel:" + clinic.phone.filter { $0.isNumber || $0 == "+" })
        case "timeZone": .string(clinic.timeZone)
        case "zoneNote": .string(ZoneNote.describe(clinic.timeZone, at: Date()))
        default: nil
        }
    }
}
