import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The clinic did not answer the confirmation: the same confirmation again, once it is back.
struct RetryPage: TemplateObject {
    let title = "Поликлиника не ответила"
    let confirmation: ConfirmationFields
    let contact: ContactForm
    /// The referral number typed, sent again with the retry (the attempt may not have kept it).
    let referral: String?
    /// The ledger's record of the attempt, when it got as far as the clinic.
    let attempt: TicketPage?
    let doctorURL: String

    init(clinicID: String, doctorID: String, slotID: String, requestID: String, contact: ContactForm, referral: String? = nil, attempt: LedgerEntry?, csrfToken: String) {
        confirmation = ConfirmationFields(clinicID: clinicID, doctorID: doctorID, slotID: slotID, requestID: requestID, csrfToken: csrfToken)
        self.contact = contact
        self.referral = referral ?? attempt?.referral
        self.attempt = attempt.map { TicketPage(entry: $0) }
        doctorURL = SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "confirmation": .object(confirmation)
        case "contact": .object(contact)
        case "referral": .optional(referral)
        case "attempt": attempt.map { .object($0) } ?? .null
        case "doctorURL": .string(doctorURL)
        default: nil
        }
    }
}
