import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One caller in the results: what tells namesakes apart, side by side.
struct CallerRow: TemplateObject {
    let name: String
    let birthDate: String
    let sex: String
    let address: String
    let document: String
    let attachment: String
    let clinics: String
    /// Its place in the results (the form that chooses it sends this, never the caller's data).
    let index: Int
    let accessKey: String?

    /// `clinicNames`: clinic names by id (the region's reference data).
    init(caller: CallerSearch.Caller, index: Int, clinicNames: [String: String]) {
        let person = caller.person
        name = [person.lastName, person.firstName, person.middleName].filter { !$0.isEmpty }.joined(separator: " ")
        birthDate = DayName.typed(person.birthDate)
        sex = person.sex == "female" ? "ж" : "м"
        address = person.address
        document = person.maskedDocument
        attachment = Self.attachment(clinic: person.attachedClinicID, district: person.attachedDistrict, clinicNames: clinicNames)
        clinics = person.cards.map { clinicNames[$0.clinic] ?? $0.clinic }.joined(separator: "; ")
        self.index = index
        accessKey = index < 9 ? String(index + 1) : nil
    }

    /// Where a person is attached, as the workstation says it: «Поликлиника № 1, участок 3» or «не прикреплён».
    static func attachment(clinic: String?, district: String?, clinicNames: [String: String]) -> String {
        clinic.map { (clinicNames[$0] ?? $0) + (district.map { ", участок \($0)" } ?? "") } ?? "не прикреплён"
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "birthDate": .string(birthDate)
        case "sex": .string(sex)
        case "address": .string(address)
        case "document": .string(document)
        case "attachment": .string(attachment)
        case "clinics": .string(clinics)
        case "index": .int(index)
        case "accessKey": .optional(accessKey)
        default: nil
        }
    }
}
