import Foundation
import Web
import MISBridge
import Templating

/// A step of the breadcrumb trail.
struct Crumb: TemplateObject {
    let title: String
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .string(url)
        default: nil
        }
    }
}
