import Foundation

/// Writes and reads the protocol's answers:
/// `<response operation="…" version="1">payload</response>`, or with `<error code="…">text</error>`.
public enum MISResponse {
    public static let protocolVersion = 1

    /// An answer carrying `payload`, written by the gateway.
    public static func success(_ operation: MISOperation, _ payload: (inout XMLWriter) -> Void) -> String {
        var writer = XMLWriter()
        writer.start("response", ["operation": operation.rawValue, "version": String(protocolVersion)])
        payload(&writer)
        return writer.finish()
    }

    /// An error answer; `message` is plain Russian for the registry's logs and staff.
    public static func failure(_ operation: String?, _ code: MISErrorCode, _ message: String) -> String {
        var writer = XMLWriter()
        writer.start("response", ["operation": operation, "version": String(protocolVersion)])
        writer.start("error", ["code": String(code.rawValue)])
        writer.text(message)
        return writer.finish()
    }

    /// The payload element of an answer to `operation`; a protocol error becomes `MISFailure.protocolError`.
    public static func payload(of bytes: [UInt8], for operation: MISOperation, reader: XMLReader = XMLReader()) throws(MISFailure) -> XMLElementView {
        let root: XMLElementView
        do {
            root = try reader.document(bytes).root
        } catch {
            throw MISFailure(.badAnswer, detail: error.description)
        }
        guard root.name == "response" else { throw MISFailure(.badAnswer, detail: "root element is <\(root.name)>") }
        if let error = root.child("error") {
            guard let number = error.attribute("code").flatMap(Int.init), let code = MISErrorCode(rawValue: number) else {
                throw MISFailure(.badAnswer, detail: "error without a known code")
            }
            throw MISFailure(code, message: error.text)
        }
        guard root.attribute("operation") == operation.rawValue else {
            throw MISFailure(.badAnswer, detail: "answer is for \(root.attribute("operation") ?? "no operation")")
        }
        guard let payload = root.firstChild else { throw MISFailure(.badAnswer, detail: "answer has no payload") }
        return payload
    }
}

/// Reads typed values out of an answer's elements, turning gaps into `MISFailure.badAnswer`.
struct AnswerFields {
    let node: XMLElementView

    func string(_ name: String) throws(MISFailure) -> String {
        guard let value = node.attribute(name) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> lacks \(name)") }
        return value
    }

    func optional(_ name: String) -> String? {
        node.attribute(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    func int(_ name: String) throws(MISFailure) -> Int {
        guard let value = Int(try string(name)) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is not a number") }
        return value
    }

    func optionalInt(_ name: String) throws(MISFailure) -> Int? {
        guard let text = optional(name) else { return nil }
        guard let value = Int(text) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is not a number") }
        return value
    }

    func date(_ name: String) throws(MISFailure) -> Date {
        // Parsed straight from the document's bytes: no String for a value that is only a time.
        let parsed = node.withAttribute(name) { start, length in
            node.document.bytes.withUnsafeBufferPointer { ProtocolTime.date(fromBytes: UnsafeBufferPointer(rebasing: $0[start..<(start + length)])) }
        }
        guard let present = parsed else { throw MISFailure(.badAnswer, detail: "<\(node.name)> lacks \(name)") }
        guard let value = present else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is not an ISO 8601 time with offset") }
        return value
    }

    func optionalDate(_ name: String) throws(MISFailure) -> Date? {
        guard optional(name) != nil else { return nil }
        return try date(name)
    }

    func day(_ name: String) throws(MISFailure) -> String? {
        guard let value = optional(name) else { return nil }
        guard ProtocolTime.isDay(value) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is not a day") }
        return value
    }

    func enumeration<Value: RawRepresentable>(_ name: String, as type: Value.Type) throws(MISFailure) -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: try string(name)) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) has an unknown value") }
        return value
    }

    /// The children named `name`, each read by `read`.
    func list<Item>(_ name: String, _ read: (AnswerFields) throws(MISFailure) -> Item) throws(MISFailure) -> [Item] {
        var items: [Item] = []
        try node.forEachChild { (child: XMLElementView) throws(MISFailure) in
            if child.name == name { items.append(try read(AnswerFields(node: child))) }
        }
        return items
    }
}
