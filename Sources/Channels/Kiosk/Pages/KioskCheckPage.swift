import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The check page: the time chosen, one confirm button, and the referral's number when the specialty needs one.
struct KioskCheckPage: TemplateObject {
    let chosen: ChosenTimeFields
    let patientName: String
    let requestID: String
    let csrfToken: String
    /// The referral asked for: as typed, and what is wrong with it.
    var referral: (number: String, problem: String?)?
    let backURL: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Проверьте запись")
        case "chosen": .object(chosen)
        case "name": .string(patientName)
        case "confirmation": .object(ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, requestID: requestID, csrfToken: csrfToken))
        case "asksReferral": .bool(referral != nil)
        case "referral": .string(referral?.number ?? "")
        case "referralError": .optional(referral?.problem)
        case "backURL": .string(backURL)
        case "formURL": .string(KioskRoute.book.path)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
