/// Splits template source into tokens, applying whitespace control and dropping comments.
///
/// Tags: `{{ … }}` output, `{% … %}` statement, `{# … #}` comment. A `-` just inside a delimiter
/// (`{{-`, `-%}`) trims the whitespace on that side. A statement or comment tag standing alone on
/// its line takes the line's indentation and line break with it.
struct Lexer {
    private let bytes: [UInt8]
    private var position = 0
    private var tokens: [Token] = []
    private var trimNextTextStart = false

    init(source: [UInt8]) {
        self.bytes = source
    }

    static func tokenize(_ source: [UInt8]) throws(PositionedError) -> [Token] {
        var lexer = Lexer(source: source)
        return try lexer.run()
    }

    private mutating func run() throws(PositionedError) -> [Token] {
        while position < bytes.count {
            let textStart = position
            guard let tagStart = nextTagStart(from: position) else {
                emitText(from: textStart, to: bytes.count)
                break
            }
            try lexTag(at: tagStart, textStart: textStart)
        }
        return tokens
    }

    private func nextTagStart(from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == Byte.openBrace {
                let next = bytes[index + 1]
                if next == Byte.openBrace || next == Byte.percent || next == Byte.hash { return index }
            }
            index += 1
        }
        return nil
    }

    private mutating func lexTag(at tagStart: Int, textStart: Int) throws(PositionedError) {
        let opener = bytes[tagStart + 1]
        var cursor = tagStart + 2
        let trimsBefore = cursor < bytes.count && bytes[cursor] == Byte.dash
        if trimsBefore { cursor += 1 }

        var tagTokens: [Token] = []
        let closer: UInt8 = opener == Byte.openBrace ? Byte.closeBrace : opener
        let tagEnd: Int
        let trimsAfter: Bool
        if opener == Byte.hash {
            (tagEnd, trimsAfter) = try findCommentEnd(from: cursor, tagStart: tagStart)
        } else {
            tagTokens.append(Token(kind: opener == Byte.openBrace ? .outputStart : .statementStart, offset: tagStart))
            (tagEnd, trimsAfter) = try lexTagBody(from: cursor, closer: closer, tagStart: tagStart, into: &tagTokens)
        }

        var textEnd = tagStart
        var resumeAt = tagEnd
        if trimsBefore {
            textEnd = trimmedEnd(from: textStart, to: tagStart)
        } else if opener != Byte.openBrace, !trimsAfter, let lineBreakEnd = standaloneLineEnd(tagStart: tagStart, tagEnd: tagEnd) {
            textEnd = lineIndentStart(before: tagStart)
            resumeAt = lineBreakEnd
        }
        emitText(from: textStart, to: max(textStart, textEnd))
        tokens.append(contentsOf: tagTokens)
        position = resumeAt
        trimNextTextStart = trimsAfter
    }

    private func findCommentEnd(from start: Int, tagStart: Int) throws(PositionedError) -> (end: Int, trims: Bool) {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == Byte.hash && bytes[index + 1] == Byte.closeBrace {
                let trims = index > start && bytes[index - 1] == Byte.dash
                return (index + 2, trims)
            }
            index += 1
        }
        throw PositionedError(offset: tagStart, message: "comment is not closed with #}")
    }

    /// Lexes the expression tokens of a tag up to and including its closing delimiter.
    private func lexTagBody(from start: Int, closer: UInt8, tagStart: Int, into output: inout [Token]) throws(PositionedError) -> (end: Int, trims: Bool) {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if Byte.isWhitespace(byte) {
                index += 1
                continue
            }
            if byte == Byte.dash, index + 2 < bytes.count, bytes[index + 1] == closer, bytes[index + 2] == Byte.closeBrace {
                output.append(Token(kind: .tagEnd, offset: index))
                return (index + 3, true)
            }
            if byte == closer, index + 1 < bytes.count, bytes[index + 1] == Byte.closeBrace {
                output.append(Token(kind: .tagEnd, offset: index))
                return (index + 2, false)
            }
            if Byte.isIdentifierStart(byte) {
                let end = scan(from: index, while: Byte.isIdentifierPart)
                output.append(Token(kind: .identifier(string(index, end)), offset: index))
                index = end
            } else if Byte.isDigit(byte) {
                index = try lexNumber(at: index, into: &output)
            } else if byte == Byte.doubleQuote || byte == Byte.singleQuote {
                index = try lexString(at: index, into: &output)
            } else if let symbol = symbol(at: index) {
                output.append(Token(kind: .symbol(symbol), offset: index))
                index += symbol.utf8.count
            } else if byte == Byte.openBrace, index + 1 < bytes.count, bytes[index + 1] == Byte.openBrace || bytes[index + 1] == Byte.percent {
                throw PositionedError(offset: tagStart, message: "tag is not closed before the next tag begins")
            } else {
                throw PositionedError(offset: index, message: "unexpected character '\(character(at: index))' in tag")
            }
        }
        let expected = closer == Byte.percent ? "%}" : "}}"
        throw PositionedError(offset: tagStart, message: "tag is not closed with \(expected)")
    }

    private func lexNumber(at start: Int, into output: inout [Token]) throws(PositionedError) -> Int {
        var end = scan(from: start, while: Byte.isDigit)
        if end + 1 < bytes.count, bytes[end] == Byte.dot, Byte.isDigit(bytes[end + 1]) {
            end = scan(from: end + 1, while: Byte.isDigit)
            guard let value = Double(string(start, end)) else {
                throw PositionedError(offset: start, message: "invalid number")
            }
            output.append(Token(kind: .decimal(value), offset: start))
        } else {
            guard let value = Int(string(start, end)) else {
                throw PositionedError(offset: start, message: "number is too large")
            }
            output.append(Token(kind: .integer(value), offset: start))
        }
        return end
    }

    private func lexString(at start: Int, into output: inout [Token]) throws(PositionedError) -> Int {
        let quote = bytes[start]
        var value: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                output.append(Token(kind: .string(String(decoding: value, as: UTF8.self)), offset: start))
                return index + 1
            }
            if byte == Byte.newline {
                break
            }
            if byte == Byte.backslash, index + 1 < bytes.count {
                let escaped = bytes[index + 1]
                switch escaped {
                case UInt8(ascii: "n"): value.append(Byte.newline)
                case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
                case Byte.backslash, Byte.doubleQuote, Byte.singleQuote: value.append(escaped)
                default: throw PositionedError(offset: index, message: "unknown escape \\\(character(at: index + 1)) in string")
                }
                index += 2
                continue
            }
            value.append(byte)
            index += 1
        }
        throw PositionedError(offset: start, message: "string is not closed")
    }

    private func symbol(at index: Int) -> String? {
        let byte = bytes[index]
        let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
        switch byte {
        case Byte.equals where next == Byte.equals: return "=="
        case UInt8(ascii: "!") where next == Byte.equals: return "!="
        case UInt8(ascii: "<") where next == Byte.equals: return "<="
        case UInt8(ascii: ">") where next == Byte.equals: return ">="
        case UInt8(ascii: "<"), UInt8(ascii: ">"), Byte.equals, Byte.dot, UInt8(ascii: "|"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ":"):
            return String(UnicodeScalar(byte))
        default:
            return nil
        }
    }

    /// When the tag is alone on its line, the offset just past that line's break (or the end).
    private func standaloneLineEnd(tagStart: Int, tagEnd: Int) -> Int? {
        let indentStart = lineIndentStart(before: tagStart)
        guard indentStart == 0 || bytes[indentStart - 1] == Byte.newline else { return nil }
        var index = tagEnd
        while index < bytes.count, Byte.isHorizontalSpace(bytes[index]) { index += 1 }
        if index == bytes.count { return index }
        if bytes[index] == Byte.newline { return index + 1 }
        if bytes[index] == Byte.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == Byte.newline { return index + 2 }
        return nil
    }

    private func lineIndentStart(before offset: Int) -> Int {
        var index = offset
        while index > 0, Byte.isHorizontalSpace(bytes[index - 1]) { index -= 1 }
        return index
    }

    private func trimmedEnd(from start: Int, to end: Int) -> Int {
        var index = end
        while index > start, Byte.isWhitespace(bytes[index - 1]) { index -= 1 }
        return index
    }

    private mutating func emitText(from start: Int, to end: Int) {
        var from = start
        if trimNextTextStart {
            while from < end, Byte.isWhitespace(bytes[from]) { from += 1 }
            trimNextTextStart = false
        }
        guard from < end else { return }
        tokens.append(Token(kind: .text(string(from, end)), offset: from))
    }

    private func scan(from start: Int, while predicate: (UInt8) -> Bool) -> Int {
        var index = start
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
        return index
    }

    private func string(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func character(at index: Int) -> String {
        var end = index + 1
        while end < bytes.count, (bytes[end] & 0xC0) == 0x80 { end += 1 }
        return string(index, end)
    }
}

/// ASCII bytes the lexer and scanners look for.
enum Byte {
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let percent = UInt8(ascii: "%")
    static let hash = UInt8(ascii: "#")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let equals = UInt8(ascii: "=")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    static func isHorizontalSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }
}
