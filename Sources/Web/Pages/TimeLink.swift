import MISBridge
import Templating

/// A free time as a button leading to its check page (booking or moving), on any channel's page.
public struct TimeLink: TemplateObject, Sendable {
    public let slot: MISSlot
    public let url: String

    public init(slot: MISSlot, url: String) {
        self.slot = slot
        self.url = url
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "start": .date(slot.start)
        case "url": .string(url)
        default: nil
        }
    }
}
