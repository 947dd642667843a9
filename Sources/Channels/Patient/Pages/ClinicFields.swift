import Foundation
import Web
import MISBridge
import Templating

/// A clinic as templates read it.
struct ClinicFields: TemplateObject {
    let clinic: MISClinic
    let shortName: String
    /// The phone as a `tel:` link dials it.
    let phoneLink: String
    /// Whether the clinic's clock differs from Moscow's, said beside its times.
    let zoneNote: String

    init(clinic: MISClinic, now: Date = Date()) {
        self.clinic = clinic
        shortName = clinic.shortName
        phoneLink = "tel:" + clinic.phone.filter { $0.isNumber || $0 == "+" }
        zoneNote = ZoneNote.describe(clinic.timeZone, at: now)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(clinic.fullName)
        case "shortName": .string(shortName)
        case "address": .string(clinic.address)
        case "phone": .string(clinic.phone)
        case "phoneLink": .string(phoneLink)
        case "timeZone": .string(clinic.timeZone)
        case "zoneNote": .string(zoneNote)
        default: nil
        }
    }
}
