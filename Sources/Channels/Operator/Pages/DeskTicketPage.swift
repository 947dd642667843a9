import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The booking made: a text to read aloud to the caller, and a printable ticket.
struct DeskTicketPage: TemplateObject {
    let caller: CallerRecord
    let entry: LedgerEntry
    let now: Date

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Записан: \(caller.fullName)")
        case "caller": .object(CallerLine(caller: caller))
        case "readBack": .string(readBack)
        case "bring": .string(bring)
        case "bookAgainURL": .string(OperatorRoute.bookClinics.path)
        case "cardURL": .string(OperatorRoute.caller.path)
        default: VisitFields(entry).templateValue(forKey: key)
        }
    }

    /// What to bring: the policy and a passport, and the referral if the booking used one.
    var bring: String {
        "полис ОМС и паспорт" + (entry.referral != nil ? ", направление" : "")
    }

    private static let weekday = try! RussianDateFormat("EEEE, d MMMM")
    private static let time = try! RussianDateFormat("HH:mm")

    /// The sentence the operator reads out: weekday and date, time, doctor, room, address, ticket, what to bring.
    var readBack: String {
        let zone = TimeZone(identifier: entry.timeZone) ?? .current
        let soon = switch CivilDay.between(now, entry.start, in: zone) {
        case 0: "сегодня, "
        case 1: "завтра, "
        default: ""
        }
        let day = soon + Self.weekday.string(from: entry.start, in: zone)
        let when = day.prefix(1).uppercased() + day.dropFirst() + ", в " + Self.time.string(from: entry.start, in: zone)
        var text = "\(when) — \(entry.specialtyName.lowercased()), \(entry.doctorName), кабинет \(entry.room). \(entry.clinicName), \(entry.clinicAddress)."
        if let ticket = entry.ticket { text += " Номер талона: \(ticket)." }
        text += " Возьмите с собой \(bring) и приходите за 10 минут до приёма."
        return text
    }
}
