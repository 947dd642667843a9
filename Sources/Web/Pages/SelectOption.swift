import Templating

/// One option of a `<select>`: its value, what it reads, whether it is chosen.
public struct SelectOption: TemplateObject, Sendable {
    public let value: String
    public let label: String
    public let selected: Bool

    public init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "value": .string(value)
        case "label": .string(label)
        case "selected": .bool(selected)
        default: nil
        }
    }
}
