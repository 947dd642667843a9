/// A template that cannot be compiled or rendered: which file, where, and what is wrong.
public struct TemplateError: Error, CustomStringConvertible, Equatable {
    /// The template's name, e.g. `pages/home`.
    public let template: String
    /// 1-based line of the problem.
    public let line: Int
    /// 1-based column (in characters) of the problem.
    public let column: Int
    /// What is wrong, in English, for the developer.
    public let message: String

    public init(template: String, line: Int, column: Int, message: String) {
        self.template = template
        self.line = line
        self.column = column
        self.message = message
    }

    /// Locates a byte offset in `source`; only called once something has gone wrong.
    init(template: String, source: [UInt8], offset: Int, message: String) {
        let location = SourceLocation(source: source, offset: offset)
        self.init(template: template, line: location.line, column: location.column, message: message)
    }

    public var description: String {
        "\(template).html:\(line):\(column): \(message)"
    }
}

/// A problem found at a byte offset, before the template's name and line are attached.
struct PositionedError: Error {
    let offset: Int
    let message: String
}

/// Line and column of a byte offset, counted in characters.
struct SourceLocation {
    let line: Int
    let column: Int

    init(source: [UInt8], offset: Int) {
        var line = 1
        var lineStart = 0
        let end = min(max(offset, 0), source.count)
        for index in 0..<end where source[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Continuation bytes (10xxxxxx) do not start a character.
        let column = source[lineStart..<end].reduce(1) { count, byte in (byte & 0xC0) == 0x80 ? count : count + 1 }
        self.line = line
        self.column = column
    }
}
