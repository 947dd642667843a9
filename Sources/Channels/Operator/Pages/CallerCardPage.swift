import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The caller's card: who they are, where they have cards and are attached, dispensary
/// registrations, their appointments in every clinic (any channel), and their contacts.
struct CallerCardPage: TemplateObject {
    let title: String
    let name: String
    let birthDate: String
    let sex: String
    let address: String
    let document: String
    let attachment: String
    let clinics: String
    let dispensary: String?
    let upcoming: [AppointmentRow]
    let past: [AppointmentRow]
    let unanswered: String?
    let phone: String?
    let email: String?
    let consentByPhone: Bool
    /// The phone form: what was typed, what is wrong with it.
    let phoneField: FormField
    let errors: [FormError]
    /// Just cancelled: the notice at the top.
    let cancelled: Bool
    let contactSaved: Bool
    let csrfToken: String
    let endAction = OperatorRoute.callerEnd.path
    let searchURL = OperatorRoute.home.path
    let bookURL = OperatorRoute.bookClinics.path
    let earliestURL = OperatorRoute.earliest().path
    let contactAction = OperatorRoute.callerContact.path

    init(caller: CallerRecord, view: CallerCard.View, csrfToken: String, cancelled: Bool = false, phoneTyped: String = "", phoneError: String? = nil, contactSaved: Bool = false) {
        let names = Dictionary(view.clinics.map { ($0.id, $0.shortName) }, uniquingKeysWith: { first, _ in first })
        title = "Карточка: \(caller.fullName)"
        name = caller.fullName
        birthDate = DayName.typed(caller.birthDate)
        sex = caller.sex == "female" ? "женский" : "мужской"
        address = caller.address
        document = caller.maskedDocument
        attachment = CallerRow.attachment(clinic: caller.attachedClinicID, district: caller.attachedDistrict, clinicNames: names)
        clinics = caller.cards.keys.sorted().map { names[$0] ?? $0 }.joined(separator: "; ")
        dispensary = view.dispensary.isEmpty ? nil : view.dispensary.joined(separator: ", ")
        upcoming = view.upcoming.map { AppointmentRow(item: $0, moveURL: view.movable["\($0.clinic.id) \($0.appointment.id)"].map { OperatorRoute.move(booking: $0).path }) }
        past = view.past.prefix(20).map { AppointmentRow(item: $0) }
        unanswered = view.unanswered.isEmpty ? nil : view.unanswered.map { names[$0] ?? $0 }.joined(separator: ", ")
        phone = view.phone
        email = view.email
        consentByPhone = view.consentBy?.hasPrefix("operator:") == true
        phoneField = FormField("phone", label: "Мобильный телефон для уведомлений", value: phoneTyped, error: phoneError, input: .phone)
        errors = [phoneField.formError].compactMap { $0 }
        self.cancelled = cancelled
        self.contactSaved = contactSaved
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "name": .string(name)
        case "birthDate": .string(birthDate)
        case "sex": .string(sex)
        case "address": .string(address)
        case "document": .string(document)
        case "attachment": .string(attachment)
        case "clinics": .string(clinics)
        case "dispensary": .optional(dispensary)
        case "upcoming": .list(upcoming.map { .object($0) })
        case "past": .list(past.map { .object($0) })
        case "unanswered": .optional(unanswered)
        case "phone": .optional(phone)
        case "email": .optional(email)
        case "endAction": .string(endAction)
        case "searchURL": .string(searchURL)
        case "bookURL": .string(bookURL)
        case "earliestURL": .string(earliestURL)
        case "csrf": .string(csrfToken)
        case "cancelled": .bool(cancelled)
        case "consentByPhone": .bool(consentByPhone)
        case "contactAction": .string(contactAction)
        case "phoneField": .object(phoneField)
        case "contactSaved": .bool(contactSaved)
        case "errors": .list(errors.map { .object($0) })
        default: nil
        }
    }
}
