import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One booking of a clinic's queue as the list shows it: its time, doctor, the person, where it came
/// from, how long it has waited, and where it is decided.
struct QueueRow: TemplateObject {
    let time: String
    let doctor: String
    let specialty: String
    let patient: String
    let birthDate: String
    let channel: String
    let waiting: String
    /// Why the clinic closed the time (displaced bookings).
    let reason: String
    let url: String

    private static let when = try! RussianDateFormat("EE, d MMMM, HH:mm")

    init(_ reservation: MISReservation, zone: TimeZone, now: Date) {
        let appointment = reservation.appointment
        time = Self.when.string(from: appointment.start, in: zone)
        doctor = appointment.doctorName
        specialty = appointment.specialtyName.inPhrase
        patient = reservation.person.fullName
        birthDate = DayName.typed(reservation.person.birthDate)
        channel = appointment.channel.title
        waiting = Self.age(now.timeIntervalSince(reservation.createdAt))
        reason = appointment.cancelReason ?? ""
        url = StaffRoute.queueEntry(clinic: appointment.clinicID, appointment: appointment.id).path
    }

    /// How long something has waited, as a registrar reads it: «5 мин», «2 ч 15 мин», «3 дн 4 ч».
    static func age(_ seconds: TimeInterval) -> String {
        let minutes = max(0, Int(seconds) / 60)
        if minutes < 60 { return "\(minutes) мин" }
        if minutes < 24 * 60 { return "\(minutes / 60) ч" + (minutes % 60 == 0 ? "" : " \(minutes % 60) мин") }
        let hours = minutes / 60
        return "\(hours / 24) дн" + (hours % 24 == 0 ? "" : " \(hours % 24) ч")
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "time": .string(time)
        case "doctor": .string(doctor)
        case "specialty": .string(specialty)
        case "patient": .string(patient)
        case "birthDate": .string(birthDate)
        case "channel": .string(channel)
        case "waiting": .string(waiting)
        case "reason": .string(reason)
        case "url": .string(url)
        default: nil
        }
    }
}
