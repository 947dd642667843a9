import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The check page: what will be booked (or what a booking moves to), and whether the rules allow it.
struct DeskCheckPage: TemplateObject {
    let caller: CallerRecord
    let chosen: ChosenTimeFields
    let refusal: String?
    let refusalCode: String?
    let requestID: String
    let csrfToken: String
    /// When moving: the booking that moves (its request id goes with the form), and the reason asked for.
    var moving: LedgerEntry?
    var reasonMissing = false
    /// A specialty open by referral: the number asked for, as typed, and what is wrong with it.
    var referral: (number: String, error: String?)?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(refusal != nil ? (moving == nil ? "Записать нельзя" : "Перенести нельзя") : moving == nil ? "Проверка записи" : "Проверка переноса")
        case "moving": moving.map { .object(VisitFields($0)) } ?? .null
        case "booking": .optional(moving?.requestID)
        case "reasonError": reasonMissing ? .string("Запишите причину переноса со слов пациента.") : .null
        case "asksReferral": .bool(referral != nil)
        case "referralNumber": .string(referral?.number ?? "")
        case "referralError": .optional(referral?.error)
        case "errors":
            if reasonMissing { .list([.object(FormError(field: "reason", message: "Запишите причину переноса со слов пациента."))]) }
            else if let error = referral?.error { .list([.object(FormError(field: "referral", message: error))]) }
            else { .list([]) }
        case "caller": .object(CallerLine(caller: caller))
        case "chosen": .object(chosen)
        case "refusal": .optional(refusal)
        case "refusalCode": .optional(refusalCode)
        case "confirmation": .object(ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, requestID: requestID, csrfToken: csrfToken))
        case "action": .string(moving == nil ? OperatorRoute.book.path : OperatorRoute.movePost.path)
        case "doctorURL": .string(moving.map { OperatorRoute.move(booking: $0.requestID, doctor: chosen.doctorID).path } ?? OperatorRoute.bookDoctor(clinic: chosen.clinicID, doctor: chosen.doctorID).path)
        default: nil
        }
    }
}
