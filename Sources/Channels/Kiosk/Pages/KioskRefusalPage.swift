import Foundation
import MISBridge
import RegistryCore
import Templating
import Web

/// Why the time cannot be booked, what to do, and other times of the same doctor when it was taken.
struct KioskRefusalPage: TemplateObject {
    let title = "Записаться на это время нельзя"
    let code: String
    let explanation: String
    let alternatives: [TimeLink]
    let timeZone: String
    let backURL: String
    let links = KioskLinks()

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "code": .string(code)
        case "explanation": .string(explanation)
        case "alternatives": .list(alternatives.map { .object($0) })
        case "timeZone": .string(timeZone)
        case "backURL": .string(backURL)
        case "links": .object(links)
        default: nil
        }
    }
}
