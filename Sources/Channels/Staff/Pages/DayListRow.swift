import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One booking of a clinic's day list: its time, doctor, patient, how and by whom it was made, and how it stands.
struct DayListRow: TemplateObject {
    let time: String
    let doctor: String
    let specialty: String
    let room: String
    let ticket: String
    let patient: String
    let birthDate: String
    let phone: String
    let channel: String
    let madeBy: String
    let madeAt: String
    let status: String
    /// `active`, `visited`, `missed` or `cancelled`: how the row is styled.
    let state: String

    private static let clock = try! RussianDateFormat("HH:mm")
    private static let moment = try! RussianDateFormat("dd.MM.yyyy HH:mm")

    /// Who made the booking, by the names the registry knows: its staff accounts and kiosks.
    struct Names {
        let accounts: [String: String]
        let kiosks: [String: String]

        init(accounts: [StaffAccount], kiosks: [KioskRecord]) {
            self.accounts = Dictionary(accounts.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            self.kiosks = Dictionary(kiosks.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        }

        /// The protocol's actor (`patient`, `operator:<account>`, `kiosk:<id>`, the MIS's own) as the front desk reads it.
        func describe(_ actor: String?) -> String {
            guard let actor, !actor.isEmpty else { return "" }
            if actor == "patient" { return "сам пациент" }
            if actor.hasPrefix("operator:") {
                let id = String(actor.dropFirst(9))
                return accounts[id].map { "оператор \($0)" } ?? "оператор \(id)"
            }
            if actor.hasPrefix("kiosk:") {
                let id = String(actor.dropFirst(6))
                return kiosks[id].map { "инфомат «\($0)»" } ?? "инфомат \(id)"
            }
            if actor.hasPrefix("desk:") { return "регистратор \(actor.dropFirst(5))" }
            if actor.hasPrefix("doctor:") { return "врач на приёме" }
            return actor
        }
    }

    init(entry: ClinicDayList.Entry, zone: TimeZone, names: Names, now: Date) {
        let booking = entry.booking
        time = Self.clock.string(from: entry.start, in: zone) + "–" + Self.clock.string(from: entry.end, in: zone)
        doctor = entry.doctor.name
        specialty = entry.doctor.specialtyInPhrase
        room = entry.room
        ticket = booking.ticket ?? ""
        patient = booking.patientName
        birthDate = DayName.typed(booking.birthDate)
        phone = booking.phone ?? ""
        channel = booking.channel.title
        madeBy = names.describe(booking.actor)
        madeAt = Self.moment.string(from: booking.createdAt, in: zone)
        state = booking.status.rawValue
        switch booking.status {
        case .active: status = entry.start > now ? "записан" : "не отмечен"
        case .visited: status = "пришёл"
        case .missed: status = "не пришёл"
        case .reserved: status = "бронь, ждёт подтверждения"
        case .displaced: status = "выпала из расписания: перенести или отменить" + (booking.cancelReason.map { " (\($0))" } ?? "")
        case .cancelled:
            let who = booking.cancelledBy.map { " (\($0.title))" } ?? ""
            let when = booking.cancelledAt.map { " " + Self.moment.string(from: $0, in: zone) } ?? ""
            status = "отменена" + when + who + (booking.cancelReason.map { ": " + $0 } ?? "")
        }
    }

    /// The row as a spreadsheet line, in the order of `DayListRow.csvHeader`.
    var csvCells: [CSVTable.Cell] {
        [time, doctor, specialty, room, ticket, patient, birthDate, phone, channel, madeBy, madeAt, status].map(CSVTable.Cell.text)
    }

    static let csvHeader = ["время", "врач", "специальность", "кабинет", "талон", "пациент", "дата рождения", "телефон", "как записан", "кто записал", "когда записан", "состояние"]

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "time": .string(time)
        case "doctor": .string(doctor)
        case "specialty": .string(specialty)
        case "room": .string(room)
        case "ticket": .string(ticket)
        case "patient": .string(patient)
        case "birthDate": .string(birthDate)
        case "phone": .string(phone)
        case "channel": .string(channel)
        case "madeBy": .string(madeBy)
        case "madeAt": .string(madeAt)
        case "status": .string(status)
        case "state": .string(state)
        default: nil
        }
    }
}
