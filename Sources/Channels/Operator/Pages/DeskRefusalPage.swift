import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// A booking the rules or the MIS refused, explained for the operator, with other times.
struct DeskRefusalPage: TemplateObject {
    /// The page for what the desk answered instead of a booking (or move): refused, with the
    /// doctor's other times leading to `timeURL`; not found; the clinic not answering.
    static func respond(to outcome: BookingDesk.Outcome, caller: CallerRecord, rules: BookingRules, timeURL: (MISSlot) -> String, doctorURL: String,
                        zone fallback: String, pages: PageRenderer, viewer: PageViewer) throws -> Response {
        try outcome.response { refusal, alternatives, zone in
            let page = DeskRefusalPage(caller: caller, code: refusal.code.rawValue, explanation: RefusalTexts.explanation(refusal.code, for: .staff, rules: rules),
                                       alternatives: alternatives.map { TimeLink(slot: $0, url: timeURL($0)) }, timeZone: zone?.identifier ?? fallback, doctorURL: doctorURL)
            return try pages.render("pages/operator/book-refusal", for: viewer, page: page, status: .conflict, caching: .personal)
        }
    }

    let title = "Записать нельзя"
    let caller: CallerLine
    let code: String
    let explanation: String
    let alternatives: [TimeLink]
    let timeZone: String
    let doctorURL: String

    init(caller: CallerRecord, code: String, explanation: String, alternatives: [TimeLink], timeZone: String, doctorURL: String) {
        self.caller = CallerLine(caller: caller)
        self.code = code
        self.explanation = explanation
        self.alternatives = alternatives
        self.timeZone = timeZone
        self.doctorURL = doctorURL
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "caller": .object(caller)
        case "code": .string(code)
        case "explanation": .string(explanation)
        case "alternatives": .list(alternatives.map { .object($0) })
        case "timeZone": .string(timeZone)
        case "doctorURL": .string(doctorURL)
        default: nil
        }
    }
}
