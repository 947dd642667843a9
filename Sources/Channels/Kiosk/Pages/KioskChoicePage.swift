import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// A booking step that is a list of big buttons.
struct KioskChoicePage: TemplateObject {
    let title: String
    let step: String
    let choices: [KioskChoice]
    var back: (url: String, title: String)?
    var empty = "Здесь пока нечего выбрать."

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "step": .string(step)
        case "choices": .list(choices.map { .object($0) })
        case "backURL": .optional(back?.url)
        case "backTitle": .optional(back?.title)
        case "empty": .string(empty)
        case "links": .object(KioskLinks())
        default: nil
        }
    }
}
