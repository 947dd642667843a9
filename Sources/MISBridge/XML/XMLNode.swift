/// One element of a parsed XML document: its name, attributes in document order, children and text.
public struct XMLNode: Sendable, Equatable {
    public let name: String
    public var attributes: [(name: String, value: String)]
    public var children: [XMLNode]
    /// Character data directly inside the element, concatenated.
    public var text: String

    public init(name: String, attributes: [(name: String, value: String)] = [], children: [XMLNode] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The value of attribute `name`, if present.
    public func attribute(_ name: String) -> String? {
        for attribute in attributes where attribute.name == name { return attribute.value }
        return nil
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLNode? {
        children.first { $0.name == name }
    }

    public static func == (lhs: XMLNode, rhs: XMLNode) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text && lhs.children == rhs.children
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name) && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }
}
