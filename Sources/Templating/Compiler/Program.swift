import Foundation

/// A template compiled once at start-up into a flat program: plain-data instructions that index
/// side tables, so that running it copies no reference-counted payloads.
///
/// The tables are copied into buffers the template owns for its whole life; it never changes after
/// `init`, which is what makes sharing it between threads safe.
final class CompiledTemplate: @unchecked Sendable {
    let name: String
    /// Kept to locate render-time errors; never re-parsed.
    let source: [UInt8]
    let parent: (index: Int, offset: Int)?
    /// Where each block this template defines starts in the program, and which blocks it renders.
    let blocks: [String: BlockEntry]
    /// Blocks the main body renders.
    let blockReferences: [String]
    let localCount: Int

    let operations: UnsafeMutableBufferPointer<Operation>
    let text: UnsafeMutableBufferPointer<UInt8>
    let expressions: UnsafeMutableBufferPointer<ExpressionNode>
    let keys: UnsafeMutableBufferPointer<String>
    let constants: UnsafeMutableBufferPointer<TemplateValue>
    let filters: [BoundFilter]
    let includes: [IncludeCall]

    init(name: String, source: [UInt8], parent: (index: Int, offset: Int)?, program: Program, blocks: [String: BlockEntry], blockReferences: [String], localCount: Int) {
        self.name = name
        self.source = source
        self.parent = parent
        self.blocks = blocks
        self.blockReferences = blockReferences
        self.localCount = localCount
        operations = Self.buffer(program.operations)
        text = Self.buffer(program.text)
        expressions = Self.buffer(program.expressions)
        keys = Self.buffer(program.keys)
        constants = Self.buffer(program.constants)
        filters = program.filters
        includes = program.includes
    }

    deinit {
        operations.deallocate()
        text.deallocate()
        expressions.deallocate()
        keys.deinitialize()
        keys.deallocate()
        constants.deinitialize()
        constants.deallocate()
    }

    private static func buffer<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }
}

/// A block body inside its template's program.
struct BlockEntry: Sendable {
    let entry: Int
    let references: [String]
}

/// The instructions of one template and the tables they index. Execution starts at 0 (the main
/// body) or at a block's entry, and stops at `.end`.
struct Program: Sendable {
    var operations: [Operation] = []
    /// All literal text of the template, back to back; `.text` writes a range of it.
    var text: [UInt8] = []
    var expressions: [ExpressionNode] = []
    /// Field names of paths, and names of page-level variables.
    var keys: [String] = []
    var constants: [TemplateValue] = []
    var filters: [BoundFilter] = []
    var includes: [IncludeCall] = []
}

/// One instruction: an opcode and up to three integer operands.
struct Operation: Sendable {
    enum Code: UInt8, Sendable {
        /// Write `text[a..<b]`.
        case text
        /// Write expression `a`; `b` is the escaping (`OutputContext.rawValue`, or -1 for raw).
        case output
        /// Jump to `b` unless expression `a` is true.
        case jumpUnless
        /// Jump to `a`.
        case jump
        /// Evaluate list `a` into loop slot `b`; when empty, jump to `c` (the empty branch).
        case loopBegin
        /// Advance the innermost loop; back to `a` while items remain, else fall through.
        case loopNext
        /// Render block named `keys[a]`.
        case block
        /// Render include call `a`.
        case include
        /// Stop: end of the main body or of a block.
        case end
    }

    let code: Code
    var a: Int32
    var b: Int32
    var c: Int32
    /// Source offset for error messages.
    let offset: Int32
}

/// Where in an HTML document an output tag writes, which decides how its value is escaped.
enum OutputContext: Int32, Sendable {
    /// Element content or an HTML comment.
    case text
    /// Inside a quoted attribute value.
    case attribute
    /// At the start of a quoted URL attribute (href, src, action…): dangerous schemes are blocked too.
    case url
}

/// One node of an expression, in a flat array; operands refer to other nodes by index.
struct ExpressionNode: Sendable {
    enum Kind: UInt8, Sendable {
        /// `constants[a]`.
        case constant
        /// Loop variable in slot `a`, then fields `keys[b..<b+c]`.
        case local
        /// Page-level variable `keys[a]`, then fields `keys[b..<b+c]`.
        case global
        /// Property `a` (`LoopProperty.rawValue`) of the loop whose slot is `b`.
        case loop
        /// Not of node `a`.
        case not
        /// Node `a` and node `b`, or node `a` or node `b`, or comparison `c` of them.
        case and, or, compare
        /// Filter `filters[b]` applied to node `a`.
        case filter
    }

    let kind: Kind
    let a: Int32
    let b: Int32
    let c: Int32
    let offset: Int32
}

/// What a template can ask of the innermost loop through `loop.…`.
enum LoopProperty: Int32, Sendable {
    case index, number, first, last, count

    init?(name: String) {
        switch name {
        case "index": self = .index
        case "number": self = .number
        case "first": self = .first
        case "last": self = .last
        case "count": self = .count
        default: return nil
        }
    }
}

/// Comparison operators by number, for `ExpressionNode.c`.
enum Comparison: Int32, Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

/// An `include` with its target and parameters (expression indexes).
struct IncludeCall: Sendable {
    let template: Int
    let arguments: [(name: String, expression: Int32)]
    let offset: Int
}

/// A filter with its compile-time arguments already checked and prepared; dynamic arguments are expression indexes.
enum BoundFilter: Sendable {
    case date(RussianDateFormat, timeZone: TimeZoneSource)
    case plural(RussianPluralForms, includesNumber: Bool)
    case fallback(Int32)
    case upper
    case lower
    case capitalize
    case urlComponent
    case number(decimals: Int)
    case length
    case join(String)
    case custom(name: String, any TemplateFilter, arguments: [Int32])
}

/// Where the `date` filter takes its time zone from.
enum TimeZoneSource: Sendable {
    case fixed(TimeZone)
    case evaluated(Int32)
}
