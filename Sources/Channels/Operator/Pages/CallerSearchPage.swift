import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The workstation's start page: the caller search form, and what the last search found.
struct CallerSearchPage: TemplateObject {
    let title: String
    let number: FormField
    let kinds: [SelectOption]
    let lastName: FormField
    let firstName: FormField
    let birthDate: FormField
    let errors: [FormError]
    /// Nil before a search; the callers found, in order.
    let searched: Bool
    let count: Int
    let results: [CallerRow]
    let more: Bool
    let unanswered: Bool
    let csrfToken: String
    let action = OperatorRoute.search.path
    let chooseAction = OperatorRoute.callerChoose.path

    init(typed: CallerSearchForm = CallerSearchForm(), errors: [FormError] = [], results: [CallerRow]? = nil, more: Bool = false, unanswered: Bool = false, csrfToken: String) {
        title = errors.isEmpty ? "Поиск пациента" : "Ошибка: поиск пациента"
        number = FormField("number", label: "Полис ОМС, СНИЛС или паспорт",
                           hint: "Единый номер полиса (16 цифр) или старый полис, СНИЛС (11 цифр), паспорт (серия и номер)", value: typed.number, errors: errors,
                           input: FormField.Input.text.with { $0.spellcheck = false; $0.autofocus = true; $0.accessKey = "n" })
        kinds = CallerSearch.NumberKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.title, selected: $0 == typed.kind) }
        lastName = FormField("lastName", label: "Фамилия", value: typed.lastName, errors: errors)
        firstName = FormField("firstName", label: "Имя", value: typed.firstName, errors: errors)
        birthDate = FormField("birthDate", label: "Дата рождения", value: typed.birthDate, errors: errors, input: .digits)
        self.errors = errors
        searched = results != nil
        count = results?.count ?? 0
        self.results = results ?? []
        self.more = more
        self.unanswered = unanswered
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "action": .string(action)
        case "number": .object(number)
        case "kinds": .list(kinds.map { .object($0) })
        case "lastName": .object(lastName)
        case "firstName": .object(firstName)
        case "birthDate": .object(birthDate)
        case "errors": .list(errors.map { .object($0) })
        case "searched": .bool(searched)
        case "results": .list(results.map { .object($0) })
        case "chooseAction": .string(chooseAction)
        case "count": .int(count)
        case "more": .bool(more)
        case "unanswered": .bool(unanswered)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
