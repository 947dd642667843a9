import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// A page that only says something (a kiosk not registered, an address a kiosk may not open) and leads to the start.
struct KioskMessagePage: TemplateObject {
    let links = KioskLinks()

    func templateValue(forKey key: String) -> TemplateValue? {
        key == "links" ? .object(links) : nil
    }
}
