import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import RegistryCore
import Templating
import Web

/// What the kiosk's frame shows on every page: who stands at it (when identified) and its inactivity
/// reset (`session` in templates; the countdown script reads it).
struct KioskFrame: TemplateObject, Sendable {
    let patientName: String?
    let idleSeconds: Int
    /// The countdown shown before the reset: the last quarter of the time, 10–20 seconds.
    let countdownSeconds: Int

    init(patientName: String?, idleSeconds: Int) {
        self.patientName = patientName
        self.idleSeconds = idleSeconds
        countdownSeconds = min(20, max(10, idleSeconds / 4))
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .optional(patientName)
        case "idleSeconds": .int(idleSeconds)
        case "countdownSeconds": .int(countdownSeconds)
        default: nil
        }
    }
}
