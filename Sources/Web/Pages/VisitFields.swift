import Foundation
import MISBridge
import Persistence
import Templating

/// A booking's visit as every page and message shows it — ticket, when, to whom, where, and what
/// became of it — read from the ledger's entry. Pages and messages answer their own keys first and
/// the visit's through it, so that one entry reads the same everywhere.
public struct VisitFields: TemplateObject, Sendable {
    public let entry: LedgerEntry
    public let zoneNote: String
    public let cancelled: Bool
    public let moved: Bool
    public let cancelledByClinic: Bool
    /// A reservation the clinic is still to confirm: not yet a ticket.
    public let awaiting: Bool
    /// The clinic closed its time: it will move or cancel it.
    public let displaced: Bool

    public init(_ entry: LedgerEntry) {
        self.entry = entry
        zoneNote = ZoneNote.describe(entry.timeZone, at: entry.start)
        cancelled = entry.status == .cancelled
        moved = entry.status == .moved
        cancelledByClinic = entry.status == .cancelled && entry.cancelledBy == MISChannel.clinic.rawValue
        awaiting = entry.status == .awaiting
        displaced = entry.status == .displaced
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "ticket": .optional(entry.ticket)
        case "start": .date(entry.start)
        case "timeZone": .string(entry.timeZone)
        case "zoneNote": .string(zoneNote)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        case "room": .string(entry.room)
        case "clinicID": .string(entry.clinicID)
        case "clinic": .string(entry.clinicName)
        case "address": .string(entry.clinicAddress)
        case "phone": .string(entry.clinicPhone)
        case "cancelled": .bool(cancelled)
        case "moved": .bool(moved)
        case "cancelledByClinic": .bool(cancelledByClinic)
        case "awaiting": .bool(awaiting)
        case "displaced": .bool(displaced)
        case "cancelReason": .optional(entry.cancelReason)
        default: nil
        }
    }
}
