import Foundation
import Templating

// The page model as our engine reads it: plain field lookup by switch, no reflection.

extension SlotGridPage: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinic": .object(clinic)
        case "doctor": .object(doctor)
        case "days": .list(days.map { .object($0) })
        case "freeCount": .int(freeCount)
        case "freeLabel": .string(freeLabel)
        case "zone": .string(zone.identifier)
        default: nil
        }
    }
}

extension SlotGridPage.Clinic: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .int(id)
        case "name": .string(name)
        case "shortName": .string(shortName)
        case "address": .string(address)
        case "phone": .string(phone)
        case "zoneLabel": .string(zoneLabel)
        default: nil
        }
    }
}

extension SlotGridPage.Doctor: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .int(id)
        case "name": .string(name)
        case "specialty": .string(specialty)
        case "room": .string(room)
        default: nil
        }
    }
}

extension SlotGridPage.Day: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "iso": .string(iso)
        case "date": .date(date)
        case "label": .string(label)
        case "slots": .list(slots.map { .object($0) })
        case "hasSlots": .bool(hasSlots)
        default: nil
        }
    }
}

extension SlotGridPage.Slot: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .int(id)
        case "start": .date(start)
        case "time": .string(time)
        case "free": .bool(free)
        default: nil
        }
    }
}

/// The top level every page template sees, as in the registry: `site` and `page`.
struct BenchmarkContext: TemplateObject {
    let page: SlotGridPage

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "page": .object(page)
        case "site": .dictionary(["name": "Регистратура", "year": 2026])
        default: nil
        }
    }
}
