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
    let title: String
    let caller: CallerLine
    let visit: VisitFields
    /// What to bring: the policy and a passport, and the referral if the booking used one.
    let bring: String
    /// The sentence the operator reads out: weekday and date, time, doctor, room, address, ticket, what to bring.
    let readBack: String
    let bookAgainURL = OperatorRoute.bookClinics.path
    let cardURL = OperatorRoute.caller.path

    private static let weekday = try! RussianDateFormat("EEEE, d MMMM")
    private static let time = try! RussianDateFormat("HH:mm")

    init(caller: CallerRecord, entry: LedgerEntry, now: Date) {
        title = (entry.status == .awaiting ? "Заявка принята: " : "Записан: ") + caller.fullName
        self.caller = CallerLine(caller: caller)
        visit = VisitFields(entry)
        bring = "полис ОМС и паспорт" + (entry.referral != nil ? ", направление" : "")
        readBack = Self.readBack(entry, bring: bring, now: now)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(caller)
        case "readBack": .string(readBack)
        case "bring": .string(bring)
        case "bookAgainURL": .string(bookAgainURL)
        case "cardURL": .string(cardURL)
        default: visit.templateValue(forKey: key)
        }
    }

    private static func readBack(_ entry: LedgerEntry, bring: String, now: Date) -> String {
        let zone = TimeZone(identifier: entry.timeZone) ?? .current
        let soon = switch CivilDay.between(now, entry.start, in: zone) {
        case 0: "сегодня, "
        case 1: "завтра, "
        default: ""
        }
        let day = soon + weekday.string(from: entry.start, in: zone)
        let when = day.prefix(1).uppercased() + day.dropFirst() + ", в " + time.string(from: entry.start, in: zone)
        var text = "\(when) — \(entry.specialtyName.lowercased()), \(entry.doctorName), кабинет \(entry.room). \(entry.clinicName), \(entry.clinicAddress)."
        if entry.status == .awaiting {
            text += " Эта поликлиника подтверждает записи сама: время закреплено за вами, о решении сообщим."
        } else if let ticket = entry.ticket {
            text += " Номер талона: \(ticket)."
        }
        text += " Возьмите с собой \(bring) и приходите за 10 минут до приёма."
        return text
    }
}
