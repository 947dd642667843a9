import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The workstation's start page: the caller search form, and what the last search found.
struct CallerSearchPage: TemplateObject {
    var number = ""
    var kind = CallerSearch.NumberKind.any
    var lastName = ""
    var firstName = ""
    var birthDate = ""
    var errors: [FormError] = []
    /// Nil before a search; the callers found, in order.
    var results: [CallerRow]?
    var more = false
    var unanswered = false
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(errors.isEmpty ? "Поиск пациента" : "Ошибка: поиск пациента")
        case "action": .string(OperatorRoute.search.path)
        case "number": .string(number)
        case "kinds": .list(CallerSearch.NumberKind.allCases.map { .object(SelectOption(value: $0.rawValue, label: $0.title, selected: $0 == kind)) })
        case "lastName": .string(lastName)
        case "firstName": .string(firstName)
        case "birthDate": .string(birthDate)
        case "errors": .list(errors.map { .object($0) })
        case "numberError": .optional(errors.first { $0.field == "number" }?.message)
        case "lastNameError": .optional(errors.first { $0.field == "lastName" }?.message)
        case "firstNameError": .optional(errors.first { $0.field == "firstName" }?.message)
        case "birthDateError": .optional(errors.first { $0.field == "birthDate" }?.message)
        case "searched": .bool(results != nil)
        case "results": .list((results ?? []).map { .object($0) })
        case "chooseAction": .string(OperatorRoute.callerChoose.path)
        case "count": .int(results?.count ?? 0)
        case "more": .bool(more)
        case "unanswered": .bool(unanswered)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

extension CallerSearch.NumberKind {
    /// How the search form names the kind.
    var title: String {
        switch self {
        case .any: "определить по виду"
        case .policy: "полис ОМС"
        case .snils: "СНИЛС"
        case .passport: "паспорт"
        }
    }
}

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
