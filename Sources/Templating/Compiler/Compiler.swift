import Foundation

/// Turns one template's syntax tree into a flat program: resolves names to loop slots or page
/// fields, decides the escaping of every output from its HTML context, binds filters, and finds
/// included and extended templates by name.
struct Compiler {
    private let templateIndex: [String: Int]
    private let options: TemplateOptions
    /// A `.txt` template: plain text (a message's text part), whose outputs are written as they are.
    private let plainText: Bool
    private var scanner = HTMLContextScanner()
    private var scope: [(name: String, slot: Int)] = []
    private var loopSlots: [Int] = []
    private var nextSlot = 0
    private var slotCount = 0
    private var program = Program()
    /// The first operation index that is a jump target; text is never merged across it.
    private var mergeBarrier = 0
    private var blocks: [String: BlockEntry] = [:]
    /// Block names rendered by the body being compiled: the main body, then each nested block's.
    private var blockReferences: [[String]] = [[]]

    init(templateIndex: [String: Int], options: TemplateOptions, plainText: Bool = false) {
        self.templateIndex = templateIndex
        self.options = options
        self.plainText = plainText
    }

    static func compile(name: String, source: [UInt8], templateIndex: [String: Int], options: TemplateOptions) throws(TemplateError) -> CompiledTemplate {
        var compiler = Compiler(templateIndex: templateIndex, options: options, plainText: name.hasSuffix(".txt"))
        do {
            let tree = try Parser.parse(source)
            var parent: (index: Int, offset: Int)?
            if let declared = tree.parent {
                parent = (try compiler.resolveTemplate(declared.name, offset: declared.offset), declared.offset)
            }
            try compiler.compile(tree.nodes)
            compiler.emit(.end)
            return CompiledTemplate(
                name: name, source: source, parent: parent, program: compiler.program, blocks: compiler.blocks,
                blockReferences: compiler.blockReferences[0], localCount: compiler.slotCount
            )
        } catch {
            throw TemplateError(template: name, source: source, offset: error.offset, message: error.message)
        }
    }

    // MARK: Emitting

    @discardableResult
    private mutating func emit(_ code: Operation.Code, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0, offset: Int = 0) -> Int {
        program.operations.append(Operation(code: code, a: Int32(a), b: Int32(b), c: Int32(c), offset: Int32(offset)))
        return program.operations.count - 1
    }

    /// The position the next operation will take, marked as a jump target.
    private mutating func label() -> Int {
        mergeBarrier = program.operations.count
        return mergeBarrier
    }

    private mutating func emitText(_ bytes: [UInt8]) {
        let start = program.text.count
        program.text.append(contentsOf: bytes)
        let last = program.operations.count - 1
        if last >= mergeBarrier, last >= 0, program.operations[last].code == .text, Int(program.operations[last].b) == start {
            program.operations[last].b = Int32(program.text.count)
        } else {
            emit(.text, start, program.text.count)
        }
    }

    // MARK: Nodes

    private mutating func compile(_ nodes: [SyntaxNode]) throws(PositionedError) {
        for node in nodes {
            switch node {
            case .text(let text):
                let bytes = Array(text.utf8)
                scanner.consume(bytes)
                emitText(bytes)
            case .output(let expression, let raw, let offset):
                try compileOutput(expression, raw: raw, offset: offset)
            case .conditional(let branches, let otherwise):
                try compileConditional(branches, otherwise: otherwise)
            case .loop(let variable, let sequence, let body, let empty, let offset):
                try compileLoop(variable, sequence, body, empty, offset: offset)
            case .block(let name, let body, let offset):
                try compileBlock(name, body, offset: offset)
            case .include(let name, let arguments, let offset):
                let index = try resolveTemplate(name, offset: offset)
                var bound: [(name: String, expression: Int32)] = []
                for argument in arguments { bound.append((argument.name, try expression(argument.value))) }
                program.includes.append(IncludeCall(template: index, arguments: bound, offset: offset))
                emit(.include, program.includes.count - 1, offset: offset)
            }
        }
    }

    private mutating func compileOutput(_ syntax: SyntaxExpression, raw: Bool, offset: Int) throws(PositionedError) {
        let value = try expression(syntax)
        var context: Int32 = -1
        if !raw && !plainText {
            switch scanner.contextForOutput() {
            case .success(let found): context = found.rawValue
            case .failure(let problem): throw PositionedError(offset: offset, message: problem.message)
            }
        }
        scanner.noteOutput()
        emit(.output, Int(value), Int(context), offset: offset)
    }

