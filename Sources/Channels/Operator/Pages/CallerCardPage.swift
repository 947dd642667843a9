import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// The caller's card: who they are, where they have cards and are attached, dispensary
/// registrations, their appointments in every clinic (any channel), and their contacts.
struct CallerCardPage: TemplateObject {
    let caller: CallerRecord
    let view: CallerCard.View
    let csrfToken: String
    /// Just cancelled: the notice at the top.
    var cancelled = false
    /// What was typed into the phone form, and what is wrong with it.
    var phoneTyped = ""
    var phoneError: String?
    var contactSaved = false
    /// Clinic names by id, as the card's clinics give them.
    private let names: [String: String]

    init(caller: CallerRecord, view: CallerCard.View, csrfToken: String, cancelled: Bool = false, phoneTyped: String = "", phoneError: String? = nil, contactSaved: Bool = false) {
        self.caller = caller
        self.view = view
        self.csrfToken = csrfToken
        self.cancelled = cancelled
        self.phoneTyped = phoneTyped
        self.phoneError = phoneError
        self.contactSaved = contactSaved
        names = Dictionary(view.clinics.map { ($0.id, $0.shortName) }, uniquingKeysWith: { first, _ in first })
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Карточка: \(caller.fullName)")
        case "name": .string(caller.fullName)
        case "birthDate": .string(CallerRow.typed(caller.birthDate))
        case "sex": .string(caller.sex == "female" ? "женский" : "мужской")
        case "address": .string(caller.address)
        case "document": .string(caller.maskedDocument)
        case "attachment": caller.attachedClinicID.map { .string((names[$0] ?? $0) + (caller.attachedDistrict.map { ", участок \($0)" } ?? "")) } ?? .string("не прикреплён")
        case "clinics": .string(caller.cards.keys.sorted().map { names[$0] ?? $0 }.joined(separator: "; "))
        case "dispensary": view.dispensary.isEmpty ? .null : .string(view.dispensary.joined(separator: ", "))
        case "upcoming": .list(view.upcoming.map { .object(AppointmentRow(item: $0, moveURL: view.movable["\($0.clinic.id) \($0.appointment.id)"].map { OperatorRoute.move(booking: $0).path })) })
        case "past": .list(view.past.prefix(20).map { .object(AppointmentRow(item: $0)) })
        case "unanswered": view.unanswered.isEmpty ? .null : .string(view.unanswered.map { names[$0] ?? $0 }.joined(separator: ", "))
        case "phone": .optional(view.phone)
        case "email": .optional(view.email)
        case "endAction": .string(OperatorRoute.callerEnd.path)
        case "searchURL": .string(OperatorRoute.home.path)
        case "bookURL": .string(OperatorRoute.bookClinics.path)
        case "earliestURL": .string(OperatorRoute.earliest().path)
        case "csrf": .string(csrfToken)
        case "cancelled": .bool(cancelled)
        case "consentByPhone": .bool(view.consentBy?.hasPrefix("operator:") == true)
        case "contactAction": .string(OperatorRoute.callerContact.path)
        case "phoneTyped": .string(phoneTyped)
        case "phoneError": .optional(phoneError)
        case "contactSaved": .bool(contactSaved)
        case "errors": phoneError.map { .list([.object(FormError(field: "phone", message: $0))]) } ?? .list([])
        default: nil
        }
    }
}
