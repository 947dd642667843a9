import Foundation

/// Runs compiled instructions against a page model, appending into one byte buffer.
struct Renderer {
    /// The variables of one template being rendered: its loop slots and, for includes, its parameters.
    private struct Frame {
        let template: CompiledTemplate
        var locals: [TemplateValue]
        let arguments: [(name: String, value: TemplateValue)]
    }

    private let set: TemplateSet
    private let root: any TemplateObject
    private let strict: Bool
    private var frames: [Frame] = []
    private var blocks: [String: BlockReference] = [:]
    private var timeZones: [String: TimeZone] = [:]
    var output: [UInt8] = []

    init(set: TemplateSet, root: any TemplateObject, strict: Bool) {
        self.set = set
        self.root = root
        self.strict = strict
    }

    mutating func render(page index: Int, capacity: Int) throws(TemplateError) {
        output.reserveCapacity(capacity)
        let plan = set.plans[index]
        blocks = plan.blocks
        for templateIndex in plan.chain {
            let template = set.templates[templateIndex]
            frames.append(Frame(template: template, locals: Array(repeating: .null, count: template.localCount), arguments: []))
        }
        try run(frames[plan.chain.count - 1].template.instructions, frame: plan.chain.count - 1)
    }

    // MARK: Instructions

    private mutating func run(_ instructions: [Instruction], frame: Int) throws(TemplateError) {
        for instruction in instructions {
            switch instruction {
            case .text(let bytes):
                output.append(contentsOf: bytes)
            case .output(let evaluation, let context, let offset):
                try write(try evaluate(evaluation, frame: frame), context: context, offset: offset, frame: frame)
            case .conditional(let arms, let otherwise):
                var matched = false
                for arm in arms where try evaluate(arm.condition, frame: frame).isTruthy {
                    try run(arm.body, frame: frame)
                    matched = true
                    break
                }
                if !matched { try run(otherwise, frame: frame) }
            case .loop(let loop):
                try runLoop(loop, frame: frame)
            case .block(let name):
                if let block = blocks[name] { try run(block.instructions, frame: block.framePosition) }
            case .include(let target, let arguments, _):
                try runInclude(target, arguments: arguments, frame: frame)
            }
        }
    }

    private mutating func runLoop(_ loop: LoopInstruction, frame: Int) throws(TemplateError) {
        let sequence = try evaluate(loop.sequence, frame: frame)
        let items: [TemplateValue]
        switch sequence {
        case .list(let list): items = list
        case .null: items = []
        default: throw failure(loop.offset, "for needs a list, found \(sequence.typeName)", frame: frame)
        }
        guard !items.isEmpty else { return try run(loop.empty, frame: frame) }
        frames[frame].locals[loop.slot + 2] = .int(items.count)
        for (index, item) in items.enumerated() {
            frames[frame].locals[loop.slot] = item
            frames[frame].locals[loop.slot + 1] = .int(index)
            try run(loop.body, frame: frame)
        }
    }

    private mutating func runInclude(_ target: Int, arguments: [IncludeArgument], frame: Int) throws(TemplateError) {
        var values: [(name: String, value: TemplateValue)] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments { values.append((argument.name, try evaluate(argument.value, frame: frame))) }
        let template = set.templates[target]
        frames.append(Frame(template: template, locals: Array(repeating: .null, count: template.localCount), arguments: values))
        defer { frames.removeLast() }
        try run(template.instructions, frame: frames.count - 1)
    }

    // MARK: Output

