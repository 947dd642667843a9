/// A parsed template before names, filters and includes are resolved.
struct SyntaxTree: Equatable {
    /// The layout this template extends, with the offset of the `extends` tag.
    var parent: (name: String, offset: Int)?
    var nodes: [SyntaxNode]

    static func == (lhs: SyntaxTree, rhs: SyntaxTree) -> Bool {
        lhs.parent?.name == rhs.parent?.name && lhs.parent?.offset == rhs.parent?.offset && lhs.nodes == rhs.nodes
    }
}

/// One element of a template's body.
indirect enum SyntaxNode: Equatable {
    case text(String)
    case output(SyntaxExpression, raw: Bool, offset: Int)
    case conditional(branches: [SyntaxBranch], otherwise: [SyntaxNode]?)
    case loop(variable: String, sequence: SyntaxExpression, body: [SyntaxNode], empty: [SyntaxNode]?, offset: Int)
    case block(name: String, body: [SyntaxNode], offset: Int)
    case include(name: String, arguments: [SyntaxArgument], offset: Int)
}

/// One `if` or `elif` arm.
struct SyntaxBranch: Equatable {
    let condition: SyntaxExpression
    let body: [SyntaxNode]
}

/// A named parameter passed to an included template.
struct SyntaxArgument: Equatable {
    let name: String
    let value: SyntaxExpression
}

/// A literal written in a template.
enum SyntaxLiteral: Equatable {
    case string(String)
    case integer(Int)
    case decimal(Double)
    case bool(Bool)
    case null
}

/// Comparison and logic operators of the expression language.
enum BinaryOperator: String, Equatable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case and
    case or
}

/// An expression inside a tag.
indirect enum SyntaxExpression: Equatable {
    case literal(SyntaxLiteral)
    /// A dotted path such as `clinic.address.street`.
    case path([String], offset: Int)
    case not(SyntaxExpression)
    case binary(BinaryOperator, SyntaxExpression, SyntaxExpression, offset: Int)
    case filter(SyntaxExpression, name: String, arguments: [SyntaxExpression], offset: Int)
}
