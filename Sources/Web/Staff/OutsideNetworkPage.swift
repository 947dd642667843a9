import Templating

/// What the staff pages answer outside the networks they are configured for.
public struct OutsideNetworkPage: TemplateObject {
    let title = "Рабочее место недоступно из этой сети"

    public init() {}

    public func templateValue(forKey key: String) -> TemplateValue? {
        key == "title" ? .string(title) : nil
    }
}
