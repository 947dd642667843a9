import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One caller in the results: what tells namesakes apart, side by side.
struct CallerRow: TemplateObject {
    let caller: CallerSearch.Caller
    /// Its place in the results (the form that chooses it sends this, never the caller's data).
    let index: Int
    /// Clinic names by id (the region's reference data).
    let clinicNames: [String: String]

    func templateValue(forKey key: String) -> TemplateValue? {
        let person = caller.person
        return switch key {
        case "name": .string([person.lastName, person.firstName, person.middleName].filter { !$0.isEmpty }.joined(separator: " "))
        case "birthDate": .string(Self.typed(person.birthDate))
        case "sex": .string(person.sex == "female" ? "ж" : "м")
        case "address": .string(person.address)
        case "document": .string(person.maskedDocument)
        case "attachment": person.attachedClinicID.map { clinic in
            .string((clinicNames[clinic] ?? clinic) + (person.attachedDistrict.map { ", участок \($0)" } ?? ""))
        } ?? .string("не прикреплён")
        case "clinics": .string(person.cards.map { clinicNames[$0.clinic] ?? $0.clinic }.joined(separator: "; "))
        case "index": .int(index)
        case "number": .int(index + 1)
        case "accessKey": index < 9 ? .string(String(index + 1)) : .null
        default: nil
        }
    }

    /// `YYYY-MM-DD` as `DD.MM.YYYY`.
    static func typed(_ day: String) -> String {
        let parts = day.split(separator: "-")
        return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : day
    }
}
