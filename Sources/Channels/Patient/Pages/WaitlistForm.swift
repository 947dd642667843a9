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
    let from: FormField
    let to: FormField
    let morning: Bool
    let afternoon: Bool
    let anyTime: Bool
    let needsContact: Bool
    let contact: ContactForm
    let errors: [FormError]
    private(set) var csrfToken = ""

    init(clinic: MISClinic, specialty: MISSpecialty, doctor: MISDoctor?, from: String, to: String, partOfDay: WaitlistEntry.PartOfDay? = nil,
         needsContact: Bool, contact: ContactForm = .empty, errors: [FormError] = []) {
        self.clinic = clinic
        self.specialty = specialty
        self.doctor = doctor
        self.from = FormField("from", label: "С какого дня", value: from, errors: errors, input: .date)
        self.to = FormField("to", label: "По какой день", value: to, errors: errors, input: .date)
        morning = partOfDay == .morning
        afternoon = partOfDay == .afternoon
        anyTime = partOfDay == nil
        self.needsContact = needsContact
        self.contact = contact
        self.errors = errors
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
        case "from": .object(from)
        case "to": .object(to)
        case "morning": .bool(morning)
        case "afternoon": .bool(afternoon)
        case "anyTime": .bool(anyTime)
        case "needsContact": .bool(needsContact)
        case "contact": .object(contact)
        case "errors": .list(errors.map { .object($0) })
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
