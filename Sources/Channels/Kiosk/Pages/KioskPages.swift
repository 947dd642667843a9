import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The kiosk's fixed addresses, for its templates (`page.links`): none is typed in a template.
struct KioskLinks: TemplateObject {
    private static let paths: [String: String] = [
        "home": KioskRoute.home, "identify": .identify, "menu": .menu, "end": .end, "alive": .alive,
        "book": .clinics, "earliest": .earliest(), "appointments": .appointments(),
    ].mapValues(\.path)

    func templateValue(forKey key: String) -> TemplateValue? {
        Self.paths[key].map { .string($0) }
    }
}

/// A page that only says something (a kiosk not registered, an address a kiosk may not open) and leads to the start.
struct KioskMessagePage: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? {
        key == "links" ? .object(KioskLinks()) : nil
    }
}

/// The start screen: the kiosk's clinic and the identification form (policy, birth date, and the
/// identity document when several cards fit).
struct KioskStartPage: TemplateObject, IdentificationFormPage {
    var clinicName: String?
    var policy = ""
    var birthDate = ""
    var document = ""
    var asksDocument = false
    var errors: [FormError] = []
    var notFound = false
    var unavailable = false
    var csrfToken = ""

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "clinic": .optional(clinicName)
        case "policy": .string(policy)
        case "birthDate": .string(birthDate)
        case "document": .string(document)
        case "asksDocument": .bool(asksDocument)
        case "errors": .list(errors.map { .object($0) })
        case "policyError": .optional(errors.first { $0.field == "policy" }?.message)
        case "birthDateError": .optional(errors.first { $0.field == "birthDate" }?.message)
        case "documentError": .optional(errors.first { $0.field == "document" }?.message)
        case "notFound": .bool(notFound)
        case "unavailable": .bool(unavailable)
        case "csrf": .string(csrfToken)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// The identified patient's choices.
struct KioskMenuPage: TemplateObject {
    let name: String
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "csrf": .string(csrfToken)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// One big button of a list to choose from (a clinic, a specialty, a doctor, a day, a time); without
/// `url` it is shown but cannot be chosen (nothing free).
struct KioskChoice: TemplateObject {
    let title: String
    let url: String?
    var details: String?
    var selected = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .optional(url)
        case "details": .optional(details)
        case "selected": .bool(selected)
        default: nil
        }
    }
}

