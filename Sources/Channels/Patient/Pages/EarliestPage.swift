import Foundation
import Web
import MISBridge
import RegistryCore
import Templating

/// The earliest-time search: the choice of specialty (and district for a visitor) and what was found.
struct EarliestPage: TemplateObject {
    let title: String
    let signedIn: Bool
    let districts: [SelectOption]
    let district: String?
    let specialties: [SelectOption]
    /// What the search found, sorted by time; nil before a search.
    let results: [EarliestRow]
    let searched: Bool
    /// Some clinic did not answer: there may be earlier times than these.
    let incomplete: Bool
    let action = SiteRoute.earliest().path

    /// `specialty`: the federal code chosen, if any; `attachment`: the signed-in patient's, to mark their own district doctor;
    /// `now`: the registry's clock, for «сегодня» and «завтра».
    init(specialty: String?, signedIn: Bool, districts: [MISDistrict] = [], district: String? = nil, specialties: [(federalCode: String, name: String)],
         found: [ChosenTime]? = nil, incomplete: Bool = false, attachment: (clinicID: String, district: String?)? = nil, now: Date) {
        title = specialty.flatMap { code in specialties.first { $0.federalCode == code }?.name }.map { "Ближайшее время: \($0)" } ?? "Ближайшее свободное время"
        self.signedIn = signedIn
        self.districts = districts.map { SelectOption(value: $0.id, label: $0.name, selected: $0.id == district) }
        self.district = district
        self.specialties = specialties.map { SelectOption(value: $0.federalCode, label: $0.name, selected: $0.federalCode == specialty) }
        searched = found != nil
        results = (found ?? []).map { time in
            let ownDoctor = attachment.map { time.clinicID == $0.clinicID && $0.district != nil && time.district == $0.district } ?? false
            return EarliestRow(found: time, ownDoctor: ownDoctor, now: now)
        }
        self.incomplete = incomplete
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "action": .string(action)
        case "signedIn": .bool(signedIn)
        case "districts": .list(districts.map { .object($0) })
        case "district": .optional(district)
        case "specialties": .list(specialties.map { .object($0) })
        case "searched": .bool(searched)
        case "incomplete": .bool(incomplete)
        case "results": .list(results.map { .object($0) })
        default: nil
        }
    }
}
