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
            // The text is for staff; only a bounded, single-line form of it is kept.
            throw MISFailure(code, message: String(String.UnicodeScalarView(error.text.unicodeScalars.prefix(AnswerLimits.text).map { AnswerLimits.isControl($0) ? " " : $0 })))
        }
        guard root.attribute("operation") == operation.rawValue else {
            throw MISFailure(.badAnswer, detail: "answer is for \(root.attribute("operation") ?? "no operation")")
        }
        guard let payload = root.firstChild else { throw MISFailure(.badAnswer, detail: "answer has no payload") }
        return payload
    }
}

/// Reads typed values out of an answer's elements, turning gaps and values outside the protocol's
/// limits (docs/mis-protocol.md, "Values") into `MISFailure.badAnswer`. Details name the element and
/// attribute, never the value (it may be personal data).
struct AnswerFields {
    let node: XMLElementView

    /// A text attribute: at most `maximumLength` characters, no control characters.
    func string(_ name: String, maximumLength: Int = AnswerLimits.text) throws(MISFailure) -> String {
        guard let value = node.attribute(name) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> lacks \(name)") }
        guard AnswerLimits.isText(value, maximumLength: maximumLength) else { throw invalid(name) }
        return value
    }

    /// An identifier chosen by the MIS: 1 to 64 characters, no control characters or spaces.
    func identifier(_ name: String) throws(MISFailure) -> String {
        let value = try string(name, maximumLength: AnswerLimits.identifier)
        guard AnswerLimits.isIdentifier(value) else { throw invalid(name) }
        return value
    }

    func optional(_ name: String, maximumLength: Int = AnswerLimits.text) throws(MISFailure) -> String? {
        guard let value = node.attribute(name), !value.isEmpty else { return nil }
        guard AnswerLimits.isText(value, maximumLength: maximumLength) else { throw invalid(name) }
        return value
    }

    /// A text attribute that only describes (a name, a room, a reason): a value outside the limits is
    /// left out (nil) rather than refusing the whole answer, which may record a booking the MIS made.
    func described(_ name: String, maximumLength: Int = AnswerLimits.text) -> String? {
        guard let value = node.attribute(name), !value.isEmpty, AnswerLimits.isText(value, maximumLength: maximumLength) else { return nil }
        return value
    }

    func optionalIdentifier(_ name: String) throws(MISFailure) -> String? {
        guard let value = try optional(name, maximumLength: AnswerLimits.identifier) else { return nil }
        guard AnswerLimits.isIdentifier(value) else { throw invalid(name) }
        return value
    }

    private func invalid(_ name: String) -> MISFailure {
        MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is outside the protocol's limits")
    }

    /// A whole number from 0 to `maximum`.
    func int(_ name: String, maximum: Int = AnswerLimits.count) throws(MISFailure) -> Int {
        guard let value = Int(try string(name, maximumLength: 12)), (0...maximum).contains(value) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is not a number from 0 to \(maximum)") }
        return value
    }

    /// `true` or `false`; absent is false.
    func flag(_ name: String) throws(MISFailure) -> Bool {
        switch node.attribute(name) {
        case nil, "false": false
        case "true": true
        default: throw invalid(name)
        }
    }

    func optionalInt(_ name: String, maximum: Int = AnswerLimits.count) throws(MISFailure) -> Int? {
        guard try optional(name) != nil else { return nil }
        return try int(name, maximum: maximum)
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
        guard try optional(name, maximumLength: 40) != nil else { return nil }
        return try date(name)
    }

    func day(_ name: String) throws(MISFailure) -> String? {
        guard let value = try optional(name, maximumLength: 10) else { return nil }
        guard ProtocolTime.isDay(value) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) is not a day") }
        return value
    }

    func enumeration<Value: RawRepresentable>(_ name: String, as type: Value.Type) throws(MISFailure) -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: try string(name, maximumLength: 32)) else { throw MISFailure(.badAnswer, detail: "<\(node.name)> \(name) has an unknown value") }
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

/// The limits every value of an answer keeps (docs/mis-protocol.md, "Values").
enum AnswerLimits {
    static let identifier = 64
    static let text = 512
    static let ticket = 32
    /// Free counts, sequences and other counts.
    static let count = 10_000_000
    static let age = 150

    /// No control characters (`isControl`), at most `maximumLength` characters (Unicode scalars).
    /// Read as UTF-8 bytes, which every answer value is: C0 and DEL are single bytes, C1 is 0xC2
    /// followed by 0x80–0x9F, U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
    static func isText(_ value: String, maximumLength: Int) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            // The common case in one pass: no byte that starts a control character, and fewer bytes
            // than the limit (so fewer characters too).
            if bytes.count <= maximumLength, !mayHoldControl(bytes) { return true }
            var scalars = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x20 || byte == 0x7F { return false }
                if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] >= 0x80, bytes[index + 1] <= 0x9F { return false }
                if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 { return false }
                if byte & 0xC0 != 0x80 {
                    scalars += 1
                    if scalars > maximumLength { return false }
                }
                index += 1
            }
            return true
        }
    }

    /// Whether any byte is below 0x20, DEL, or 0xC2 / 0xE2 (which start C1 and U+2028/U+2029):
    /// eight bytes at a time (a zero byte of `word ^ pattern` shows a byte equal to the pattern's).
    private static func mayHoldControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        func hasBelow0x20(_ word: UInt64) -> Bool { (word &- ones &* 0x20) & ~word & highs != 0 }
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if hasBelow0x20(word) || hasZero(word ^ (ones &* 0x7F)) || hasZero(word ^ (ones &* 0xC2)) || hasZero(word ^ (ones &* 0xE2)) { return true }
                index += 8
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xE2 { return true }
            index += 1
        }
        return false
    }

    /// C0, DEL, C1, and the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Non-empty, and no white space (control characters are refused by `isText`).
    static func isIdentifier(_ value: String) -> Bool {
        guard !value.isEmpty else { return false }
        // Identifiers are nearly always ASCII: there white space is the space and TAB to CR.
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return !value.utf8.contains { $0 == 0x20 || (0x09...0x0D).contains($0) } }
        return !value.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    /// A ticket number as a patient reads it out at the desk: 1 to 32 letters, digits, spaces, `-`, `/`, `.`.
    static func isTicket(_ value: String) -> Bool {
        guard !value.isEmpty, isText(value, maximumLength: ticket) else { return false }
        return value.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || " -/.".unicodeScalars.contains($0) }
    }
}
