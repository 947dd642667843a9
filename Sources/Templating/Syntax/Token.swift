/// One lexical unit of a template: literal text, a tag delimiter, or a piece of an expression.
struct Token: Equatable {
    /// What the token is.
    enum Kind: Equatable {
        /// Literal template text, already trimmed by whitespace control.
        case text(String)
        /// `{{` — an output tag begins.
        case outputStart
        /// `{%` — a statement tag begins.
        case statementStart
        /// `}}` or `%}` — the current tag ends.
        case tagEnd
        case identifier(String)
        case string(String)
        case integer(Int)
        case decimal(Double)
        /// Punctuation and operators: `. | ( ) , : = == != < <= > >=`.
        case symbol(String)
    }

    let kind: Kind
    /// Byte offset in the template source where the token starts.
    let offset: Int
}
