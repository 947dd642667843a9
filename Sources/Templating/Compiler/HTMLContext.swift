/// Follows template text through HTML's tokenizer states, coarsely, to tell each output's context.
///
/// It is not a full HTML parser: it knows tags, quoted and unquoted attribute values, comments and
/// the raw-text elements script and style — enough to choose the escaping and to refuse outputs
/// where escaping cannot make them safe.
struct HTMLContextScanner {
    private enum State: Equatable {
        case data
        case tagOpen
        case tagName
        case closingTagName
        case beforeAttributeName
        case attributeName
        case afterAttributeName
        case beforeAttributeValue
        case attributeValue(quote: UInt8)
        case unquotedAttributeValue
        case comment
        case rawText(element: String)
    }

    private var state: State = .data
    private var tagName: [UInt8] = []
    private var attributeName: [UInt8] = []
    private var valueIsEmpty = true

    private static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "poster", "cite", "data", "background", "srcset", "xlink:href",
    ]

    /// Feeds literal template text.
    mutating func consume(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { step(byte) }
    }

    /// Records that an output wrote at this point (so a URL value no longer starts here).
    mutating func noteOutput() {
        if case .attributeValue = state { valueIsEmpty = false }
    }

    /// The context for an output placed here, or a reason why no output may stand here.
    func contextForOutput() -> Result<OutputContext, PositionedError> {
        switch state {
        case .data, .comment:
            return .success(.text)
        case .attributeValue:
            let name = String(decoding: attributeName, as: UTF8.self)
            return .success(valueIsEmpty && Self.urlAttributes.contains(name) ? .url : .attribute)
        case .unquotedAttributeValue, .beforeAttributeValue:
            return .failure(PositionedError(offset: 0, message: "put the attribute value in quotes before writing a value into it"))
        case .rawText(let element):
            return .failure(PositionedError(offset: 0, message: "values cannot be written inside <\(element)>; pass data through attributes"))
        case .tagOpen, .tagName, .closingTagName, .beforeAttributeName, .attributeName, .afterAttributeName:
            return .failure(PositionedError(offset: 0, message: "a value inside a tag must stand in a quoted attribute value"))
        }
    }

    private mutating func step(_ byte: UInt8) {
        switch state {
        case .data:
            if byte == UInt8(ascii: "<") { state = .tagOpen }
        case .tagOpen:
            if isLetter(byte) {
                tagName = [lowercased(byte)]
                state = .tagName
            } else if byte == UInt8(ascii: "/") {
                tagName = []
                state = .closingTagName
            } else if byte == UInt8(ascii: "!") {
                state = .comment  // <!-- … --> and <!DOCTYPE …> both end at '>'
            } else {
                state = .data
            }
        case .tagName:
            if Byte.isWhitespace(byte) {
                state = .beforeAttributeName
            } else if byte == UInt8(ascii: ">") {
                endTag()
            } else if byte == UInt8(ascii: "/") {
                state = .beforeAttributeName
            } else {
                tagName.append(lowercased(byte))
            }
        case .closingTagName:
            if byte == UInt8(ascii: ">") { state = .data }
        case .beforeAttributeName, .afterAttributeName:
            if byte == UInt8(ascii: ">") {
                endTag()
            } else if byte == Byte.equals, state == .afterAttributeName {
                state = .beforeAttributeValue
            } else if !Byte.isWhitespace(byte) && byte != UInt8(ascii: "/") {
                attributeName = [lowercased(byte)]
                state = .attributeName
            }
        case .attributeName:
            if byte == Byte.equals {
                state = .beforeAttributeValue
            } else if Byte.isWhitespace(byte) {
                state = .afterAttributeName
            } else if byte == UInt8(ascii: ">") {
                endTag()
            } else {
                attributeName.append(lowercased(byte))
            }
        case .beforeAttributeValue:
            if byte == Byte.doubleQuote || byte == Byte.singleQuote {
                state = .attributeValue(quote: byte)
                valueIsEmpty = true
            } else if byte == UInt8(ascii: ">") {
                endTag()
            } else if !Byte.isWhitespace(byte) {
                state = .unquotedAttributeValue
            }
        case .attributeValue(let quote):
            if byte == quote {
                state = .beforeAttributeName
            } else {
                valueIsEmpty = false
            }
        case .unquotedAttributeValue:
            if Byte.isWhitespace(byte) {
                state = .beforeAttributeName
            } else if byte == UInt8(ascii: ">") {
                endTag()
            }
        case .comment:
            if byte == UInt8(ascii: ">") { state = .data }
        case .rawText(let element):
            // Leaves raw text at "</element"; the closing tag's '>' then returns to data.
            tagName.append(lowercased(byte))
            let closing = Array("</\(element)".utf8)
            if tagName.count > closing.count { tagName.removeFirst(tagName.count - closing.count) }
            if tagName == closing { state = .closingTagName }
        }
    }

    private mutating func endTag() {
        let name = String(decoding: tagName, as: UTF8.self)
        if name == "script" || name == "style" {
            state = .rawText(element: name)
            tagName = []
        } else {
            state = .data
        }
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
