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
    let sequence: Int
    let when: String
    let who: String
    let action: String
    /// The patient's key, shortened: enough to tell lines of one patient from another's.
    let patient: String
    let address: String

    private static let time = try! RussianDateFormat("dd.MM.yyyy HH:mm")

    init(entry: AuditEntry, account: StaffAccount?, zone: TimeZone) {
        self.entry = entry
        sequence = Int(entry.sequence)
        when = Self.time.string(from: entry.at, in: zone)
        who = account.map { "\($0.name) (\($0.login))" } ?? entry.actor
        action = Self.title(of: entry.action)
        patient = entry.patientKey.map { String($0.prefix(12)) } ?? ""
        address = entry.address ?? ""
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "sequence": .int(sequence)
        case "when": .string(when)
        case "who": .string(who)
        case "action": .string(action)
        case "patient": .string(patient)
        case "detail": .string(entry.detail)
        case "address": .string(address)
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
        case .accountAccessChanged: "изменены роль или поликлиники"
        case .staffRefused: "отказ в доступе к разделу"
        case .dayListViewed: "просмотр списка дня"
        case .dayListPrinted: "печать списка дня"
        case .dayListExported: "выгрузка списка дня"
        case .schedulePrinted: "печать расписания врачей"
        case .queueViewed: "просмотр записей, ждущих решения"
        case .reservationConfirmed: "бронь подтверждена"
        case .reservationRefused: "бронь отклонена или запись отменена поликлиникой"
        case .reservationMoved: "запись перенесена поликлиникой"
        case .cardCreated: "карта пациента создана"
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

    /// The lines as a spreadsheet table (`CSVTable`: formulas defused), with the full patient key.
    static func csv(_ rows: [AuditRow]) -> CSVTable {
        CSVTable(header: ["№", "время", "кто", "действие", "ключ пациента", "подробности", "адрес", "хеш"], rows: rows.map { row in
            [.integer(Int(row.entry.sequence)), .text(row.when), .text(row.who), .text(row.action), .text(row.entry.patientKey ?? ""), .text(row.entry.detail),
             .text(row.entry.address ?? ""), .text(row.entry.hash)]
        })
    }
}
