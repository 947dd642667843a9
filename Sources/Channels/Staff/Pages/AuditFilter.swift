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
