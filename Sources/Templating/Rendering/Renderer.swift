import Foundation

/// Runs compiled programs against a page model, appending into one byte buffer.
///
/// Internal methods throw only `TemplateError`; `TemplateLibrary` narrows the type at its edge.
struct Renderer: ~Copyable {
    /// One running template: its loop slots and, for includes, its parameters.
    ///
    /// A loop item that is an object is kept in `objects` (with `holdsObject` set) rather than in
    /// `locals`: field lookups then call the object in place instead of copying it out of an enum,
    /// which is most of the reference counting a render would otherwise do.
    private struct Frame {
        let template: CompiledTemplate
        let locals: UnsafeMutablePointer<TemplateValue>
        let objects: UnsafeMutablePointer<any TemplateObject>
        let holdsObject: UnsafeMutablePointer<Bool>
        let arguments: [(name: String, value: TemplateValue)]

        func set(_ slot: Int, to value: TemplateValue) {
            if case .object(let object) = value {
                objects[slot] = object
                holdsObject[slot] = true
            } else {
                locals[slot] = value
                holdsObject[slot] = false
            }
        }

        func value(_ slot: Int) -> TemplateValue {
            holdsObject[slot] ? .object(objects[slot]) : locals[slot]
        }
    }

    /// A loop in progress: its items and position.
    private struct LoopState {
        let items: [TemplateValue]
        var index: Int
        let slot: Int
    }

    private let set: TemplateSet
    private let root: any TemplateObject
    private let strict: Bool
    private var blocks: [String: BlockReference] = [:]
    /// The page's layout chain, page first; blocks run in the frame of the template defining them.
    private var chain: [Frame] = []
    /// Zones named by the page, found by name in order (a page names one or two: no hashing).
    private var timeZones: [(identifier: String, zone: TimeZone)] = []
    /// Page-level values already looked up: a model does not change during its render.
    private var rootValues: [String: TemplateValue] = [:]
    var output: OutputBuffer

    init(set: TemplateSet, root: any TemplateObject, strict: Bool, capacity: Int) {
        output = OutputBuffer(capacity: capacity)
        self.set = set
        self.root = root
        self.strict = strict
    }

    mutating func render(page index: Int) throws {
        let plan = set.plans[index]
        blocks = plan.blocks
        chain = plan.chain.map { Self.makeFrame(set.templates[$0], arguments: []) }
        defer { chain.forEach(Self.release) }
        try run(chain[chain.count - 1], from: 0)
    }

    private static func makeFrame(_ template: CompiledTemplate, arguments: [(name: String, value: TemplateValue)]) -> Frame {
        let count = max(template.localCount, 1)
        let locals = UnsafeMutablePointer<TemplateValue>.allocate(capacity: count)
        locals.initialize(repeating: .null, count: count)
        let objects = UnsafeMutablePointer<any TemplateObject>.allocate(capacity: count)
        objects.initialize(repeating: NoFields(), count: count)
        let holdsObject = UnsafeMutablePointer<Bool>.allocate(capacity: count)
        holdsObject.initialize(repeating: false, count: count)
        return Frame(template: template, locals: locals, objects: objects, holdsObject: holdsObject, arguments: arguments)
    }

    private static func release(_ frame: Frame) {
        let count = max(frame.template.localCount, 1)
        frame.locals.deinitialize(count: count)
        frame.locals.deallocate()
        frame.objects.deinitialize(count: count)
        frame.objects.deallocate()
        frame.holdsObject.deallocate()
    }

    // MARK: Operations

    private mutating func run(_ frame: Frame, from start: Int) throws {
        let operations = frame.template.operations
        let text = frame.template.text
        var loops: [LoopState] = []
        var pc = start
        while true {
            let operation = operations[pc]
            switch operation.code {
            case .text:
                output.append(UnsafeBufferPointer(rebasing: text[Int(operation.a)..<Int(operation.b)]))
                pc += 1
            case .output:
                try write(try evaluate(operation.a, frame), context: operation.b, offset: operation.offset, frame: frame)
                pc += 1
            case .jumpUnless:
                pc = try evaluate(operation.a, frame).isTruthy ? pc + 1 : Int(operation.b)
            case .jump:
                pc = Int(operation.a)
            case .loopBegin:
                switch try evaluate(operation.a, frame) {
                case .list(let items) where !items.isEmpty:
                    let slot = Int(operation.b)
                    frame.set(slot, to: items[0])
                    frame.locals[slot + 1] = .int(0)
                    frame.locals[slot + 2] = .int(items.count)
                    loops.append(LoopState(items: items, index: 0, slot: slot))
                    pc += 1
                case .list, .null:
                    pc = Int(operation.c)
                case let other:
                    throw failure(operation.offset, "for needs a list, found \(other.typeName)", frame)
                }
            case .loopNext:
                let last = loops.count - 1
                loops[last].index += 1
                let index = loops[last].index
                if index < loops[last].items.count {
                    let slot = loops[last].slot
                    frame.set(slot, to: loops[last].items[index])
                    frame.locals[slot + 1] = .int(index)
                    pc = Int(operation.a)
                } else {
                    loops.removeLast()
                    pc += 1
                }
            case .block:
                if let block = blocks[frame.template.keys[Int(operation.a)]] {
                    try run(chain[block.framePosition], from: block.entry)
                }
                pc += 1
            case .include:
                try runInclude(frame.template.includes[Int(operation.a)], frame: frame)
                pc += 1
            case .end:
                return
            }
        }
    }

