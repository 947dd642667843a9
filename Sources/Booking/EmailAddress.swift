/// An e-mail address a patient may leave: a plain mailbox `local@domain`. Refused: control
/// characters, spaces and angle brackets (they would break the mail server's commands), and the forms
/// a relay may be steered by — `%` and `!` (source routes), an address literal `[127.0.0.1]`, a
/// quoted local part. A Cyrillic domain travels in Punycode; a Cyrillic local part needs a relay
/// that speaks SMTPUTF8.
public struct EmailAddress: Equatable, Sendable {
    /// Before the `@`, as typed.
    public let localPart: String
    /// After the `@`, lower-cased, as typed (Cyrillic stays Cyrillic).
    public let domain: String
    /// The domain as mail servers read it: every non-ASCII label in Punycode.
    public let asciiDomain: String

    /// Why typed text is not an address this registry writes to.
    public enum Problem: Error, Equatable, Sendable {
        /// Not of the form name@example.ru.
        case malformed
        /// A source route or an address literal: a relay could be made to pass the message on.
        case routing
        /// Letters other than Latin before the `@`, and the relay does not speak SMTPUTF8.
        case unicodeLocalPart
    }

    /// Reads an address; `unicodeLocalPart` says whether the mail relay accepts non-ASCII before the `@`.
    public init(parsing text: String, unicodeLocalPart: Bool) throws(Problem) {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.properties.isWhitespace }) else { throw .malformed }
        guard let at = text.lastIndex(of: "@") else { throw .malformed }
        let local = String(text[..<at]), domain = String(text[text.index(after: at)...]).lowercased()
        if local.contains("%") || local.contains("!") || domain.hasPrefix("[") || local.hasPrefix("\"") { throw .routing }
        guard !local.isEmpty, local.unicodeScalars.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { throw .malformed }
        for scalar in local.unicodeScalars {
            if scalar.isASCII {
                guard Self.localASCII.contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) else { throw .malformed }
            } else {
                guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { throw .malformed }
                guard unicodeLocalPart else { throw .unicodeLocalPart }
            }
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2 else { throw .malformed }
        var ascii: [String] = []
        for label in labels {
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.unicodeScalars.allSatisfy({ $0 == "-" || ($0.isASCII ? (("a"..."z").contains($0) || ("0"..."9").contains($0)) : $0.properties.isAlphabetic || $0.properties.numericType != nil) }),
                let encoded = Punycode.asciiLabel(label), encoded.count <= 63
            else { throw .malformed }
            ascii.append(encoded)
        }
        guard let top = labels.last, !top.allSatisfy(\.isNumber) else { throw .malformed }
        let asciiDomain = ascii.joined(separator: ".")
        guard asciiDomain.count <= 253 else { throw .malformed }
        self.localPart = local
        self.domain = domain
        self.asciiDomain = asciiDomain
    }

    /// ASCII characters a local part may hold besides letters and digits (RFC 5322's atext, less the
    /// source-route `%` and `!` and the rarely meant `/`, `|` and backquote).
    private static let localASCII = Set(".-_+'=#&*?^{}~$".unicodeScalars)

    /// The address as the patient typed it (the domain lower-cased).
    public var text: String { localPart + "@" + domain }
    /// The address as it goes to the mail server (RCPT TO, the To header).
    public var wireForm: String { localPart + "@" + asciiDomain }
    /// Whether sending needs the relay's SMTPUTF8.
    public var needsSMTPUTF8: Bool { !localPart.unicodeScalars.allSatisfy(\.isASCII) }
}
