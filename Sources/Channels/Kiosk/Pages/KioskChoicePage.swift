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
    let back: (url: String, title: String)?
    let empty: String
    let links = KioskLinks()

    init(title: String, step: String, choices: [KioskChoice], back: (url: String, title: String)? = nil, empty: String = "Здесь пока нечего выбрать.") {
        self.title = title
        self.step = step
        self.choices = choices
        self.back = back
        self.empty = empty
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "step": .string(step)
        case "choices": .list(choices.map { .object($0) })
        case "backURL": .optional(back?.url)
        case "backTitle": .optional(back?.title)
        case "empty": .string(empty)
        case "links": .object(links)
        default: nil
        }
    }
}