    private mutating func runInclude(_ call: IncludeCall, frame: Frame) throws {
        var arguments: [(name: String, value: TemplateValue)] = []
        arguments.reserveCapacity(call.arguments.count)
        for argument in call.arguments { arguments.append((argument.name, try evaluate(argument.expression, frame))) }
        let included = Self.makeFrame(set.templates[call.template], arguments: arguments)
        defer { Self.release(included) }
        try run(included, from: 0)
    }

    // MARK: Output

    private mutating func write(_ value: TemplateValue, context: Int32, offset: Int32, frame: Frame) throws {
        switch value {
        case .string(let string):
            switch context {
            case OutputContext.text.rawValue, OutputContext.attribute.rawValue: output.appendEscaped(string)
            case OutputContext.url.rawValue: output.appendEscaped(HTMLEscaping.safeURL(string))
            default: output.append(string)
            }
        case .int(let number):
            appendDecimal(number)
        case .double(let number):
            output.append(String(number))
        case .bool(let flag):
            output.append(flag ? "true" : "false")
        case .date(let date):
            output.append(Self.utcISO8601(date))
        case .null:
            break
        case .list, .object:
            throw failure(offset, "cannot write \(value.typeName == "object" ? "an" : "a") \(value.typeName); write one of its fields or loop over it", frame)
        }
    }

    private mutating func appendDecimal(_ number: Int) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            output.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    // MARK: Expressions

    private mutating func evaluate(_ index: Int32, _ frame: Frame) throws -> TemplateValue {
        let node = frame.template.expressions[Int(index)]
        switch node.kind {
        case .constant:
            return frame.template.constants[Int(node.a)]
        case .local:
            let slot = Int(node.a)
            if node.c == 0 { return frame.value(slot) }
            guard frame.holdsObject[slot] else { return try follow(frame.locals[slot], node, frame, from: 0) }
            let key = frame.template.keys[Int(node.b)]
            guard let field = frame.objects[slot].templateValue(forKey: key) else {
                if strict { throw failure(node.offset, "unknown field '\(key)'", frame) }
                return .null
            }
            return node.c == 1 ? field : try follow(field, node, frame, from: 1)
        case .global:
            let value = try global(frame.template.keys[Int(node.a)], node.offset, frame)
            return node.c == 0 ? value : try follow(value, node, frame, from: 0)
        case .loop:
            let slot = Int(node.b)
            guard case .int(let index) = frame.locals[slot + 1], case .int(let count) = frame.locals[slot + 2] else { return .null }
            switch LoopProperty(rawValue: node.a)! {
            case .index: return .int(index)
            case .number: return .int(index + 1)
            case .first: return .bool(index == 0)
            case .last: return .bool(index == count - 1)
            case .count: return .int(count)
            }
        case .not:
            return .bool(!(try evaluate(node.a, frame).isTruthy))
        case .and:
            return .bool(try evaluate(node.a, frame).isTruthy && (try evaluate(node.b, frame).isTruthy))
        case .or:
            return .bool(try evaluate(node.a, frame).isTruthy || (try evaluate(node.b, frame).isTruthy))
        case .compare:
            return try compare(node, frame)
        case .filter:
            let input = try evaluate(node.a, frame)
            return try apply(frame.template.filters[Int(node.b)], to: input, offset: node.offset, frame: frame)
        }
    }

    private mutating func global(_ name: String, _ offset: Int32, _ frame: Frame) throws -> TemplateValue {
        for argument in frame.arguments where argument.name == name { return argument.value }
        if let value = rootValues[name] { return value }
        if let value = root.templateValue(forKey: name) {
            rootValues[name] = value
            return value
        }
        if strict { throw failure(offset, "unknown variable '\(name)'", frame) }
        return .null
    }

    /// Looks up the node's fields after the first `skipped` ones, starting from `start`.
    private func follow(_ start: TemplateValue, _ node: ExpressionNode, _ frame: Frame, from skipped: Int) throws -> TemplateValue {
        var value = start
        for keyIndex in (Int(node.b) + skipped)..<Int(node.b + node.c) {
            let key = frame.template.keys[keyIndex]
            switch value {
            case .object(let object):
                if let field = object.templateValue(forKey: key) {
                    value = field
                } else if strict {
                    throw failure(node.offset, "unknown field '\(key)'", frame)
                } else {
                    return .null
                }
            case .null:
                return .null
            case .list(let items) where key == "count":
                value = .int(items.count)
            case .list(let items) where key == "first":
                value = items.first ?? .null
            case .list(let items) where key == "last":
                value = items.last ?? .null
            default:
                if strict { throw failure(node.offset, "a \(value.typeName) has no field '\(key)'", frame) }
                return .null
            }
        }
        return value
    }

