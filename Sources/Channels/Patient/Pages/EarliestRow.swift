import Foundation
import Web
import MISBridge
import RegistryCore
import Templating

/// One free time found: when, who, where, and the link to its check page.
struct EarliestRow: TemplateObject {
    let found: ChosenTime
    let ownDoctor: Bool
    let day: String
    let zoneNote: String
    let url: String

    init(found: ChosenTime, ownDoctor: Bool, now: Date) {
        self.found = found
        self.ownDoctor = ownDoctor
        day = DayName.capitalized(found.start, in: found.zone, now: now)
        zoneNote = ZoneNote.describe(found.timeZone, at: found.start)
        url = SiteRoute.check(clinic: found.clinicID, doctor: found.doctorID, slot: found.slotID, day: found.day).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "start": .date(found.start)
        case "day": .string(day)
        case "timeZone": .string(found.timeZone)
        case "zoneNote": .string(zoneNote)
        case "doctor": .string(found.doctor)
        case "specialty": .string(found.specialty)
        case "room": .string(found.room)
        case "clinic": .string(found.clinic.shortName)
        case "address": .string(found.address)
        case "ownDoctor": .bool(ownDoctor)
        case "url": .string(url)
        default: nil
        }
    }
}
