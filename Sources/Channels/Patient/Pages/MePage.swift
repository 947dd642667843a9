import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The identified patient's start page: shortcuts to their clinic, district doctor and cards.
struct MePage: TemplateObject {
    let title = "Вы вошли"
    let name: String
    let attached: [ListItem]
    let doctors: [ListItem]
    /// The district doctors' specialties, once each: the usual first visit, one click to its earliest time.
    let earliest: [ListItem]
    let cardClinics: [ListItem]
    let cardCount: Int
    let incomplete: Bool
    let csrfToken: String

    init(patient: IdentifiedPatient, shortcuts: PatientShortcuts, csrfToken: String) {
        name = patient.displayName
        attached = shortcuts.attachedClinic.map { [Self.item($0)] } ?? []
        doctors = shortcuts.districtDoctors.map { found in
            ListItem(title: found.doctor.name, url: SiteRoute.doctor(clinic: shortcuts.attachedClinic?.id ?? "", doctor: found.doctor.id).path,
                     details: [found.specialty.name + (found.doctor.district.map { ", участок № \($0)" } ?? ""), "кабинет \(found.doctor.room)"],
                     freeCount: found.doctor.freeCount)
        }
        var seen: Set<String> = []
        earliest = shortcuts.districtDoctors.map(\.specialty).filter { seen.insert($0.federalCode).inserted }.map { specialty in
            ListItem(title: specialty.name, url: SiteRoute.earliest(specialty: specialty.federalCode).path, details: ["во всех ваших поликлиниках"])
        }
        cardClinics = shortcuts.cardClinics.map(Self.item)
        cardCount = patient.cards.count
        incomplete = shortcuts.incomplete
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "name": .string(name)
        case "attached": .list(attached.map { .object($0) })
        case "doctors": .list(doctors.map { .object($0) })
        case "earliest": .list(earliest.map { .object($0) })
        case "cardClinics": .list(cardClinics.map { .object($0) })
        case "cardCount": .int(cardCount)
        case "incomplete": .bool(incomplete)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }

    private static func item(_ clinic: MISClinic) -> ListItem {
        ListItem(title: clinic.shortName, url: SiteRoute.clinic(clinic.id).path, details: [clinic.address, "тел. " + clinic.phone])
    }
}
