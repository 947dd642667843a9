import Foundation
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// What the workstation answers outside the networks it is configured for.
struct OutsideNetworkPage: TemplateObject {
    let title = "Рабочее место недоступно из этой сети"

    func templateValue(forKey key: String) -> TemplateValue? {
        key == "title" ? .string(title) : nil
    }
}
