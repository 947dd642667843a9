import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// Joining the waiting list: what for, between which days, which part of the day, and the contact
/// an offer will go to when the patient has none yet.
struct WaitlistForm: TokenCarryingPage {
    let clinic: MISClinic
    let specialty: MISSpecialty
    let doctor: MISDoctor?
    var from: String
    var to: String
    var partOfDay: WaitlistEntry.PartOfDay?
    var needsContact = false
    var contact = ContactForm(phone: nil, email: nil, consent: false, unicodeMailboxes: false)
    var errors: [FormError] = []
    var csrfToken = ""

    init(clinic: MISClinic, specialty: MISSpecialty, doctor: MISDoctor?, from: String, to: String) {
        self.clinic = clinic
        self.specialty = specialty
        self.doctor = doctor
        self.from = from
        self.to = to
    }

    func with(csrfToken: String) -> WaitlistForm {
        var page = self
        page.csrfToken = csrfToken
        return page
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinicID": .string(clinic.id)
        case "clinic": .string(clinic.shortName)
        case "specialtyID": .string(specialty.id)
        case "specialty": .string(specialty.name)
        case "doctorID": .optional(doctor?.id)
        case "doctor": .optional(doctor?.name)
        case "from": .string(from)
        case "to": .string(to)
        case "morning": .bool(partOfDay == .morning)
        case "afternoon": .bool(partOfDay == .afternoon)
        case "anyTime": .bool(partOfDay == nil)
        case "needsContact": .bool(needsContact)
        case "contact": .object(contact)
        case "errors": .list(errors.map { .object($0) })
        case "fromError": .optional(errors.first { $0.field == "from" }?.message)
        case "toError": .optional(errors.first { $0.field == "to" }?.message)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
