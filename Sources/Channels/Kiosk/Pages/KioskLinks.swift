import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// The kiosk's fixed addresses, for its templates (`page.links`): none is typed in a template.
struct KioskLinks: TemplateObject {
    private static let paths: [String: TemplateValue] = [
        "home": KioskRoute.home, "identify": .identify, "menu": .menu, "end": .end, "alive": .alive,
        "book": .clinics, "earliest": .earliest(), "appointments": .appointments(),
    ].mapValues { .string($0.path) }

    func templateValue(forKey key: String) -> TemplateValue? {
        Self.paths[key]
    }
}
