import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The check page: the time chosen, one confirm button, and the referral's number when the specialty needs one.
struct KioskCheckPage: TemplateObject {
    let title = "Проверьте запись"
    let chosen: ChosenTimeFields
    let patientName: String
    let confirmation: ConfirmationFields
    /// The referral asked for: as typed, and what is wrong with it.
    let referral: FormField?
    let backURL: String
    let formURL = KioskRoute.book.path
    let links = KioskLinks()

    init(chosen: ChosenTimeFields, patientName: String, requestID: String, csrfToken: String, referral: (number: String, problem: String?)? = nil, backURL: String) {
        self.chosen = chosen
        self.patientName = patientName
        confirmation = ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, requestID: requestID, csrfToken: csrfToken)
        self.referral = referral.map {
            FormField("referral", label: "Номер направления", hint: "К этому врачу записывают по направлению: номер напечатан на бланке", value: $0.number, error: $0.problem,
                      input: FormField.Input.digits.with { $0.maxLength = 32; $0.keypad = [.number, .dash]; $0.autofocus = true; $0.kiosk = true })
        }
        self.backURL = backURL
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "chosen": .object(chosen)
        case "name": .string(patientName)
        case "confirmation": .object(confirmation)
        case "referral": referral.map { .object($0) } ?? .null
        case "backURL": .string(backURL)
        case "formURL": .string(formURL)
        case "links": .object(links)
        default: nil
        }
    }
}
