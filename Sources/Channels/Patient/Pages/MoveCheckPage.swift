import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// Was and will be — before the one button that moves the booking.
struct MoveCheckPage: TokenCarryingPage {
    let title: String
    let current: TicketRow
    /// The new time; nil when the clinic did not answer and only the choice itself is known.
    let chosen: ChosenTime?
    let timeZone: String
    let zoneNote: String
    let action: String
    let backURL: String
    let ticketURL: String
    private(set) var confirmation: ConfirmationFields
    /// Shown when the clinic did not answer: the same button moves once, however often it is pressed.
    let retryNotice: Bool

    init(entry: LedgerEntry, chosen: ChosenTime?, doctorID: String, slotID: String, requestID: String, retryNotice: Bool = false, csrfToken: String) {
        title = retryNotice ? "Поликлиника не ответила" : "Перенести запись?"
        current = TicketRow(entry: entry)
        self.chosen = chosen
        timeZone = entry.timeZone
        zoneNote = ZoneNote.describe(entry.timeZone, at: entry.start)
        action = SiteRoute.ticketMove(entry.requestID).path
        backURL = SiteRoute.ticketMove(entry.requestID, doctor: doctorID).path
        ticketURL = SiteRoute.ticket(entry.requestID).path
        confirmation = ConfirmationFields(clinicID: nil, doctorID: doctorID, slotID: slotID, requestID: requestID, csrfToken: csrfToken)
        self.retryNotice = retryNotice
    }

    func with(csrfToken: String) -> MoveCheckPage {
        var page = self
        page.confirmation = confirmation.with(csrfToken: csrfToken)
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "current": .object(current)
        case "start": .optional(chosen?.start)
        case "doctor": .optional(chosen?.doctor)
        case "specialty": .optional(chosen?.specialty)
        case "room": .optional(chosen?.room)
        case "timeZone": .string(timeZone)
        case "zoneNote": .string(zoneNote)
        case "action": .string(action)
        case "backURL": .string(backURL)
        case "ticketURL": .string(ticketURL)
        case "confirmation": .object(confirmation)
        case "retryNotice": .bool(retryNotice)
        default: nil
        }
    }
}
