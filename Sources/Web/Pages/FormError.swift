import Templating

/// A problem with one field of a form, shown in the error summary (`partials/shared/error-summary`,
/// linking to the field) and next to the field.
public struct FormError: TemplateObject, Sendable, Error {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "field": .string(field)
        case "message": .string(message)
        default: nil
        }
    }
}
