/// Builds the syntax tree from tokens: statements nest, expressions follow the grammar in docs/templates.md.
struct Parser {
    private let tokens: [Token]
    private let sourceLength: Int
    private var index = 0

    init(tokens: [Token], sourceLength: Int) {
        self.tokens = tokens
        self.sourceLength = sourceLength
    }

    static func parse(_ source: [UInt8]) throws(PositionedError) -> SyntaxTree {
        var parser = Parser(tokens: try Lexer.tokenize(source), sourceLength: source.count)
        return try parser.parseTemplate()
    }

    mutating func parseTemplate() throws(PositionedError) -> SyntaxTree {
        let parent = try parseExtends()
        let (nodes, closing) = try parseNodes(closedBy: [])
        if let closing {
            throw PositionedError(offset: closing.offset, message: "{% \(closing.keyword) %} has no matching opening tag")
        }
        guard parent != nil else { return SyntaxTree(parent: nil, nodes: nodes) }
        try checkOnlyBlocks(nodes)
        return SyntaxTree(parent: parent, nodes: nodes.filter { if case .block = $0 { true } else { false } })
    }

    // MARK: Statements

    private typealias Closing = (keyword: String, offset: Int)

    private mutating func parseExtends() throws(PositionedError) -> (name: String, offset: Int)? {
        var lookahead = index
        while lookahead < tokens.count, case .text(let text) = tokens[lookahead].kind, text.allSatisfy(\.isWhitespace) {
            lookahead += 1
        }
        guard lookahead + 1 < tokens.count, tokens[lookahead].kind == .statementStart,
            tokens[lookahead + 1].kind == .identifier("extends")
        else { return nil }
        index = lookahead + 2
        let offset = tokens[lookahead].offset
        let name = try expectString("the layout's name after extends")
        try expectTagEnd()
        return (name, offset)
    }

