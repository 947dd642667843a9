import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// One kiosk in the administrator's list.
struct KioskRow: TemplateObject {
    let kiosk: KioskRecord
    let clinic: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(kiosk.name)
        case "clinic": .string(clinic)
        case "network": .optional(kiosk.network)
        case "createdAt": .date(kiosk.createdAt)
        case "startedAt": kiosk.startedAt.map { .date($0) } ?? .null
        case "revokedAt": kiosk.revokedAt.map { .date($0) } ?? .null
        case "revokeURL": .string(OperatorRoute.kioskRevoke(kiosk.id).path)
        default: nil
        }
    }
}
