import Foundation
import Web
import MISBridge
import Persistence
import RegistryCore
import Templating

/// A doctor of the specialty on the move page.
struct MoveDoctor: TemplateObject {
    let doctor: MISDoctor
    /// The booking's own doctor.
    let isCurrent: Bool
    /// The doctor whose times are shown.
    let isShown: Bool
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(doctor.name)
        case "room": .string(doctor.room)
        case "current": .bool(isCurrent)
        case "shown": .bool(isShown)
        case "url": .string(url)
        default: nil
        }
    }
}
