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
