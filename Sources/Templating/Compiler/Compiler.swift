import Foundation

/// Turns one template's syntax tree into instructions: resolves names to loop slots or page
/// fields, decides the escaping of every output from its HTML context, binds filters, and finds
/// included and extended templates by name.
struct Compiler {
    private let templateIndex: [String: Int]
    private let options: TemplateOptions
    private var scanner = HTMLContextScanner()
    private var scope: [(name: String, slot: Int)] = []
    private var loopSlots: [Int] = []
    private var nextSlot = 0
    private var slotCount = 0
    private var blocks: [String: [Instruction]] = [:]

    init(templateIndex: [String: Int], options: TemplateOptions) {
        self.templateIndex = templateIndex
        self.options = options
    }

    static func compile(name: String, source: [UInt8], templateIndex: [String: Int], options: TemplateOptions) throws(TemplateError) -> CompiledTemplate {
        var compiler = Compiler(templateIndex: templateIndex, options: options)
        do {
            let tree = try Parser.parse(source)
            var parent: (index: Int, offset: Int)?
            if let declared = tree.parent {
                parent = (try compiler.resolveTemplate(declared.name, offset: declared.offset), declared.offset)
            }
            let instructions = try compiler.compile(tree.nodes)
            return CompiledTemplate(
                name: name, source: source, parent: parent, instructions: instructions,
                blocks: compiler.blocks, localCount: compiler.slotCount
            )
        } catch {
            throw TemplateError(template: name, source: source, offset: error.offset, message: error.message)
        }
    }

    // MARK: Nodes

    private mutating func compile(_ nodes: [SyntaxNode]) throws(PositionedError) -> [Instruction] {
        var instructions: [Instruction] = []
        for node in nodes {
            switch node {
            case .text(let text):
                let bytes = Array(text.utf8)
                scanner.consume(bytes)
                if case .text(let previous)? = instructions.last {
                    instructions[instructions.count - 1] = .text(previous + bytes)
                } else {
                    instructions.append(.text(bytes))
                }
            case .output(let expression, let raw, let offset):
                instructions.append(try compileOutput(expression, raw: raw, offset: offset))
            case .conditional(let branches, let otherwise):
                instructions.append(try compileConditional(branches, otherwise: otherwise))
            case .loop(let variable, let sequence, let body, let empty, let offset):
                instructions.append(try compileLoop(variable, sequence, body, empty, offset: offset))
            case .block(let name, let body, let offset):
                guard blocks[name] == nil else {
                    throw PositionedError(offset: offset, message: "block '\(name)' is defined twice")
                }
                blocks[name] = try compile(body)
                instructions.append(.block(name))
            case .include(let name, let arguments, let offset):
                let index = try resolveTemplate(name, offset: offset)
                let bound = try arguments.map { argument throws(PositionedError) in
                    IncludeArgument(name: argument.name, value: try evaluation(argument.value))
                }
                instructions.append(.include(template: index, arguments: bound, offset: offset))
            }
        }
        return instructions
    }

    private mutating func compileOutput(_ expression: SyntaxExpression, raw: Bool, offset: Int) throws(PositionedError) -> Instruction {
        let value = try evaluation(expression)
        var context: OutputContext?
        if !raw {
            switch scanner.contextForOutput() {
            case .success(let found): context = found
            case .failure(let problem): throw PositionedError(offset: offset, message: problem.message)
            }
        }
        scanner.noteOutput()
        return .output(value, context, offset: offset)
    }

    private mutating func compileConditional(_ branches: [SyntaxBranch], otherwise: [SyntaxNode]?) throws(PositionedError) -> Instruction {
        let before = scanner
        var after: HTMLContextScanner?
        var arms: [ConditionalArm] = []
        for branch in branches {
            scanner = before
            let condition = try evaluation(branch.condition)
            arms.append(ConditionalArm(condition: condition, body: try compile(branch.body)))
            after = after ?? scanner
        }
        var fallback: [Instruction] = []
        if let otherwise {
            scanner = before
            fallback = try compile(otherwise)
        }
        scanner = after ?? before
        return .conditional(arms, otherwise: fallback)
    }

    private mutating func compileLoop(_ variable: String, _ sequence: SyntaxExpression, _ body: [SyntaxNode], _ empty: [SyntaxNode]?, offset: Int) throws(PositionedError) -> Instruction {
        let source = try evaluation(sequence)
        let before = scanner
        let slot = nextSlot
        nextSlot += 3
        slotCount = max(slotCount, nextSlot)
        scope.append((variable, slot))
        loopSlots.append(slot)
        let compiledBody = try compile(body)
        scope.removeLast()
        loopSlots.removeLast()
        nextSlot -= 3
        let after = scanner
        scanner = before
        let compiledEmpty = try compile(empty ?? [])
        scanner = after
        return .loop(LoopInstruction(sequence: source, slot: slot, body: compiledBody, empty: compiledEmpty, offset: offset))
    }

    private func resolveTemplate(_ name: String, offset: Int) throws(PositionedError) -> Int {
        guard let index = templateIndex[name] else {
            throw PositionedError(offset: offset, message: "there is no template named '\(name)'")
        }
        return index
    }

    // MARK: Expressions

    private func evaluation(_ expression: SyntaxExpression) throws(PositionedError) -> Evaluation {
        switch expression {
        case .literal(let literal):
            return .constant(literal.value)
        case .path(let path, let offset):
            return try resolve(path, offset: offset)
        case .not(let inner):
            return .not(try evaluation(inner))
        case .binary(let op, let left, let right, let offset):
            return .binary(op, try evaluation(left), try evaluation(right), offset: offset)
        case .filter(let input, let name, let arguments, let offset):
            let bound = try bindFilter(name, arguments: arguments, offset: offset)
            return .filter(try evaluation(input), bound, offset: offset)
        }
    }

    private func resolve(_ path: [String], offset: Int) throws(PositionedError) -> Evaluation {
        let head = path[0]
        let rest = Array(path.dropFirst())
        if head == "loop" {
            guard let slot = loopSlots.last else {
                throw PositionedError(offset: offset, message: "'loop' only exists inside {% for %}")
            }
            guard rest.count == 1, let property = LoopProperty(rawValue: rest[0]) else {
                throw PositionedError(offset: offset, message: "loop has index, number, first, last and count")
            }
            return .loop(slot: slot, property)
        }
        if let local = scope.last(where: { $0.name == head }) {
            return .local(slot: local.slot, path: rest, offset: offset)
        }
        return .global(name: head, path: rest, offset: offset)
    }

    private func bindFilter(_ name: String, arguments: [SyntaxExpression], offset: Int) throws(PositionedError) -> BoundFilter {
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
            return .date(format, timeZone: .evaluated(try evaluation(arguments[1])))
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
            return .fallback(try evaluation(arguments[0]))
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
            let bound = try arguments.map { argument throws(PositionedError) in try evaluation(argument) }
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
