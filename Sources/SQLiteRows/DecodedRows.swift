import GRDB

extension Row {
    /// Each row of `statement`, decoded while it is stepped. GRDB's `fetchAll` and `fetchOne` hand
    /// out copied rows, whose lookup of a column by name lowercases every column's name each time
    /// (a ledger entry's 30 columns made some 450 such strings); the row a cursor is on finds a
    /// lowercase name by hashing. `decode` must not keep the row.
    public static func decoded<T>(_ statement: Statement, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T) throws -> [T] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var decodedRows: [T] = []
        while let row = try rows.next() { decodedRows.append(try decode(row)) }
        return decodedRows
    }

    /// The first row of `statement`, decoded before the statement is reset; nil if there is none.
    public static func decodedFirst<T>(_ statement: Statement, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T) throws -> T? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        return try withExtendedLifetime(rows) { try rows.next().map(decode) }
    }
}
