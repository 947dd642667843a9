import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One big button of a list to choose from (a clinic, a specialty, a doctor, a day, a time); without
/// `url` it is shown but cannot be chosen (nothing free).
struct KioskChoice: TemplateObject {
    let title: String
    let url: String?
    var details: String?
    var selected = false

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .optional(url)
        case "details": .optional(details)
        case "selected": .bool(selected)
        default: nil
        }
    }
}