    /// Parses nodes until one of `keywords` opens a statement tag (consumed, returned) or the input ends.
    private mutating func parseNodes(closedBy keywords: Set<String>) throws(PositionedError) -> ([SyntaxNode], Closing?) {
        var nodes: [SyntaxNode] = []
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .text(let text):
                index += 1
                nodes.append(.text(text))
            case .outputStart:
                index += 1
                nodes.append(try parseOutput(offset: token.offset))
            case .statementStart:
                index += 1
                let keyword = try expectIdentifier("a statement keyword")
                if keywords.contains(keyword) || Self.closingKeywords.contains(keyword) {
                    return (nodes, (keyword, token.offset))
                }
                nodes.append(try parseStatement(keyword, offset: token.offset))
            default:
                throw PositionedError(offset: token.offset, message: "unexpected token outside a tag")
            }
        }
        return (nodes, nil)
    }

    private static let reservedWords: Set<String> = ["in", "and", "or", "not", "true", "false", "null", "raw"]

    private static let closingKeywords: Set<String> = ["elif", "else", "endif", "empty", "endfor", "endblock"]

    private mutating func parseOutput(offset: Int) throws(PositionedError) -> SyntaxNode {
        var raw = false
        if case .identifier("raw") = peek?.kind, let next = peek(1), !next.isPathContinuation {
            raw = true
            index += 1
        }
        if peek?.kind == .tagEnd {
            throw PositionedError(offset: offset, message: "output tag is empty")
        }
        let expression = try parseExpression()
        try expectTagEnd()
        return .output(expression, raw: raw, offset: offset)
    }

    private mutating func parseStatement(_ keyword: String, offset: Int) throws(PositionedError) -> SyntaxNode {
        switch keyword {
        case "if": return try parseConditional(offset: offset)
        case "for": return try parseLoop(offset: offset)
        case "block": return try parseBlock(offset: offset)
        case "include": return try parseInclude(offset: offset)
        case "extends":
            throw PositionedError(offset: offset, message: "extends must be the first tag of the template")
        default:
            throw PositionedError(offset: offset, message: "unknown statement '\(keyword)'")
        }
    }

    private mutating func parseConditional(offset: Int) throws(PositionedError) -> SyntaxNode {
        var branches: [SyntaxBranch] = []
        var condition = try parseExpression()
        try expectTagEnd()
        while true {
            let (body, closing) = try parseNodes(closedBy: ["elif", "else", "endif"])
            branches.append(SyntaxBranch(condition: condition, body: body))
            switch closing?.keyword {
            case "elif":
                condition = try parseExpression()
                try expectTagEnd()
            case "else":
                try expectTagEnd()
                let (otherwise, end) = try parseNodes(closedBy: ["endif"])
                try expectClosing(end, "endif", openedBy: "if", at: offset)
                return .conditional(branches: branches, otherwise: otherwise)
            default:
                try expectClosing(closing, "endif", openedBy: "if", at: offset)
                return .conditional(branches: branches, otherwise: nil)
            }
        }
    }

    private mutating func parseLoop(offset: Int) throws(PositionedError) -> SyntaxNode {
        if case .identifier(let word)? = peek?.kind, Self.reservedWords.contains(word) {
            throw unexpected(expecting: "the loop variable's name after for")
        }
        let variable = try expectIdentifier("the loop variable's name after for")
        if variable == "loop" {
            throw PositionedError(offset: offset, message: "'loop' is reserved for the loop's position")
        }
        guard case .identifier("in") = peek?.kind else {
            throw PositionedError(offset: peek?.offset ?? offset, message: "expected 'in' after the loop variable")
        }
        index += 1
        let sequence = try parseExpression()
        try expectTagEnd()
        let (body, closing) = try parseNodes(closedBy: ["empty", "endfor"])
        if closing?.keyword == "empty" {
            try expectTagEnd()
            let (empty, end) = try parseNodes(closedBy: ["endfor"])
            try expectClosing(end, "endfor", openedBy: "for", at: offset)
            return .loop(variable: variable, sequence: sequence, body: body, empty: empty, offset: offset)
        }
        try expectClosing(closing, "endfor", openedBy: "for", at: offset)
        return .loop(variable: variable, sequence: sequence, body: body, empty: nil, offset: offset)
    }

    private mutating func parseBlock(offset: Int) throws(PositionedError) -> SyntaxNode {
        let name = try expectIdentifier("the block's name")
        try expectTagEnd()
        let (body, closing) = try parseNodes(closedBy: ["endblock"])
        try expectClosing(closing, "endblock", openedBy: "block", at: offset)
        return .block(name: name, body: body, offset: offset)
    }

    private mutating func parseInclude(offset: Int) throws(PositionedError) -> SyntaxNode {
        let name = try expectString("the included template's name")
        var arguments: [SyntaxArgument] = []
        if case .identifier("with") = peek?.kind {
            index += 1
            repeat {
                let argumentName = try expectIdentifier("a parameter name")
                try expectSymbol(":")
                arguments.append(SyntaxArgument(name: argumentName, value: try parseExpression()))
            } while consumeSymbol(",")
        }
        try expectTagEnd()
        return .include(name: name, arguments: arguments, offset: offset)
    }

    private mutating func expectClosing(_ closing: Closing?, _ keyword: String, openedBy opener: String, at offset: Int) throws(PositionedError) {
        guard let closing else {
            throw PositionedError(offset: offset, message: "{% \(opener) %} is never closed with {% \(keyword) %}")
        }
        guard closing.keyword == keyword else {
            throw PositionedError(
                offset: closing.offset,
                message: "expected {% \(keyword) %} to close {% \(opener) %}, found {% \(closing.keyword) %}"
            )
        }
        try expectTagEnd()
    }

    private func checkOnlyBlocks(_ nodes: [SyntaxNode]) throws(PositionedError) {
        for node in nodes {
            switch node {
            case .block: continue
            case .text(let text) where text.allSatisfy(\.isWhitespace): continue
            case .output(_, _, let offset), .loop(_, _, _, _, let offset), .include(_, _, let offset):
                throw PositionedError(offset: offset, message: "a template that extends a layout may only contain blocks")
            case .text, .conditional:
                throw PositionedError(offset: 0, message: "a template that extends a layout may only contain blocks")
            }
        }
    }

    // MARK: Expressions

    private mutating func parseExpression() throws(PositionedError) -> SyntaxExpression {
        var left = try parseAnd()
        while case .identifier("or") = peek?.kind {
            let offset = tokens[index].offset
            index += 1
            left = .binary(.or, left, try parseAnd(), offset: offset)
        }
        return left
    }

    private mutating func parseAnd() throws(PositionedError) -> SyntaxExpression {
        var left = try parseNot()
        while case .identifier("and") = peek?.kind {
            let offset = tokens[index].offset
            index += 1
            left = .binary(.and, left, try parseNot(), offset: offset)
        }
        return left
    }

    private mutating func parseNot() throws(PositionedError) -> SyntaxExpression {
        if case .identifier("not") = peek?.kind {
            index += 1
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(PositionedError) -> SyntaxExpression {
        let left = try parseFiltered()
        if case .symbol(let symbol) = peek?.kind, let comparison = BinaryOperator(rawValue: symbol) {
            let offset = tokens[index].offset
            index += 1
            return .binary(comparison, left, try parseFiltered(), offset: offset)
        }
        return left
    }

    private mutating func parseFiltered() throws(PositionedError) -> SyntaxExpression {
        var value = try parsePrimary()
        while consumeSymbol("|") {
            let offset = peek?.offset ?? sourceLength
            let name = try expectIdentifier("a filter name after |")
            var arguments: [SyntaxExpression] = []
            if consumeSymbol("(") {
                if !consumeSymbol(")") {
                    repeat { arguments.append(try parseExpression()) } while consumeSymbol(",")
                    try expectSymbol(")")
                }
            }
            value = .filter(value, name: name, arguments: arguments, offset: offset)
        }
        return value
    }

    private mutating func parsePrimary() throws(PositionedError) -> SyntaxExpression {
        guard let token = peek else {
            throw PositionedError(offset: sourceLength, message: "expression ends unexpectedly")
        }
        index += 1
        switch token.kind {
        case .string(let value): return .literal(.string(value))
        case .integer(let value): return .literal(.integer(value))
        case .decimal(let value): return .literal(.decimal(value))
        case .identifier("true"): return .literal(.bool(true))
        case .identifier("false"): return .literal(.bool(false))
        case .identifier("null"): return .literal(.null)
        case .identifier(let name):
            var path = [name]
            while consumeSymbol(".") {
                path.append(try expectIdentifier("a field name after ."))
            }
            return .path(path, offset: token.offset)
        case .symbol("("):
            let inner = try parseExpression()
            try expectSymbol(")")
            return inner
        case .tagEnd:
            throw PositionedError(offset: token.offset, message: "expected a value before the tag ends")
        default:
            throw PositionedError(offset: token.offset, message: "expected a value, found \(token.kind.description)")
        }
    }

    // MARK: Token helpers

    private var peek: Token? { index < tokens.count ? tokens[index] : nil }

    private func peek(_ distance: Int) -> Token? {
        index + distance < tokens.count ? tokens[index + distance] : nil
    }

    private mutating func consumeSymbol(_ symbol: String) -> Bool {
        guard case .symbol(symbol) = peek?.kind else { return false }
        index += 1
        return true
    }

    private mutating func expectSymbol(_ symbol: String) throws(PositionedError) {
        guard consumeSymbol(symbol) else {
            throw unexpected(expecting: "'\(symbol)'")
        }
    }

    private mutating func expectIdentifier(_ what: String) throws(PositionedError) -> String {
        guard case .identifier(let name) = peek?.kind else { throw unexpected(expecting: what) }
        index += 1
        return name
    }

    private mutating func expectString(_ what: String) throws(PositionedError) -> String {
        guard case .string(let value) = peek?.kind else { throw unexpected(expecting: "\(what) in quotes") }
        index += 1
        return value
    }

    private mutating func expectTagEnd() throws(PositionedError) {
        guard peek?.kind == .tagEnd else { throw unexpected(expecting: "the end of the tag") }
        index += 1
    }

    private func unexpected(expecting what: String) -> PositionedError {
        guard let token = peek else {
            return PositionedError(offset: sourceLength, message: "expected \(what), but the template ends")
        }
        return PositionedError(offset: token.offset, message: "expected \(what), found \(token.kind.description)")
    }
}

extension Token {
    /// Whether the token continues a path or filter chain (so a preceding `raw` is a variable name).
    var isPathContinuation: Bool {
        switch kind {
        case .tagEnd, .symbol("."), .symbol("|"), .symbol("=="), .symbol("!="): true
        default: false
        }
    }
}

extension Token.Kind {
    var description: String {
        switch self {
        case .text: "text"
        case .outputStart: "{{"
        case .statementStart: "{%"
        case .tagEnd: "the end of the tag"
        case .identifier(let name): "'\(name)'"
        case .string(let value): "\"\(value)\""
        case .integer(let value): "\(value)"
        case .decimal(let value): "\(value)"
        case .symbol(let symbol): "'\(symbol)'"
        }
    }
}