/// A booking step that is a list of big buttons.
struct KioskChoicePage: TemplateObject {
    let title: String
    let step: String
    let choices: [KioskChoice]
    var back: (url: String, title: String)?
    var empty = "Здесь пока нечего выбрать."

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "step": .string(step)
        case "choices": .list(choices.map { .object($0) })
        case "backURL": .optional(back?.url)
        case "backTitle": .optional(back?.title)
        case "empty": .string(empty)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// A doctor's free days as buttons and the chosen day's times as buttons.
struct KioskDoctorPage: TemplateObject {
    let doctor: String
    let specialty: String
    let clinic: String
    let room: String
    let timeZone: String
    let days: [KioskChoice]
    /// The chosen day's title and its times.
    let dayTitle: String?
    let times: [TimeLink]
    let back: (url: String, title: String)

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(doctor)
        case "specialty": .string(specialty)
        case "clinic": .string(clinic)
        case "room": .string(room)
        case "timeZone": .string(timeZone)
        case "days": .list(days.map { .object($0) })
        case "dayTitle": .optional(dayTitle)
        case "times": .list(times.map { .object($0) })
        case "backURL": .string(back.url)
        case "backTitle": .string(back.title)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// The check page: the time chosen, one confirm button, and the referral's number when the specialty needs one.
struct KioskCheckPage: TemplateObject {
    let chosen: ChosenTimeFields
    let patientName: String
    let requestID: String
    let csrfToken: String
    /// The referral asked for: as typed, and what is wrong with it.
    var referral: (number: String, problem: String?)?
    let backURL: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Проверьте запись")
        case "chosen": .object(chosen)
        case "name": .string(patientName)
        case "confirmation": .object(ConfirmationFields(clinicID: chosen.clinicID, doctorID: chosen.doctorID, slotID: chosen.slotID, requestID: requestID, csrfToken: csrfToken))
        case "asksReferral": .bool(referral != nil)
        case "referral": .string(referral?.number ?? "")
        case "referralError": .optional(referral?.problem)
        case "backURL": .string(backURL)
        case "formURL": .string(KioskRoute.book.path)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// Why the time cannot be booked, what to do, and other times of the same doctor when it was taken.
struct KioskRefusalPage: TemplateObject {
    let code: String
    let explanation: String
    let alternatives: [TimeLink]
    let timeZone: String
    let backURL: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Записаться на это время нельзя")
        case "code": .string(code)
        case "explanation": .string(explanation)
        case "alternatives": .list(alternatives.map { .object($0) })
        case "timeZone": .string(timeZone)
        case "backURL": .string(backURL)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// The earliest free times of a specialty: the specialties as buttons, then the times found.
struct KioskEarliestPage: TemplateObject {
    let specialties: [KioskChoice]
    var specialty: String?
    var found: [(time: ChosenTimeFields, url: String)] = []
    var incomplete = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(specialty.map { "Ближайшее время: \($0)" } ?? "Ближайшее свободное время")
        case "specialties": .list(specialties.map { .object($0) })
        case "chosen": .bool(specialty != nil)
        case "found": .list(found.map { .object(KioskFoundTime(time: $0.time, url: $0.url)) })
        case "incomplete": .bool(incomplete)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// One time found by the earliest search, leading to its check page.
struct KioskFoundTime: TemplateObject {
    let time: ChosenTimeFields
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        key == "url" ? .string(url) : time.templateValue(forKey: key)
    }
}

/// One appointment of the patient as the kiosk shows it (list, receipt, cancel).
struct KioskAppointment: TemplateObject {
    let found: PatientAppointments.Appointment

    func templateValue(forKey key: String) -> TemplateValue? {
        let appointment = found.appointment
        return switch key {
        case "ticket": .optional(appointment.ticket)
        case "start": .date(appointment.start)
        case "timeZone": .string(found.clinic.timeZone)
        case "doctor": .string(appointment.doctorName)
        case "specialty": .string(appointment.specialtyName)
        case "room": .string(appointment.room)
        case "clinic": .string(found.clinic.shortName)
        case "address": .string(found.clinic.address)
        case "phone": .string(found.clinic.phone)
        case "receiptURL": .string(KioskRoute.receipt(clinic: found.clinic.id, appointment: appointment.id).path)
        case "cancelURL": .string(KioskRoute.cancel(clinic: found.clinic.id, appointment: appointment.id).path)
        default: nil
        }
    }
}

/// The patient's upcoming appointments, each with print and cancel.
struct KioskAppointmentsPage: TemplateObject {
    let appointments: [PatientAppointments.Appointment]
    let unanswered: Bool
    let justCancelled: Bool

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Мои записи")
        case "appointments": .list(appointments.map { .object(KioskAppointment(found: $0)) })
        case "unanswered": .bool(unanswered)
        case "justCancelled": .bool(justCancelled)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// One appointment as an 80 mm receipt; `printing` prints it at once and then returns to the start.
struct KioskReceiptPage: TemplateObject {
    let appointment: KioskAppointment
    let name: String
    let printing: Bool
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Талон на приём")
        case "appointment": .object(appointment)
        case "name": .string(name)
        case "printing": .bool(printing)
        case "csrf": .string(csrfToken)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}

/// Asking before cancelling one appointment.
struct KioskCancelPage: TemplateObject {
    let appointment: KioskAppointment
    let formURL: String
    let csrfToken: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string("Отменить запись?")
        case "appointment": .object(appointment)
        case "formURL": .string(formURL)
        case "csrf": .string(csrfToken)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