    private mutating func compileConditional(_ branches: [SyntaxBranch], otherwise: [SyntaxNode]?) throws(PositionedError) {
        let before = scanner
        var after: HTMLContextScanner?
        var exits: [Int] = []
        for branch in branches {
            scanner = before
            let condition = try expression(branch.condition)
            let test = emit(.jumpUnless, Int(condition))
            try compile(branch.body)
            after = after ?? scanner
            exits.append(emit(.jump))
            program.operations[test].b = Int32(label())
        }
        if let otherwise {
            scanner = before
            try compile(otherwise)
        }
        let end = label()
        for exit in exits { program.operations[exit].a = Int32(end) }
        scanner = after ?? before
    }

    private mutating func compileLoop(_ variable: String, _ sequence: SyntaxExpression, _ body: [SyntaxNode], _ empty: [SyntaxNode]?, offset: Int) throws(PositionedError) {
        let list = try expression(sequence)
        let before = scanner
        let slot = nextSlot
        nextSlot += 3
        slotCount = max(slotCount, nextSlot)
        let begin = emit(.loopBegin, Int(list), slot, offset: offset)
        let bodyStart = label()
        scope.append((variable, slot))
        loopSlots.append(slot)
        try compile(body)
        scope.removeLast()
        loopSlots.removeLast()
        nextSlot -= 3
        emit(.loopNext, bodyStart, slot)
        let exit = emit(.jump)
        program.operations[begin].c = Int32(label())
        let after = scanner
        scanner = before
        try compile(empty ?? [])
        program.operations[exit].a = Int32(label())
        scanner = after
    }

    /// A block is compiled in place — `[block] [jump past] [body] [end]` — so that its body sees the
    /// loop variables around it; the renderer runs whichever template's body wins.
    private mutating func compileBlock(_ name: String, _ body: [SyntaxNode], offset: Int) throws(PositionedError) {
        guard blocks[name] == nil else {
            throw PositionedError(offset: offset, message: "block '\(name)' is defined twice")
        }
        program.keys.append(name)
        emit(.block, program.keys.count - 1, offset: offset)
        blockReferences[blockReferences.count - 1].append(name)
        let skip = emit(.jump)
        let entry = label()
        blockReferences.append([])
        try compile(body)
        emit(.end)
        blocks[name] = BlockEntry(entry: entry, references: blockReferences.removeLast())
        program.operations[skip].a = Int32(label())
    }

    private func resolveTemplate(_ name: String, offset: Int) throws(PositionedError) -> Int {
        guard let index = templateIndex[name] else {
            throw PositionedError(offset: offset, message: "there is no template named '\(name)'")
        }
        return index
    }

    // MARK: Expressions

    private mutating func node(_ kind: ExpressionNode.Kind, _ a: Int32 = 0, _ b: Int32 = 0, _ c: Int32 = 0, offset: Int = 0) -> Int32 {
        program.expressions.append(ExpressionNode(kind: kind, a: a, b: b, c: c, offset: Int32(offset)))
        return Int32(program.expressions.count - 1)
    }

    private mutating func constant(_ value: TemplateValue) -> Int32 {
        program.constants.append(value)
        return node(.constant, Int32(program.constants.count - 1))
    }

    private mutating func expression(_ syntax: SyntaxExpression) throws(PositionedError) -> Int32 {
        switch syntax {
        case .literal(let literal):
            return constant(literal.value)
        case .path(let path, let offset):
            return try resolve(path, offset: offset)
        case .not(let inner):
            return node(.not, try expression(inner))
        case .binary(let op, let left, let right, let offset):
            let lhs = try expression(left)
            let rhs = try expression(right)
            switch op {
            case .and: return node(.and, lhs, rhs, offset: offset)
            case .or: return node(.or, lhs, rhs, offset: offset)
            case .equal: return node(.compare, lhs, rhs, Comparison.equal.rawValue, offset: offset)
            case .notEqual: return node(.compare, lhs, rhs, Comparison.notEqual.rawValue, offset: offset)
            case .less: return node(.compare, lhs, rhs, Comparison.less.rawValue, offset: offset)
            case .lessOrEqual: return node(.compare, lhs, rhs, Comparison.lessOrEqual.rawValue, offset: offset)
            case .greater: return node(.compare, lhs, rhs, Comparison.greater.rawValue, offset: offset)
            case .greaterOrEqual: return node(.compare, lhs, rhs, Comparison.greaterOrEqual.rawValue, offset: offset)
            }
        case .filter(let input, let name, let arguments, let offset):
            let value = try expression(input)
            let bound = try bindFilter(name, arguments: arguments, offset: offset)
            program.filters.append(bound)
            return node(.filter, value, Int32(program.filters.count - 1), offset: offset)
        }
    }

