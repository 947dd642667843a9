import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// Check your answers before the one confirm button.
struct CheckPage: TemplateObject {
    let chosen: ChosenTime
    let patientName: String
    let requestID: String
    var csrfToken: String
    var contact = ContactForm(phone: nil, email: nil, consent: false, unicodeMailboxes: false)
    /// Shown when the clinic did not answer the confirmation: the same button books once, however often it is pressed.
    var retryNotice = false
    /// The referral number asked for a specialty open by referral (nil for any other).
    var referral: ReferralField? = nil

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Проверьте запись")
        case "clinic": .object(chosen.clinic)
        case "doctor": .string(chosen.doctor)
        case "specialty": .string(chosen.specialty)
        case "room": .string(chosen.room)
        case "start": .date(chosen.start)
        case "patient": .string(patientName)
        case "confirmation": .object(ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, day: chosen.day, requestID: requestID, csrfToken: csrfToken))
        case "contact": .object(contact)
        case "retryNotice": .bool(retryNotice)
        case "dayURL": .string(SiteRoute.day(clinic: chosen.clinicID, doctor: chosen.doctorID, day: chosen.day).path)
        case "referral": referral.map { .object($0) } ?? .null
        case "errors": .list((referral?.error.map { [$0] } ?? []).map { .object($0) } + contact.errors.map { .object($0) })
        default: nil
        }
    }
}
