import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Why the booking did not happen, what to do, and the nearest other times.
struct RefusalPage: TemplateObject {
    let title: String
    let code: String
    let explanation: String
    let notAttached: Bool
    let clinicID: String
    let doctorID: String
    let doctorURL: String
    let alternatives: [SlotChoice]
    /// The clinic's zone, for the alternatives' times.
    let timeZone: String
    /// Where the alternatives' buttons lead: a new booking's check page, or a move's.
    let alternativesAction: String
    /// The patient's booking that stands in the way (one per specialty a day), to open or move here.
    let conflict: TicketRow?
    /// Moving `conflict` to the time refused, when that is a move the desk allows (same clinic).
    let moveHereURL: String?

    /// `rules`: the rules in force, whose figures the explanation names; `scheduleURL`: the "whole schedule" link,
    /// the doctor's page unless the refusal came from elsewhere (a move).
    init(refusal: Refusal, rules: BookingRules, clinicID: String, doctorID: String, alternatives: [MISSlot], zone: TimeZone?,
         alternativesAction: String = SiteRoute.book.path, heading: String = "Записаться не получилось", scheduleURL: String? = nil,
         conflict: LedgerEntry? = nil, moveHereURL: String? = nil) {
        title = heading
        code = refusal.code.rawValue
        explanation = RefusalTexts.explanation(refusal.code, for: .patient, rules: rules)
        notAttached = refusal.code == .notAttached
        self.clinicID = clinicID
        self.doctorID = doctorID
        doctorURL = scheduleURL ?? SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path
        self.alternatives = alternatives.map(SlotChoice.init)
        timeZone = zone?.identifier ?? "Europe/Moscow"
        self.alternativesAction = alternativesAction
        self.conflict = conflict.map(TicketRow.init)
        self.moveHereURL = moveHereURL
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "alternativesAction": .string(alternativesAction)
        case "conflict": conflict.map { .object($0) } ?? .null
        case "moveHereURL": .optional(moveHereURL)
        case "notAttached": .bool(notAttached)
        case "code": .string(code)
        case "explanation": .string(explanation)
        case "clinicID": .string(clinicID)
        case "doctorID": .string(doctorID)
        case "doctorURL": .string(doctorURL)
        case "alternatives": .list(alternatives.map { .object($0) })
        case "timeZone": .string(timeZone)
        default: nil
        }
    }
}
