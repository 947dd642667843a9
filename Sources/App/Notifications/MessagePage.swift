import Foundation
import PatientChannel
import Notifications
import Persistence
import Templating
import Web

/// What a message's templates see (`page`): what happened, and the booking it is about.
struct MessagePage: TemplateObject {
    /// What happened, one flag per kind, as the templates ask it (`page.reminder`, `page.moved`…).
    let kinds: [String: TemplateValue]
    let visit: VisitFields
    /// The start of the booking a move replaced.
    let previousStart: Date?
    let ticketURL: String
    /// A reminder's visits that day, soonest first.
    let visits: [VisitFields]

    init(kind: OutboxMessage.Kind, entry: LedgerEntry, previous: LedgerEntry?, ticketURL: String, visits: [LedgerEntry] = []) {
        kinds = [
            "reminder": .bool(kind == .reminder), "booked": .bool(kind == .booked), "moved": .bool(kind == .moved), "cancelled": .bool(kind == .cancelled),
            "clinicCancelled": .bool(kind == .clinicCancelled), "clinicMoved": .bool(kind == .clinicMoved), "awaiting": .bool(kind == .awaiting),
            "clinicConfirmed": .bool(kind == .clinicConfirmed), "clinicRefused": .bool(kind == .clinicRefused), "displaced": .bool(kind == .displaced),
            "visitAhead": .bool(Self.visitAhead(kind) || kind == .reminder),
        ]
        visit = VisitFields(entry)
        previousStart = previous?.start
        self.ticketURL = ticketURL
        self.visits = visits.map(VisitFields.init)
    }

    /// Whether the message tells of a visit that will take place (and carries it for the calendar).
    static func visitAhead(_ kind: OutboxMessage.Kind) -> Bool {
        [.booked, .moved, .clinicMoved, .clinicConfirmed].contains(kind)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "visits": .list(visits.map { .object($0) })
        case "reason": .optional(visit.entry.cancelReason)
        case "previousStart": .optional(previousStart)
        case "ticketURL": .string(ticketURL)
        default: kinds[key] ?? visit.templateValue(forKey: key)
        }
    }
}
