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
    let title: String
    let caller: CallerLine
    let chosen: ChosenTimeFields
    let refusal: String?
    let refusalCode: String?
    let confirmation: ConfirmationFields
    /// When moving: the booking that moves (its request id goes with the form), and the reason asked for.
    let moving: VisitFields?
    let booking: String?
    let reason: FormField
    /// A specialty open by referral: the number asked for, as typed, and what is wrong with it.
    let referral: FormField?
    let errors: [FormError]
    let action: String
    let doctorURL: String

    init(caller: CallerRecord, chosen: ChosenTimeFields, refusal: String?, refusalCode: String?, requestID: String, csrfToken: String,
         moving: LedgerEntry? = nil, reasonMissing: Bool = false, referral: (number: String, error: String?)? = nil) {
        title = refusal != nil ? (moving == nil ? "Записать нельзя" : "Перенести нельзя") : moving == nil ? "Проверка записи" : "Проверка переноса"
        self.caller = CallerLine(caller: caller)
        self.chosen = chosen
        self.refusal = refusal
        self.refusalCode = refusalCode
        confirmation = ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, requestID: requestID, csrfToken: csrfToken)
        self.moving = moving.map(VisitFields.init)
        booking = moving?.requestID
        let reasonError: String? = reasonMissing ? "Запишите причину переноса со слов пациента." : nil
        reason = FormField("reason", label: "Причина переноса со слов пациента", error: reasonError, input: FormField.Input.text.with { $0.autofocus = true })
        self.referral = referral.map {
            FormField("referral", label: "Номер направления", hint: "К этому специалисту записывают по направлению: спросите номер, он напечатан на бланке",
                      value: $0.number, error: $0.error, input: FormField.Input.text.with { $0.autofocus = true })
        }
        errors = [reason, self.referral].compactMap { $0?.formError }
        action = moving == nil ? OperatorRoute.book.path : OperatorRoute.movePost.path
        doctorURL = moving.map { OperatorRoute.move(booking: $0.requestID, doctor: chosen.doctorID).path } ?? OperatorRoute.bookDoctor(clinic: chosen.clinicID, doctor: chosen.doctorID).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "moving": moving.map { .object($0) } ?? .null
        case "booking": .optional(booking)
        case "reason": .object(reason)
        case "referral": referral.map { .object($0) } ?? .null
        case "errors": .list(errors.map { .object($0) })
        case "caller": .object(caller)
        case "chosen": .object(chosen)
        case "refusal": .optional(refusal)
        case "refusalCode": .optional(refusalCode)
        case "confirmation": .object(confirmation)
        case "action": .string(action)
        case "doctorURL": .string(doctorURL)
        default: nil
        }
    }
}
