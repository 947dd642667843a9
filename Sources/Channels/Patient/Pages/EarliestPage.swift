import Foundation
import Web
import MISBridge
import RegistryCore
import Templating

/// The earliest-time search: the choice of specialty (and district for a visitor) and what was found.
struct EarliestPage: TemplateObject {
    /// The federal code chosen, if any.
    let specialty: String?
    let signedIn: Bool
    var districts: [MISDistrict] = []
    var district: String?
    var specialties: [(federalCode: String, name: String)] = []
    /// What the search found, sorted by time; nil before a search.
    var found: [ChosenTime]?
    /// Some clinic did not answer: there may be earlier times than these.
    var incomplete = false
    /// The signed-in patient's attachment, to mark their own district doctor.
    var attachment: (clinicID: String, district: String?)?
    /// The registry's clock, for «сегодня» and «завтра».
    var now = Date()

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(specialtyName.map { "Ближайшее время: \($0)" } ?? "Ближайшее свободное время")
        case "action": .string(SiteRoute.earliest().path)
        case "signedIn": .bool(signedIn)
        case "districts": .list(districts.map { district in .object(SelectOption(value: district.id, label: district.name, selected: district.id == self.district)) })
        case "district": .optional(district)
        case "specialties": .list(specialties.map { .object(SelectOption(value: $0.federalCode, label: $0.name, selected: $0.federalCode == specialty)) })
        case "searched": .bool(found != nil)
        case "incomplete": .bool(incomplete)
        case "results": .list((found ?? []).map { .object(EarliestRow(found: $0, ownDoctor: isOwnDoctor($0), now: now)) })
        default: nil
        }
    }

    private var specialtyName: String? {
        specialty.flatMap { code in specialties.first { $0.federalCode == code }?.name }
    }

    private func isOwnDoctor(_ found: ChosenTime) -> Bool {
        guard let attachment, let district = attachment.district else { return false }
        return found.clinicID == attachment.clinicID && found.district == district
    }
}
