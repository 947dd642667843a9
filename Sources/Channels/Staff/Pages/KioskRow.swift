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
    let revokeURL: String

    init(kiosk: KioskRecord, clinic: String) {
        self.kiosk = kiosk
        self.clinic = clinic
        revokeURL = StaffRoute.kioskRevoke(kiosk.id).path
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(kiosk.name)
        case "clinic": .string(clinic)
        case "network": .optional(kiosk.network)
        case "createdAt": .date(kiosk.createdAt)
        case "startedAt": .optional(kiosk.startedAt)
        case "revokedAt": .optional(kiosk.revokedAt)
        case "revokeURL": .string(revokeURL)
        default: nil
        }
    }
}
