import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// A clinic's queue: the reservations it is to confirm or refuse and the bookings a closed day
/// displaced, oldest first; what was just decided said at the top.
struct QueuePage: TemplateObject {
    let title: String
    let clinic: String
    let zoneNote: String
    let awaiting: [QueueRow]
    let displaced: [QueueRow]
    /// What was just done (a decision made), or what stopped it (decided by someone else first).
    let notice: String?
    let problem: String?
    let dayListURL: String

    /// What a decision just made (`done` of the address) tells the registrar.
    static let notices = [
        "confirmed": "Бронь подтверждена: пациенту отправлен талон.",
        "refused": "Бронь отклонена: пациенту сообщено почему.",
        "moved": "Запись перенесена: пациенту сообщено новое время.",
        "cancelled": "Запись отменена: пациенту сообщено почему.",
    ]

    init(queue: ReservationDesk.Queue, done: String?, problem: String? = nil, now: Date) {
        let zone = TimeZone(identifier: queue.clinic.timeZone) ?? .current
        title = "Ждут решения: \(queue.clinic.shortName)"
        clinic = queue.clinic.shortName
        zoneNote = "Время — " + ZoneNote.describe(queue.clinic.timeZone, at: now)
        awaiting = queue.awaiting.map { QueueRow($0, zone: zone, now: now) }
        displaced = queue.displaced.map { QueueRow($0, zone: zone, now: now) }
        notice = done.flatMap { Self.notices[$0] }
        self.problem = problem
        dayListURL = StaffRoute.dayList(clinic: queue.clinic.id).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "clinic": .string(clinic)
        case "zoneNote": .string(zoneNote)
        case "awaiting": .list(awaiting.map { .object($0) })
        case "displaced": .list(displaced.map { .object($0) })
        case "notice": .optional(notice)
        case "problem": .optional(problem)
        case "dayListURL": .string(dayListURL)
        default: nil
        }
    }
}