    private mutating func compare(_ node: ExpressionNode, _ frame: Frame) throws -> TemplateValue {
        let lhs = try evaluate(node.a, frame)
        let rhs = try evaluate(node.b, frame)
        switch Comparison(rawValue: node.c)! {
        case .equal: return .bool(TemplateComparison.equal(lhs, rhs))
        case .notEqual: return .bool(!TemplateComparison.equal(lhs, rhs))
        case let comparison:
            guard let order = TemplateComparison.order(lhs, rhs) else {
                throw failure(node.offset, "cannot compare a \(lhs.typeName) with a \(rhs.typeName)", frame)
            }
            switch comparison {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    // MARK: Filters

    private mutating func apply(_ filter: BoundFilter, to value: TemplateValue, offset: Int32, frame: Frame) throws -> TemplateValue {
        switch filter {
        case .date(let format, let zoneSource):
            guard case .date(let date) = value else {
                if case .null = value { return .null }
                throw failure(offset, "date needs a date, found \(value.typeName)", frame)
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
                throw failure(offset, "plural needs a number, found \(value.typeName)", frame)
            }
        case .fallback(let alternative):
            switch value {
            case .null: return try evaluate(alternative, frame)
            case .string(let string) where string.isEmpty: return try evaluate(alternative, frame)
            default: return value
            }
        case .upper, .lower, .capitalize:
            guard case .string(let string) = value else {
                if case .null = value { return .null }
                throw failure(offset, "text filters need a string, found \(value.typeName)", frame)
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
            default: throw failure(offset, "url needs a string, found \(value.typeName)", frame)
            }
        case .number(let decimals):
            switch value {
            case .int(let number) where decimals == 0: return .string(RussianNumberFormat.string(number))
            case .int(let number): return .string(RussianNumberFormat.string(Double(number), decimals: decimals))
            case .double(let number): return .string(RussianNumberFormat.string(number, decimals: decimals))
            case .null: return .null
            default: throw failure(offset, "number needs a number, found \(value.typeName)", frame)
            }
        case .length:
            switch value {
            case .list(let items): return .int(items.count)
            case .string(let string): return .int(string.count)
            case .null: return .int(0)
            default: throw failure(offset, "length needs a list or a string, found \(value.typeName)", frame)
            }
        case .join(let separator):
            guard case .list(let items) = value else {
                throw failure(offset, "join needs a list, found \(value.typeName)", frame)
            }
            var parts: [String] = []
            for item in items {
                switch item {
                case .string(let string): parts.append(string)
                case .int(let number): parts.append(String(number))
                case .null: continue
                default: throw failure(offset, "join needs a list of strings or numbers", frame)
                }
            }
            return .string(parts.joined(separator: separator))
        case .custom(let name, let custom, let arguments):
            var values: [TemplateValue] = []
            for argument in arguments { values.append(try evaluate(argument, frame)) }
            do {
                return try custom.apply(to: value, arguments: values)
            } catch {
                throw failure(offset, "\(name): \(error.message)", frame)
            }
        }
    }

    private mutating func timeZone(_ source: TimeZoneSource, offset: Int32, frame: Frame) throws -> TimeZone {
        switch source {
        case .fixed(let zone):
            return zone
        case .evaluated(let expression):
            guard case .string(let identifier) = try evaluate(expression, frame) else {
                throw failure(offset, "date's time zone must be an IANA name such as Asia/Yekaterinburg", frame)
            }
            if let cached = timeZones.first(where: { $0.identifier == identifier }) { return cached.zone }
            guard let zone = TimeZone(identifier: identifier) else {
                throw failure(offset, "unknown time zone '\(identifier)'", frame)
            }
            timeZones.append((identifier, zone))
            return zone
        }
    }

    private func failure(_ offset: Int32, _ message: String, _ frame: Frame) -> TemplateError {
        TemplateError(template: frame.template.name, source: frame.template.source, offset: Int(offset), message: message)
    }
}

/// The placeholder in object slots that hold no object.
private struct NoFields: TemplateObject {
    func templateValue(forKey key: String) -> TemplateValue? { nil }
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

extension Renderer {
    /// `2026-11-23T05:00:00Z`: what a date prints as without a filter (for `datetime` attributes).
    /// Written by hand: Foundation's ISO 8601 style costs more than the rest of a slot's markup.
    static func utcISO8601(_ date: Date) -> String {
        let local = LocalDateTime(date, in: .gmt)
        let second = Int(date.timeIntervalSince1970.rounded(.down)) % 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(local.year)-\(two(local.month))-\(two(local.day))T\(two(local.hour)):\(two(local.minute)):\(two((second + 60) % 60))Z"
    }
}