    private mutating func resolve(_ path: [String], offset: Int) throws(PositionedError) -> Int32 {
        let head = path[0]
        let rest = path.dropFirst()
        if head == "loop" {
            guard let slot = loopSlots.last else {
                throw PositionedError(offset: offset, message: "'loop' only exists inside {% for %}")
            }
            guard rest.count == 1, let property = LoopProperty(name: rest.first!) else {
                throw PositionedError(offset: offset, message: "loop has index, number, first, last and count")
            }
            return node(.loop, property.rawValue, Int32(slot), offset: offset)
        }
        if let local = scope.last(where: { $0.name == head }) {
            let fieldsStart = Int32(program.keys.count)
            program.keys.append(contentsOf: rest)
            return node(.local, Int32(local.slot), fieldsStart, Int32(rest.count), offset: offset)
        }
        let nameIndex = Int32(program.keys.count)
        program.keys.append(head)
        program.keys.append(contentsOf: rest)
        return node(.global, nameIndex, nameIndex + 1, Int32(rest.count), offset: offset)
    }

    private mutating func bindFilter(_ name: String, arguments: [SyntaxExpression], offset: Int) throws(PositionedError) -> BoundFilter {
        func expectArguments(_ range: ClosedRange<Int>, _ usage: String) throws(PositionedError) {
            guard range.contains(arguments.count) else {
                throw PositionedError(offset: offset, message: "\(name) is used as \(usage)")
            }
        }
        func literalString(_ position: Int, _ what: String) throws(PositionedError) -> String {
            guard case .literal(.string(let value)) = arguments[position] else {
                throw PositionedError(offset: offset, message: "\(name) needs \(what) as a quoted string")
            }
            return value
        }
        switch name {
        case "date":
            try expectArguments(1...2, "date(\"pattern\") or date(\"pattern\", timeZone)")
            let pattern = try literalString(0, "its pattern")
            let format: RussianDateFormat
            do {
                format = try RussianDateFormat(pattern)
            } catch {
                throw PositionedError(offset: offset, message: error.message)
            }
            guard arguments.count == 2 else { return .date(format, timeZone: .fixed(options.timeZone)) }
            if case .literal(.string(let identifier)) = arguments[1] {
                guard let zone = TimeZone(identifier: identifier) else {
                    throw PositionedError(offset: offset, message: "unknown time zone '\(identifier)'")
                }
                return .date(format, timeZone: .fixed(zone))
            }
            return .date(format, timeZone: .evaluated(try expression(arguments[1])))
        case "plural", "plural_word":
            try expectArguments(3...3, "\(name)(\"талон\", \"талона\", \"талонов\")")
            let forms = RussianPluralForms(
                one: try literalString(0, "the form for 1"),
                few: try literalString(1, "the form for 2"),
                many: try literalString(2, "the form for 5")
            )
            return .plural(forms, includesNumber: name == "plural")
        case "default":
            try expectArguments(1...1, "default(value)")
            return .fallback(try expression(arguments[0]))
        case "upper", "lower", "capitalize", "url", "length":
            try expectArguments(0...0, "\(name) without arguments")
            switch name {
            case "upper": return .upper
            case "lower": return .lower
            case "capitalize": return .capitalize
            case "url": return .urlComponent
            default: return .length
            }
        case "number":
            try expectArguments(0...1, "number or number(decimals)")
            guard arguments.count == 1 else { return .number(decimals: 0) }
            guard case .literal(.integer(let decimals)) = arguments[0], (0...6).contains(decimals) else {
                throw PositionedError(offset: offset, message: "number takes the count of decimals, 0 to 6")
            }
            return .number(decimals: decimals)
        case "join":
            try expectArguments(1...1, "join(\", \")")
            return .join(try literalString(0, "its separator"))
        default:
            guard let custom = options.filters[name] else {
                throw PositionedError(offset: offset, message: "unknown filter '\(name)'")
            }
            var bound: [Int32] = []
            for argument in arguments { bound.append(try expression(argument)) }
            return .custom(name: name, custom, arguments: bound)
        }
    }
}

extension SyntaxLiteral {
    var value: TemplateValue {
        switch self {
        case .string(let value): .string(value)
        case .integer(let value): .int(value)
        case .decimal(let value): .double(value)
        case .bool(let value): .bool(value)
        case .null: .null
        }
    }
}
