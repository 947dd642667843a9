import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// Was and will be — before the one button that moves the booking.
struct MoveCheckPage: TokenCarryingPage {
    let entry: LedgerEntry
    /// The new time; nil when the clinic did not answer and only the choice itself is known.
    let chosen: ChosenTime?
    let doctorID: String
    let slotID: String
    let requestID: String
    /// Shown when the clinic did not answer: the same button moves once, however often it is pressed.
    var retryNotice = false
    var csrfToken: String

    func with(csrfToken: String) -> MoveCheckPage {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(retryNotice ? "Поликлиника не ответила" : "Перенести запись?")
        case "current": .object(TicketRow(entry: entry))
        case "start": chosen.map { .date($0.start) } ?? .null
        case "doctor": .optional(chosen?.doctor)
        case "specialty": .optional(chosen?.specialty)
        case "room": .optional(chosen?.room)
        case "timeZone": .string(entry.timeZone)
        case "zoneNote": .string(ZoneNote.describe(entry.timeZone, at: entry.start))
        case "action": .string(SiteRoute.ticketMove(entry.requestID).path)
        case "backURL": .string(SiteRoute.ticketMove(entry.requestID, doctor: doctorID).path)
        case "ticketURL": .string(SiteRoute.ticket(entry.requestID).path)
        case "confirmation": .object(ConfirmationFields(clinicID: nil, doctorID: doctorID, slotID: slotID, requestID: requestID, csrfToken: csrfToken))
        case "retryNotice": .bool(retryNotice)
        default: nil
        }
    }
}
