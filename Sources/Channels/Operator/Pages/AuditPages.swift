import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// What a supervisor asks of the audit trail, as typed.
struct AuditFilter {
    var account = ""
    var policy = ""
    var birthDate = ""
    var action = ""
    var from = ""
    var until = ""

    init() {}

    init(form: FormParameters) {
        account = String((form["account"] ?? "").prefix(64))
        policy = String((form["policy"] ?? "").prefix(40))
        birthDate = String((form["birthDate"] ?? "").prefix(30))
        action = String((form["action"] ?? "").prefix(40))
        from = String((form["from"] ?? "").prefix(30))
        until = String((form["until"] ?? "").prefix(30))
    }

    /// The store's query, or the first field that cannot be read.
    func query(today: String, zone: TimeZone) -> Result<AuditQuery, FormError> {
        var query = AuditQuery(limit: 1_000)
        if !account.isEmpty { query.actor = "account:" + account }
        if !policy.isEmpty || !birthDate.isEmpty {
            guard let number = try? PolicyNumber(parsing: policy) else { return .failure(FormError(field: "policy", message: "Укажите номер полиса пациента (16 цифр или серию и номер).")) }
            guard let day = BirthDate.parse(birthDate, today: today) else { return .failure(FormError(field: "birthDate", message: "Укажите дату рождения пациента, например 05.03.1984.")) }
            query.patientKey = AppDatabase.patientKey(policy: number.protocolValue, birthDate: day)
        }
        if !action.isEmpty { query.action = action }
        if !from.isEmpty {
            guard let day = BirthDate.parse(from, today: "9999-12-31"), let start = Self.start(of: day, zone: zone) else { return .failure(FormError(field: "from", message: "Укажите дату начала, например 01.12.2026.")) }
            query.from = start
        }
        if !until.isEmpty {
            guard let day = BirthDate.parse(until, today: "9999-12-31"), let start = Self.start(of: day, zone: zone) else { return .failure(FormError(field: "until", message: "Укажите дату конца, например 31.12.2026.")) }
            query.until = start.addingTimeInterval(86_400)
        }
        return .success(query)
    }

    static func start(of day: String, zone: TimeZone) -> Date? {
        ProtocolTime.date(from: day + "T00:00:00Z").map { $0.addingTimeInterval(-Double(zone.secondsFromGMT(for: $0))) }
    }
}

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

/// One line of the trail as a supervisor reads it.
struct AuditRow: TemplateObject {
    let entry: AuditEntry
    let account: StaffAccount?
    let zone: TimeZone

    private static let time = try! RussianDateFormat("dd.MM.yyyy HH:mm")

    var when: String { Self.time.string(from: entry.at, in: zone) }
    var who: String { account.map { "\($0.name) (\($0.login))" } ?? entry.actor }
    /// The patient's key, shortened: enough to tell lines of one patient from another's.
    var patient: String { entry.patientKey.map { String($0.prefix(12)) } ?? "" }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "sequence": .int(Int(entry.sequence))
        case "when": .string(when)
        case "who": .string(who)
        case "action": .string(Self.title(of: entry.action))
        case "patient": .string(patient)
        case "detail": .string(entry.detail)
        case "address": .string(entry.address ?? "")
        default: nil
        }
    }

    static func title(of action: String) -> String {
        switch AuditTrail.Action(rawValue: action) {
        case .signedIn: "вход"
        case .signInFailed: "неудачный вход"
        case .signInThrottled: "попытки входа отклонены без проверки"
        case .signedOut: "выход"
        case .passwordChanged: "смена пароля"
        case .accountCreated: "учётная запись создана"
        case .accountDisabled: "учётная запись отключена"
        case .accountEnabled: "учётная запись включена"
        case .passwordReset: "выдан временный пароль"
        case .patientSearch: "поиск пациента"
        case .patientShown: "пациент в результатах поиска"
        case .patientCardViewed: "просмотр карточки"
        case .booked: "запись на приём"
        case .cancelled: "отмена записи"
        case .moved: "перенос записи"
        case .contactsChanged: "контакты изменены"
        case .auditSearched: "поиск в журнале"
        case .auditExported: "выгрузка журнала"
        case .kioskRegistered: "информат зарегистрирован"
        case .kioskRevoked: "информат отключён"
        case .kioskRefusedElsewhere: "пропуск информата с чужого адреса"
        case nil: action
        }
    }

    /// The lines as CSV (RFC 4180; `;`-separated, as Russian spreadsheets expect), with the full patient key.
    /// A cell starting with `=`, `+`, `-` or `@` is prefixed with `'`, so that no spreadsheet runs it as a formula.
    static func csv(_ rows: [AuditRow]) -> String {
        func cell(_ text: String) -> String {
            var text = text
            if let first = text.first, "=+-@".contains(first) { text = "'" + text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let header = ["№", "время", "кто", "действие", "ключ пациента", "подробности", "адрес", "хеш"].map(cell).joined(separator: ";")
        let lines = rows.map { row in
            [String(row.entry.sequence), row.when, row.who, title(of: row.entry.action), row.entry.patientKey ?? "", row.entry.detail, row.entry.address ?? "", row.entry.hash]
                .map(cell).joined(separator: ";")
        }
        return ([header] + lines).joined(separator: "\r\n") + "\r\n"
    }
}