    private mutating func write(_ value: TemplateValue, context: OutputContext?, offset: Int, frame: Int) throws(TemplateError) {
        switch value {
        case .string(let string):
            switch context {
            case nil: output.append(contentsOf: string.utf8)
            case .text, .attribute: HTMLEscaping.append(string, to: &output)
            case .url: HTMLEscaping.appendURL(string, to: &output)
            }
        case .int(let number):
            appendDecimal(number)
        case .double(let number):
            output.append(contentsOf: String(number).utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .date(let date):
            output.append(contentsOf: date.formatted(.iso8601).utf8)
        case .null:
            break
        case .list, .object:
            throw failure(offset, "cannot write a \(value.typeName); write one of its fields or loop over it", frame: frame)
        }
    }

    private mutating func appendDecimal(_ number: Int) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
        }
    }

    // MARK: Expressions

    private mutating func evaluate(_ evaluation: Evaluation, frame: Int) throws(TemplateError) -> TemplateValue {
        switch evaluation {
        case .constant(let value):
            return value
        case .local(let slot, let path, let offset):
            return try follow(path, from: frames[frame].locals[slot], offset: offset, frame: frame)
        case .global(let name, let path, let offset):
            return try follow(path, from: try global(name, offset: offset, frame: frame), offset: offset, frame: frame)
        case .loop(let slot, let property):
            guard case .int(let index) = frames[frame].locals[slot + 1], case .int(let count) = frames[frame].locals[slot + 2] else {
                return .null
            }
            switch property {
            case .index: return .int(index)
            case .number: return .int(index + 1)
            case .first: return .bool(index == 0)
            case .last: return .bool(index == count - 1)
            case .count: return .int(count)
            }
        case .not(let inner):
            return .bool(!(try evaluate(inner, frame: frame).isTruthy))
        case .binary(let op, let left, let right, let offset):
            return try evaluateBinary(op, left, right, offset: offset, frame: frame)
        case .filter(let input, let filter, let offset):
            return try apply(filter, to: try evaluate(input, frame: frame), offset: offset, frame: frame)
        }
    }

    private func global(_ name: String, offset: Int, frame: Int) throws(TemplateError) -> TemplateValue {
        for argument in frames[frame].arguments where argument.name == name { return argument.value }
        if let value = root.templateValue(forKey: name) { return value }
        if strict { throw failure(offset, "unknown variable '\(name)'", frame: frame) }
        return .null
    }

    private func follow(_ path: [String], from start: TemplateValue, offset: Int, frame: Int) throws(TemplateError) -> TemplateValue {
        var value = start
        for key in path {
            switch value {
            case .null:
                return .null
            case .object(let object):
                if let field = object.templateValue(forKey: key) {
                    value = field
                } else if strict {
                    throw failure(offset, "unknown field '\(key)'", frame: frame)
                } else {
                    return .null
                }
            case .list(let items) where key == "count":
                value = .int(items.count)
            case .list(let items) where key == "first":
                value = items.first ?? .null
            case .list(let items) where key == "last":
                value = items.last ?? .null
            default:
                if strict { throw failure(offset, "a \(value.typeName) has no field '\(key)'", frame: frame) }
                return .null
            }
        }
        return value
    }

    private mutating func evaluateBinary(_ op: BinaryOperator, _ left: Evaluation, _ right: Evaluation, offset: Int, frame: Int) throws(TemplateError) -> TemplateValue {
        let lhs = try evaluate(left, frame: frame)
        switch op {
        case .and: return lhs.isTruthy ? .bool(try evaluate(right, frame: frame).isTruthy) : .bool(false)
        case .or: return lhs.isTruthy ? .bool(true) : .bool(try evaluate(right, frame: frame).isTruthy)
        default: break
        }
        let rhs = try evaluate(right, frame: frame)
        switch op {
        case .equal: return .bool(TemplateComparison.equal(lhs, rhs))
        case .notEqual: return .bool(!TemplateComparison.equal(lhs, rhs))
        default:
            guard let order = TemplateComparison.order(lhs, rhs) else {
                throw failure(offset, "cannot compare a \(lhs.typeName) with a \(rhs.typeName)", frame: frame)
            }
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    // MARK: Filters

    private mutating func apply(_ filter: BoundFilter, to value: TemplateValue, offset: Int, frame: Int) throws(TemplateError) -> TemplateValue {
        switch filter {
        case .date(let format, let zoneSource):
            guard case .date(let date) = value else {
                if case .null = value { return .null }
                throw failure(offset, "date needs a date, found \(value.typeName)", frame: frame)
            }
            return .string(format.string(from: date, in: try timeZone(zoneSource, offset: offset, frame: frame)))
        case .plural(let forms, let includesNumber):
            switch value {
            case .int(let count):
                return .string(includesNumber ? RussianNumberFormat.string(count) + " " + forms.form(for: count) : forms.form(for: count))
            case .double(let number):
                let word = forms.form(for: number)
                return .string(includesNumber ? RussianNumberFormat.string(number, decimals: number == number.rounded() ? 0 : 1) + " " + word : word)
            default:
                throw failure(offset, "plural needs a number, found \(value.typeName)", frame: frame)
            }
        case .fallback(let alternative):
            switch value {
            case .null: return try evaluate(alternative, frame: frame)
            case .string(let string) where string.isEmpty: return try evaluate(alternative, frame: frame)
            default: return value
            }
        case .upper, .lower, .capitalize:
            guard case .string(let string) = value else {
                if case .null = value { return .null }
                throw failure(offset, "text filters need a string, found \(value.typeName)", frame: frame)
            }
            switch filter {
            case .upper: return .string(string.uppercased())
            case .lower: return .string(string.lowercased())
            default: return .string(string.prefix(1).uppercased() + string.dropFirst())
            }
        case .urlComponent:
            switch value {
            case .string(let string): return .string(PercentEncoding.encodeComponent(string))
            case .int, .null: return value
            default: throw failure(offset, "url needs a string, found \(value.typeName)", frame: frame)
            }
        case .number(let decimals):
            switch value {
            case .int(let number) where decimals == 0: return .string(RussianNumberFormat.string(number))
            case .int(let number): return .string(RussianNumberFormat.string(Double(number), decimals: decimals))
            case .double(let number): return .string(RussianNumberFormat.string(number, decimals: decimals))
            case .null: return .null
            default: throw failure(offset, "number needs a number, found \(value.typeName)", frame: frame)
            }
        case .length:
            switch value {
            case .list(let items): return .int(items.count)
            case .string(let string): return .int(string.count)
            case .null: return .int(0)
            default: throw failure(offset, "length needs a list or a string, found \(value.typeName)", frame: frame)
            }
        case .join(let separator):
            guard case .list(let items) = value else {
                throw failure(offset, "join needs a list, found \(value.typeName)", frame: frame)
            }
            var parts: [String] = []
            for item in items {
                switch item {
                case .string(let string): parts.append(string)
                case .int(let number): parts.append(String(number))
                case .null: continue
                default: throw failure(offset, "join needs a list of strings or numbers", frame: frame)
                }
            }
            return .string(parts.joined(separator: separator))
        case .custom(let name, let custom, let arguments):
            var values: [TemplateValue] = []
            for argument in arguments { values.append(try evaluate(argument, frame: frame)) }
            do {
                return try custom.apply(to: value, arguments: values)
            } catch {
                throw failure(offset, "\(name): \(error.message)", frame: frame)
            }
        }
    }

    private mutating func timeZone(_ source: TimeZoneSource, offset: Int, frame: Int) throws(TemplateError) -> TimeZone {
        switch source {
        case .fixed(let zone):
            return zone
        case .evaluated(let evaluation):
            guard case .string(let identifier) = try evaluate(evaluation, frame: frame) else {
                throw failure(offset, "date's time zone must be an IANA name such as Asia/Yekaterinburg", frame: frame)
            }
            if let cached = timeZones[identifier] { return cached }
            guard let zone = TimeZone(identifier: identifier) else {
                throw failure(offset, "unknown time zone '\(identifier)'", frame: frame)
            }
            timeZones[identifier] = zone
            return zone
        }
    }

    private func failure(_ offset: Int, _ message: String, frame: Int) -> TemplateError {
        let template = frames[frame].template
        return TemplateError(template: template.name, source: template.source, offset: offset, message: message)
    }
}

/// Equality and ordering across the value kinds a template compares.
enum TemplateComparison {
    static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.date(let a), .date(let b)): a == b
        default: order(lhs, rhs) == 0
        }
    }

    /// -1, 0 or 1 for numbers, strings and dates; nil when they cannot be ordered.
    static func order(_ lhs: TemplateValue, _ rhs: TemplateValue) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return sign(a, b)
        case (.int(let a), .double(let b)): return sign(Double(a), b)
        case (.double(let a), .int(let b)): return sign(a, Double(b))
        case (.double(let a), .double(let b)): return sign(a, b)
        case (.string(let a), .string(let b)): return sign(a, b)
        case (.date(let a), .date(let b)): return sign(a, b)
        default: return nil
        }
    }
}
