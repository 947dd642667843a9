import Foundation
import Hummingbird

/// A table as a spreadsheet should open it: RFC 4180 with `;` between cells (what Russian
/// spreadsheets expect), UTF-8 with a byte-order mark (so that Cyrillic opens right), every text cell
/// quoted, and a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return prefixed
/// with `'`, so that no spreadsheet runs a name or a note from outside as a formula. Only a cell the
/// registry counted itself goes out as a bare number.
public struct CSVTable: Sendable {
    /// One cell: text from anywhere, or a number the registry worked out.
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral {
        case text(String)
        case integer(Int)
        /// Written with `,` as the decimal mark and `places` digits after it, as Russian spreadsheets read it.
        case decimal(Double, places: Int)

        public init(stringLiteral value: String) {
            self = .text(value)
        }

        var written: String {
            switch self {
            case .integer(let value): String(value)
            case .decimal(let value, let places): String(format: "%.\(places)f", value).replacingOccurrences(of: ".", with: ",")
            case .text(let value):
                "\"" + ((value.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false) ? "'" + value : value)
                    .replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
        }
    }

    public let header: [String]
    public let rows: [[Cell]]

    public init(header: [String], rows: [[Cell]]) {
        self.header = header
        self.rows = rows
    }

    /// The file's text, the byte-order mark first.
    public var text: String {
        "\u{FEFF}" + ([header.map(Cell.text)] + rows).map { $0.map(\.written).joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
    }

    /// The file as a download named `name` (ASCII letters, digits, `.`, `-` and `_` only; anything else is left out).
    public func download(named name: String) -> Response {
        let safe = String(name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_".unicodeScalars.contains($0)) }.prefix(100))
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"\(safe.isEmpty ? "table.csv" : safe)\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
