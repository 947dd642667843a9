/// A filter an application adds to the built-in ones (`{{ value | name(arguments) }}`).
public protocol TemplateFilter: Sendable {
    /// Transforms `value`; throws `TemplateFilterError` when the input does not fit.
    func apply(to value: TemplateValue, arguments: [TemplateValue]) throws(TemplateFilterError) -> TemplateValue
}

/// Why a filter refused its input; reported with the template's name and position.
public struct TemplateFilterError: Error, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
