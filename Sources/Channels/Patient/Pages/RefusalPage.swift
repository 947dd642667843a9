import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Why the booking did not happen, what to do, and the nearest other times.
struct RefusalPage: TemplateObject {
    let refusal: Refusal
    /// The rules in force, whose figures the explanation names.
    let rules: BookingRules
    let clinicID: String
    let doctorID: String
    let alternatives: [MISSlot]
    /// The clinic's zone, for the alternatives' times.
    let zone: TimeZone?
    /// Where the alternatives' buttons lead: a new booking's check page, or a move's.
    var alternativesAction = SiteRoute.book.path
    var heading = "Записаться не получилось"
    /// The "whole schedule" link: the doctor's page unless the refusal came from elsewhere (a move).
    var scheduleURL: String? = nil
    /// The patient's booking that stands in the way (one per specialty a day), to open or move here.
    var conflict: LedgerEntry? = nil
    /// Moving `conflict` to the time refused, when that is a move the desk allows (same clinic).
    var moveHereURL: String? = nil

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(heading)
        case "alternativesAction": .string(alternativesAction)
        case "conflict": conflict.map { .object(TicketRow(entry: $0)) } ?? .null
        case "moveHereURL": .optional(moveHereURL)
        case "notAttached": .bool(refusal.code == .notAttached)
        case "code": .string(refusal.code.rawValue)
        case "explanation": .string(RefusalTexts.explanation(refusal.code, for: .patient, rules: rules))
        case "clinicID": .string(clinicID)
        case "doctorID": .string(doctorID)
        case "doctorURL": .string(scheduleURL ?? SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path)
        case "alternatives": .list(alternatives.map { .object(SlotChoice(slot: $0)) })
        case "timeZone": .string(zone?.identifier ?? "Europe/Moscow")
        default: nil
        }
    }
}
