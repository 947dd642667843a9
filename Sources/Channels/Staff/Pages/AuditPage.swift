import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The audit page: the search form and the lines found.
struct AuditPage: TemplateObject {
    let title: String
    let accounts: [SelectOption]
    let actions: [SelectOption]
    let policy: FormField
    let birthDate: FormField
    let from: FormField
    let until: FormField
    let errors: [FormError]
    /// Nil before a search.
    let searched: Bool
    let count: Int
    let rows: [AuditRow]
    let action = StaffRoute.audit.path
    let exportAction = StaffRoute.auditExport.path
    let csrfToken: String

    init(filter: AuditFilter = AuditFilter(), rows: [AuditRow]? = nil, errors: [FormError] = [], accounts: [StaffAccount], csrfToken: String) {
        title = errors.isEmpty ? "Журнал действий" : "Ошибка: журнал действий"
        self.accounts = accounts.map { SelectOption(value: $0.id, label: "\($0.name) (\($0.login))", selected: filter.account == $0.id) }
        actions = AuditTrail.Action.allCases.map { SelectOption(value: $0.rawValue, label: AuditRow.title(of: $0.rawValue), selected: filter.action == $0.rawValue) }
        policy = FormField("policy", label: "Полис ОМС", value: filter.policy, errors: errors)
        birthDate = FormField("birthDate", label: "Дата рождения", value: filter.birthDate, errors: errors, input: .digits)
        from = FormField("from", label: "С", value: filter.from, errors: errors, input: .digits)
        until = FormField("until", label: "По", value: filter.until, errors: errors, input: .digits)
        self.errors = errors
        searched = rows != nil
        count = rows?.count ?? 0
        self.rows = rows ?? []
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "action": .string(action)
        case "exportAction": .string(exportAction)
        case "accounts": .list(accounts.map { .object($0) })
        case "actions": .list(actions.map { .object($0) })
        case "policy": .object(policy)
        case "birthDate": .object(birthDate)
        case "from": .object(from)
        case "until": .object(until)
        case "errors": .list(errors.map { .object($0) })
        case "searched": .bool(searched)
        case "rows": .list(rows.map { .object($0) })
        case "count": .int(count)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
