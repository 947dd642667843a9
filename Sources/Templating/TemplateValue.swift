import Foundation

/// A value a template can read: the typed tree that page models hand to the engine.
public enum TemplateValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case date(Date)
    case list([TemplateValue])
    case object(any TemplateObject)

    /// Whether `if` treats the value as true: null, false, 0, "" and [] are false.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .date: true
        case .list(let items): !items.isEmpty
        case .object: true
        }
    }

    /// Builds an object value from a dictionary, for small ad-hoc contexts.
    public static func dictionary(_ entries: [String: TemplateValue]) -> TemplateValue {
        .object(TemplateDictionary(entries))
    }

    /// Wraps an optional, turning nil into `.null`.
    public static func optional<Wrapped: TemplateValueConvertible>(_ value: Wrapped?) -> TemplateValue {
        // A closure, not `\.templateValue`: in generic code a key path is built anew on every call.
        value.map { $0.templateValue } ?? .null
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "double"
        case .string: "string"
        case .date: "date"
        case .list: "list"
        case .object: "object"
        }
    }
}

/// A page model or record that templates read field by field, without reflection.
public protocol TemplateObject: Sendable {
    /// The value for `key`, `.null` for a known field with no value, or nil when there is no such field.
    func templateValue(forKey key: String) -> TemplateValue?
}

/// An object backed by a dictionary, for tests and small contexts.
public struct TemplateDictionary: TemplateObject {
    public var entries: [String: TemplateValue]

    public init(_ entries: [String: TemplateValue]) {
        self.entries = entries
    }

    public func templateValue(forKey key: String) -> TemplateValue? {
        entries[key]
    }
}

/// A Swift value that knows its template form.
public protocol TemplateValueConvertible {
    /// The value as templates see it.
    var templateValue: TemplateValue { get }
}

extension String: TemplateValueConvertible {
    public var templateValue: TemplateValue { .string(self) }
}

extension Int: TemplateValueConvertible {
    public var templateValue: TemplateValue { .int(self) }
}

extension Double: TemplateValueConvertible {
    public var templateValue: TemplateValue { .double(self) }
}

extension Bool: TemplateValueConvertible {
    public var templateValue: TemplateValue { .bool(self) }
}

extension Date: TemplateValueConvertible {
    public var templateValue: TemplateValue { .date(self) }
}

extension TemplateValue: TemplateValueConvertible {
    public var templateValue: TemplateValue { self }
}

extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    public var templateValue: TemplateValue { .list(map { $0.templateValue }) }
}

extension Optional: TemplateValueConvertible where Wrapped: TemplateValueConvertible {
    public var templateValue: TemplateValue { self?.templateValue ?? .null }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
