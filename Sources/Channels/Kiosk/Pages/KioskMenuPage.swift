import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The identified patient's choices.
struct KioskMenuPage: TemplateObject {
    let name: String
    let csrfToken: String
    let links = KioskLinks()

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "name": .string(name)
        case "csrf": .string(csrfToken)
        case "links": .object(links)
        default: nil
        }
    }
}
