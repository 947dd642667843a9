import Booking
import Foundation
import Web
import MISBridge
import Persistence
import Templating
import RegistryCore

/// The clinic did not answer the confirmation: the same confirmation again, once it is back.
struct RetryPage: TemplateObject {
    let clinicID: String
    let doctorID: String
    let slotID: String
    let requestID: String
    let contact: ContactForm
    /// The referral number typed, sent again with the retry (the attempt may not have kept it).
    var referral: String? = nil
    /// The ledger's record of the attempt, when it got as far as the clinic.
    let attempt: LedgerEntry?
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Поликлиника не ответила")
        case "confirmation": .object(ConfirmationFields(clinicID: clinicID, doctorID: doctorID, slotID: slotID, requestID: requestID, csrfToken: csrfToken))
        case "contact": .object(contact)
        case "referral": .optional(referral ?? attempt?.referral)
        case "attempt": attempt.map { .object(TicketPage(entry: $0)) } ?? .null
        case "doctorURL": .string(SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path)
        default: nil
        }
    }
}
