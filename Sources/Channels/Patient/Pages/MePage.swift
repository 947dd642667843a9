import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The identified patient's start page: shortcuts to their clinic, district doctor and cards.
struct MePage: TemplateObject {
    let patient: IdentifiedPatient
    let shortcuts: PatientShortcuts
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Вы вошли")
        case "name": .string(patient.displayName)
        case "attached": .list(shortcuts.attachedClinic.map { [.object(Self.item($0))] } ?? [])
        case "doctors": .list(shortcuts.districtDoctors.map { found in
            .object(ListItem(
                title: found.doctor.name, url: SiteRoute.doctor(clinic: shortcuts.attachedClinic?.id ?? "", doctor: found.doctor.id).path,
                details: [found.specialty.name + (found.doctor.district.map { ", участок № \($0)" } ?? ""), "кабинет \(found.doctor.room)"],
                freeCount: found.doctor.freeCount
            ))
        })
        case "earliest": .list(earliestSpecialties.map { specialty in
            .object(ListItem(title: specialty.name, url: SiteRoute.earliest(specialty: specialty.federalCode).path, details: ["во всех ваших поликлиниках"]))
        })
        case "cardClinics": .list(shortcuts.cardClinics.map { .object(Self.item($0)) })
        case "cardCount": .int(patient.cards.count)
        case "incomplete": .bool(shortcuts.incomplete)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }

    /// The district doctors' specialties, once each: the usual first visit, one click to its earliest time.
    private var earliestSpecialties: [MISSpecialty] {
        var seen: Set<String> = []
        return shortcuts.districtDoctors.map(\.specialty).filter { seen.insert($0.federalCode).inserted }
    }

    private static func item(_ clinic: MISClinic) -> ListItem {
        ListItem(title: clinic.shortName, url: SiteRoute.clinic(clinic.id).path, details: [clinic.address, "тел. " + clinic.phone])
    }
}
