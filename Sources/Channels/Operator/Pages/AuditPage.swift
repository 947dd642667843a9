import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The audit page: the search form and the lines found.
struct AuditPage: TemplateObject {
    var filter = AuditFilter()
    var rows: [AuditRow]?
    var errors: [FormError] = []
    var accounts: [StaffAccount] = []
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(errors.isEmpty ? "Журнал действий" : "Ошибка: журнал действий")
        case "action": .string(OperatorRoute.audit.path)
        case "exportAction": .string(OperatorRoute.auditExport.path)
        case "accounts": .list(accounts.map { account in .object(SelectOption(value: account.id, label: "\(account.name) (\(account.login))", selected: filter.account == account.id)) })
        case "actions": .list(AuditTrail.Action.allCases.map { .object(SelectOption(value: $0.rawValue, label: AuditRow.title(of: $0.rawValue), selected: filter.action == $0.rawValue)) })
        case "policy": .string(filter.policy)
        case "birthDate": .string(filter.birthDate)
        case "from": .string(filter.from)
        case "until": .string(filter.until)
        case "errors": .list(errors.map { .object($0) })
        case "policyError": .optional(errors.first { $0.field == "policy" }?.message)
        case "birthDateError": .optional(errors.first { $0.field == "birthDate" }?.message)
        case "fromError": .optional(errors.first { $0.field == "from" }?.message)
        case "untilError": .optional(errors.first { $0.field == "until" }?.message)
        case "searched": .bool(rows != nil)
        case "rows": .list((rows ?? []).map { .object($0) })
        case "count": .int(rows?.count ?? 0)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
