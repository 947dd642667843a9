import Booking
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

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
