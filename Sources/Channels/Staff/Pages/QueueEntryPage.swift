import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One booking awaiting the clinic, to decide: a reservation (the person as the channel gave them,
/// the cards the MIS finds, confirm with one or open one; or refuse with a reason), or a displaced
/// booking (move it to a free time of the specialty, or cancel it with a reason).
struct QueueEntryPage: TemplateObject {
    /// A card the person may have, with the form that confirms with it.
    struct CandidateRow: TemplateObject {
        let name: String
        let birthDate: String
        let address: String
        let document: String
        let attachment: String
        let cardID: String?

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "name": .string(name)
            case "birthDate": .string(birthDate)
            case "address": .string(address)
            case "document": .string(document)
            case "attachment": .string(attachment)
            case "cardID": .optional(cardID)
            default: nil
            }
        }
    }

    /// A free time to move to, with its doctor.
    struct FreeTime: TemplateObject {
        let id: String
        let label: String

        func templateValue(forKey key: String) -> TemplateValue? {
            switch key {
            case "id": .string(id)
            case "label": .string(label)
            default: nil
            }
        }
    }

    let title: String
    let displaced: Bool
    let clinic: String
    let when: String
    let doctor: String
    let room: String
    let ticket: String
    let channel: String
    let madeAt: String
    let waiting: String
    let reason: String
    /// The person as the channel gave them, as label–value pairs.
    let person: [(String, String)]
    let candidates: [CandidateRow]
    /// No card of this clinic among the candidates: the registrar may open one.
    let canCreateCard: Bool
    let reasons: [SelectOption]
    let text: String
    let freeTimes: [FreeTime]
    let problem: String?
    let confirmAction: String
    let refuseAction: String
    let moveAction: String
    let queueURL: String
    let csrfToken: String

    private static let long = try! RussianDateFormat("EEEE, d MMMM yyyy, HH:mm")
    private static let short = try! RussianDateFormat("EE, d MMMM, HH:mm")
    private static let moment = try! RussianDateFormat("dd.MM.yyyy HH:mm")

    init(clinic: MISClinic, reservation: MISReservation, candidates: [ReservationDesk.Candidate], freeTimes: [(doctor: MISDoctor, slots: [MISSlot])],
         chosenReason: MISRefusalReason? = nil, text: String = "", problem: String? = nil, now: Date, csrfToken: String) {
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let appointment = reservation.appointment, person = reservation.person
        displaced = appointment.status == .displaced
        title = (displaced ? "Выпала из расписания: " : "Бронь: ") + person.fullName
        self.clinic = clinic.shortName
        when = Self.long.string(from: appointment.start, in: zone) + " (" + ZoneNote.describe(clinic.timeZone, at: appointment.start) + ")"
        doctor = appointment.doctorName + ", " + appointment.specialtyName.inPhrase
        room = appointment.room
        ticket = appointment.ticket ?? ""
        channel = appointment.channel.title
        madeAt = Self.moment.string(from: reservation.createdAt, in: zone)
        waiting = QueueRow.age(now.timeIntervalSince(reservation.createdAt))
        reason = appointment.cancelReason ?? ""
        self.person = [
            ("Фамилия, имя, отчество", person.fullName), ("Дата рождения", DayName.typed(person.birthDate)), ("Пол", person.sex == "female" ? "женский" : "мужской"),
            ("Полис ОМС", person.policy), ("СНИЛС", person.snils ?? "не указан"), ("Телефон", person.phone ?? "не указан"),
            ("Карта в поликлинике", appointment.patientID.map { "№ \($0)" } ?? "нет: запись сделана по данным пациента"),
        ]
        self.candidates = candidates.map { found in
            CandidateRow(name: [found.person.lastName, found.person.firstName, found.person.middleName].filter { !$0.isEmpty }.joined(separator: " "),
                         birthDate: DayName.typed(found.person.birthDate), address: found.person.address, document: found.person.maskedDocument,
                         attachment: found.person.attachedClinicID.map { "прикреплён к поликлинике \($0)" + (found.person.attachedDistrict.map { ", участок \($0)" } ?? "") } ?? "не прикреплён",
                         cardID: found.cardID)
        }
        canCreateCard = !candidates.contains { $0.cardID != nil }
        let chosen = chosenReason ?? (displaced ? .noFreeSpace : nil)
        reasons = [SelectOption(value: "", label: "Выберите причину", selected: chosen == nil)]
            + MISRefusalReason.allCases.map { SelectOption(value: $0.rawValue, label: ReservationRefusal.title($0), selected: $0 == chosen) }
        self.text = text
        self.freeTimes = freeTimes.flatMap { found in
            found.slots.map { FreeTime(id: $0.id, label: Self.short.string(from: $0.start, in: zone) + " — " + found.doctor.name + ", каб. " + $0.room) }
        }
        self.problem = problem
        confirmAction = StaffRoute.queueConfirm(clinic: clinic.id, appointment: appointment.id).path
        refuseAction = StaffRoute.queueRefuse(clinic: clinic.id, appointment: appointment.id).path
        moveAction = StaffRoute.queueMove(clinic: clinic.id, appointment: appointment.id).path
        queueURL = StaffRoute.queue(clinic: clinic.id).path
        self.csrfToken = csrfToken
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "displaced": .bool(displaced)
        case "clinic": .string(clinic)
        case "when": .string(when)
        case "doctor": .string(doctor)
        case "room": .string(room)
        case "ticket": .string(ticket)
        case "channel": .string(channel)
        case "madeAt": .string(madeAt)
        case "waiting": .string(waiting)
        case "reason": .string(reason)
        case "person": .list(person.map { .object(LabelledValue(label: $0.0, value: $0.1)) })
        case "candidates": .list(candidates.map { .object($0) })
        case "canCreateCard": .bool(canCreateCard)
        case "reasons": .list(reasons.map { .object($0) })
        case "text": .string(text)
        case "freeTimes": .list(freeTimes.map { .object($0) })
        case "problem": .optional(problem)
        case "confirmAction": .string(confirmAction)
        case "refuseAction": .string(refuseAction)
        case "moveAction": .string(moveAction)
        case "queueURL": .string(queueURL)
        case "csrf": .string(csrfToken)
        default: nil
        }
    }
}

/// A label and its value, as a definition list shows them.
struct LabelledValue: TemplateObject {
    let label: String
    let value: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "label": .string(label)
        case "value": .string(value)
        default: nil
        }
    }
}
