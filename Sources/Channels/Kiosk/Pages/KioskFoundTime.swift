import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// One time found by the earliest search, leading to its check page.
struct KioskFoundTime: TemplateObject {
    let time: ChosenTimeFields
    let url: String

    func templateValue(forKey key: String) -> TemplateValue? {
        key == "url" ? .string(url) : time.templateValue(forKey: key)
    }
}
