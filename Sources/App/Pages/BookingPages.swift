import Booking
import Foundation
import MISBridge
import Persistence
import Templating

/// Check your answers before the one confirm button.
struct CheckPage: TemplateObject {
    let chosen: ChosenSlot
    let patientName: String
    let requestID: String
    let csrfToken: String
    var phone = ""
    var email = ""
    var consentError: String?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Проверьте запись")
        case "clinic": .object(ClinicFields(clinic: chosen.clinic))
        case "doctor": .string(chosen.doctor.name)
        case "specialty": .string(chosen.specialty.name)
        case "room": .string(chosen.slot.room)
        case "start": .date(chosen.slot.start)
        case "patient": .string(patientName)
        case "clinicID": .string(chosen.clinic.id)
        case "doctorID": .string(chosen.doctor.id)
        case "slotID": .string(chosen.slot.id)
        case "requestID": .string(requestID)
        case "csrf": .string(csrfToken)
        case "phone": .string(phone)
        case "email": .string(email)
        case "consentError": .optional(consentError)
        case "errors": .list(consentError.map { [.object(FormError(field: "consent", message: $0))] } ?? [])
        default: nil
        }
    }
}

/// Why the booking did not happen, what to do, and the nearest other times.
struct RefusalPage: TemplateObject {
    let refusal: Refusal
    let clinicID: String
    let doctorID: String
    let alternatives: [MISSlot]
    /// The clinic's zone, for the alternatives' times.
    let zone: TimeZone?

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Записаться не получилось")
        case "code": .string(refusal.code.rawValue)
        case "explanation": .string(refusal.explanation)
        case "clinicID": .string(clinicID)
        case "doctorID": .string(doctorID)
        case "doctorURL": .string(SiteRoute.doctor(clinic: clinicID, doctor: doctorID).path)
        case "alternatives": .list(alternatives.map { .object(SlotChoice(slot: $0)) })
        case "timeZone": .string(zone?.identifier ?? "Europe/Moscow")
        default: nil
        }
    }
}

/// A free time offered as a button.
struct SlotChoice: TemplateObject {
    let slot: MISSlot

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(slot.id)
        case "start": .date(slot.start)
        default: nil
        }
    }
}

/// The ticket: everything needed to find the room and arrive on time.
struct TicketPage: TemplateObject {
    let entry: LedgerEntry

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Талон \(entry.ticket ?? "")")
        case "id": .string(entry.requestID)
        case "ticket": .optional(entry.ticket)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        case "room": .string(entry.room)
        case "start": .date(entry.start)
        case "clinicID": .string(entry.clinicID)
        case "clinicName": .string(entry.clinicName)
        case "address": .string(entry.clinicAddress)
        case "phone": .string(entry.clinicPhone)
        case "timeZone": .string(entry.timeZone)
        default: nil
        }
    }
}

/// A ledger entry as a row of the cabinet.
struct TicketRow: TemplateObject {
    let entry: LedgerEntry

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "id": .string(entry.requestID)
        case "ticket": .optional(entry.ticket)
        case "doctor": .string(entry.doctorName)
        case "specialty": .string(entry.specialtyName)
        case "clinicName": .string(entry.clinicName)
        case "start": .date(entry.start)
        case "timeZone": .string(entry.timeZone)
        case "cancelled": .bool(entry.status == .cancelled)
        default: nil
        }
    }
}

/// The cabinet: what is booked and what was.
struct CabinetPage: TokenCarryingPage {
    let name: String
    let active: [LedgerEntry]
    let past: [LedgerEntry]
    var csrfToken: String

    func with(csrfToken: String) -> CabinetPage {
        CabinetPage(name: name, active: active, past: past, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Мои записи")
        case "name": .string(name)
        case "active": .list(active.map { .object(TicketRow(entry: $0)) })
        case "past": .list(past.map { .object(TicketRow(entry: $0)) })
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// Are you sure? — before a cancellation.
struct CancelPage: TokenCarryingPage {
    let entry: LedgerEntry
    var csrfToken: String

    func with(csrfToken: String) -> CancelPage {
        CancelPage(entry: entry, csrfToken: csrfToken)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Отменить запись?")
        case "row": .object(TicketRow(entry: entry))
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}
