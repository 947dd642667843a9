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

/// The patient's waiting-list entries, each still waiting with a button to leave it.
struct WaitlistPage: TokenCarryingPage {
    let entries: [WaitlistEntry]
    let joined: Bool
    var csrfToken: String

    func with(csrfToken: String) -> WaitlistPage {
        WaitlistPage(entries: entries, joined: joined, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "entries": .list(entries.map { .object(WaitlistRow(entry: $0)) })
        case "joined": .bool(joined)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// One entry as the list shows it.
struct WaitlistRow: TemplateObject {
    let entry: WaitlistEntry

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "what": .string(entry.doctorName.map { "\(entry.specialtyName), \($0)" } ?? entry.specialtyName)
        case "from": .string(Self.typed(entry.fromDay))
        case "to": .string(Self.typed(entry.toDay))
        case "part": .string(entry.partOfDay == .morning ? "до 13:00" : entry.partOfDay == .afternoon ? "после 13:00" : "в любое время")
        case "waiting": .bool(entry.status == .waiting)
        case "status": .string(status)
        case "leaveURL": .string(SiteRoute.waitlistLeave(entry.id).path)
        default: nil
        }
    }

    private var status: String {
        switch entry.status {
        case .waiting: "ждёт"
        case .booked: "записаны"
        case .left: "вы вышли из листа"
        case .expired: "срок прошёл"
        }
    }

    /// `2026-12-04` as people read it: `04.12.2026`.
    static func typed(_ day: String) -> String {
        let parts = day.split(separator: "-")
        return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : day
    }
}

/// A time offered from the waiting list: what it is and one button to book it, or why it cannot be booked any more.
struct OfferPage: TokenCarryingPage {
    let offer: WaitlistOffer
    let open: Bool
    let requestID: String
    var csrfToken: String

    func with(csrfToken: String) -> OfferPage {
        OfferPage(offer: offer, open: open, requestID: requestID, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "open": .bool(open)
        case "taken": .bool(offer.status == .taken)
        case "formURL": .string(SiteRoute.offer(offer.id).path)
        case "requestId": .string(requestID)
        case "csrf": .string(csrfToken)
        default: WaitlistOfferFields(offer).templateValue(forKey: key)
        }
    }
}
