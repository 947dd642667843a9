import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Check your answers before the one confirm button.
struct CheckPage: TemplateObject {
    let title = "Проверьте запись"
    let chosen: ChosenTime
    let patientName: String
    let confirmation: ConfirmationFields
    let contact: ContactForm
    /// Shown when the clinic did not answer the confirmation: the same button books once, however often it is pressed.
    let retryNotice: Bool
    /// The referral number asked for a specialty open by referral (nil for any other).
    let referral: FormField?
    let errors: [FormError]
    let dayURL: String

    init(chosen: ChosenTime, patientName: String, requestID: String, csrfToken: String, contact: ContactForm = .empty, retryNotice: Bool = false, referral: ReferralField? = nil) {
        self.chosen = chosen
        self.patientName = patientName
        confirmation = ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, day: chosen.day, requestID: requestID, csrfToken: csrfToken)
        self.contact = contact
        self.retryNotice = retryNotice
        self.referral = referral.map {
            FormField("referral", label: "Номер направления", hint: "К этому специалисту записывают по направлению. Номер напечатан на бланке, например 101-000001.",
                      value: $0.number, error: $0.refusal, errorCode: $0.code, input: FormField.Input.text.with { $0.maxLength = 32; $0.required = true })
        }
        errors = [self.referral?.formError].compactMap { $0 } + contact.errors
        dayURL = SiteRoute.day(clinic: chosen.clinicID, doctor: chosen.doctorID, day: chosen.day).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "clinic": .object(chosen.clinic)
        case "doctor": .string(chosen.doctor)
        case "specialty": .string(chosen.specialty)
        case "room": .string(chosen.room)
        case "start": .date(chosen.start)
        case "patient": .string(patientName)
        case "confirmation": .object(confirmation)
        case "contact": .object(contact)
        case "retryNotice": .bool(retryNotice)
        case "dayURL": .string(dayURL)
        case "referral": referral.map { .object($0) } ?? .null
        case "errors": .list(errors.map { .object($0) })
        default: nil
        }
    }
}
