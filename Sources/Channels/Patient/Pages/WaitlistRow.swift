import Foundation
import MISBridge
import Persistence
import Templating
import Web

/// One entry as the list shows it.
struct WaitlistRow: TemplateObject {
    let what: String
    let from: String
    let to: String
    let part: String
    let waiting: Bool
    let status: String
    let leaveURL: String

    init(entry: WaitlistEntry) {
        what = entry.doctorName.map { "\(entry.specialtyName), \($0)" } ?? entry.specialtyName
        from = DayName.typed(entry.fromDay)
        to = DayName.typed(entry.toDay)
        part = entry.partOfDay == .morning ? "до 13:00" : entry.partOfDay == .afternoon ? "после 13:00" : "в любое время"
        waiting = entry.status == .waiting
        status = switch entry.status {
        case .waiting: "ждёт"
        case .booked: "записаны"
        case .left: "вы вышли из листа"
        case .expired: "срок прошёл"
        }
        leaveURL = SiteRoute.waitlistLeave(entry.id).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "what": .string(what)
        case "from": .string(from)
        case "to": .string(to)
        case "part": .string(part)
        case "waiting": .bool(waiting)
        case "status": .string(status)
        case "leaveURL": .string(leaveURL)
        default: nil
        }
    }
}
