import Templating

/// One link of the staff header's menu.
public struct StaffMenuItem: TemplateObject, Sendable, Equatable {
    public let title: String
    public let url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(title)
        case "url": .string(url)
        default: nil
        }
    }
}
