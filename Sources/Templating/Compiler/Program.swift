import Foundation

/// A template compiled once at start-up: instructions with names resolved and filters bound.
final class CompiledTemplate: Sendable {
    let name: String
    /// Kept to locate render-time errors; never re-parsed.
    let source: [UInt8]
    let parent: (index: Int, offset: Int)?
    let instructions: [Instruction]
    /// Blocks this template defines, by name, in source order of definition.
    let blocks: [String: [Instruction]]
    let localCount: Int

    init(name: String, source: [UInt8], parent: (index: Int, offset: Int)?, instructions: [Instruction], blocks: [String: [Instruction]], localCount: Int) {
        self.name = name
        self.source = source
        self.parent = parent
        self.instructions = instructions
        self.blocks = blocks
        self.localCount = localCount
    }
}

/// One step of a compiled template.
indirect enum Instruction: Sendable {
    /// Literal bytes, written as they are.
    case text([UInt8])
    /// A value, escaped for its context; no context means raw output.
    case output(Evaluation, OutputContext?, offset: Int)
    case conditional([ConditionalArm], otherwise: [Instruction])
    case loop(LoopInstruction)
    /// A named block, resolved through the page's layout chain.
    case block(String)
    case include(template: Int, arguments: [IncludeArgument], offset: Int)
}

/// One `if`/`elif` arm.
struct ConditionalArm: Sendable {
    let condition: Evaluation
    let body: [Instruction]
}

/// A `for` loop: the item lives in `slot`, its index in `slot + 1`, the count in `slot + 2`.
struct LoopInstruction: Sendable {
    let sequence: Evaluation
    let slot: Int
    let body: [Instruction]
    let empty: [Instruction]
    let offset: Int
}

/// A parameter handed to an included template.
struct IncludeArgument: Sendable {
    let name: String
    let value: Evaluation
}

/// What a template can ask of the innermost loop through `loop.…`.
enum LoopProperty: String, Sendable {
    case index, number, first, last, count
}

/// An expression with its names resolved.
indirect enum Evaluation: Sendable {
    case constant(TemplateValue)
    /// A loop variable (by slot), then fields.
    case local(slot: Int, path: [String], offset: Int)
    /// A page-model field or an include parameter, then fields.
    case global(name: String, path: [String], offset: Int)
    case loop(slot: Int, LoopProperty)
    case not(Evaluation)
    case binary(BinaryOperator, Evaluation, Evaluation, offset: Int)
    case filter(Evaluation, BoundFilter, offset: Int)
}

/// A filter with its compile-time arguments already checked and prepared.
enum BoundFilter: Sendable {
    case date(RussianDateFormat, timeZone: TimeZoneSource)
    case plural(RussianPluralForms, includesNumber: Bool)
    case fallback(Evaluation)
    case upper
    case lower
    case capitalize
    case urlComponent
    case number(decimals: Int)
    case length
    case join(String)
    case custom(name: String, any TemplateFilter, arguments: [Evaluation])
}

/// Where the `date` filter takes its time zone from.
enum TimeZoneSource: Sendable {
    case fixed(TimeZone)
    case evaluated(Evaluation)
}
