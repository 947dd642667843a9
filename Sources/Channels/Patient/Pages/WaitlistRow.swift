import Foundation
import MISBridge
import Persistence
import Templating
import Web

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
