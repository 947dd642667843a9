import Foundation

/// How a template library compiles and renders.
public struct TemplateOptions: Sendable {
    /// Unknown variables and fields are errors (development and tests) rather than empty output.
    public var strict: Bool
    /// Recompile when a file under the template directory changes (development).
    public var reloadsOnChange: Bool
    /// The time zone of `date` filters that name none.
    public var timeZone: TimeZone
    /// Filters added by the application, by name.
    public var filters: [String: any TemplateFilter]

    public init(
        strict: Bool = true,
        reloadsOnChange: Bool = false,
        timeZone: TimeZone = TimeZone(identifier: "Europe/Moscow")!,
        filters: [String: any TemplateFilter] = [:]
    ) {
        self.strict = strict
        self.reloadsOnChange = reloadsOnChange
        self.timeZone = timeZone
        self.filters = filters
    }
}
