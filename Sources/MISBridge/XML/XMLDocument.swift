import Foundation

/// A parsed document held flat: every element and attribute is a plain record, every value a range
/// of one byte buffer. Decoding reads from it without a String per value unless one is kept.
public struct XMLDocument: Sendable {
    struct Element: Sendable {
        let name: Int32
        let firstAttribute: Int32
        var attributeCount: Int32
        /// One past the last element of this element's subtree (preorder), so siblings are found by jumping.
        var subtreeEnd: Int32
        var textStart: Int32
        var textLength: Int32
    }

    struct Attribute: Sendable {
        let name: Int32
        let start: Int32
        let length: Int32
    }

    var bytes: [UInt8] = []
    var elements: [Element] = []
    var attributes: [Attribute] = []
    var names: [String] = []

    /// The root element.
    public var root: XMLElementView { XMLElementView(document: self, index: 0) }
}

/// One element of an `XMLDocument`.
public struct XMLElementView: Sendable {
    let document: XMLDocument
    let index: Int

    private var element: XMLDocument.Element { document.elements[index] }

    public var name: String { document.names[Int(element.name)] }

    /// Character data directly inside the element.
    public var text: String {
        let element = element
        guard element.textLength > 0 else { return "" }
        return document.string(Int(element.textStart), Int(element.textLength))
    }

    /// The value of attribute `name`, if present.
    public func attribute(_ name: String) -> String? {
        withAttribute(name) { start, length in document.string(start, length) }
    }

    /// Calls `body` with the attribute's byte range, without making a String.
    func withAttribute<T>(_ name: String, _ body: (Int, Int) -> T) -> T? {
        let element = element
        for offset in 0..<Int(element.attributeCount) {
            let attribute = document.attributes[Int(element.firstAttribute) + offset]
            if document.names[Int(attribute.name)] == name { return body(Int(attribute.start), Int(attribute.length)) }
        }
        return nil
    }

    /// The first child element.
    public var firstChild: XMLElementView? {
        index + 1 < Int(element.subtreeEnd) ? XMLElementView(document: document, index: index + 1) : nil
    }

    /// Child elements in order.
    public var children: [XMLElementView] {
        var result: [XMLElementView] = []
        forEachChild { result.append($0) }
        return result
    }

    public func child(_ name: String) -> XMLElementView? {
        var found: XMLElementView?
        forEachChild { child in if found == nil && child.name == name { found = child } }
        return found
    }

    func forEachChild(_ body: (XMLElementView) throws(MISFailure) -> Void) throws(MISFailure) {
        var child = index + 1
        let end = Int(element.subtreeEnd)
        while child < end {
            try body(XMLElementView(document: document, index: child))
            child = Int(document.elements[child].subtreeEnd)
        }
    }

    func forEachChild(_ body: (XMLElementView) -> Void) {
        var child = index + 1
        let end = Int(element.subtreeEnd)
        while child < end {
            body(XMLElementView(document: document, index: child))
            child = Int(document.elements[child].subtreeEnd)
        }
    }

    /// The element and its subtree as a standalone `XMLNode`.
    public var node: XMLNode {
        var node = XMLNode(name: name, text: text)
        let element = element
        for offset in 0..<Int(element.attributeCount) {
            let attribute = document.attributes[Int(element.firstAttribute) + offset]
            node.attributes.append((document.names[Int(attribute.name)], document.string(Int(attribute.start), Int(attribute.length))))
        }
        forEachChild { node.children.append($0.node) }
        return node
    }
}

extension XMLDocument {
    func string(_ start: Int, _ length: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]), as: UTF8.self)
        }
    }
}
