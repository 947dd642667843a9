/// Parameters in `application/x-www-form-urlencoded` form, decoded strictly: the protocol's requests
/// and the registry's HTML forms are read by this one decoder. `+` is a space and `%XX` a byte; a
/// broken escape, bytes that are not UTF-8, a NUL and a name given twice are refused, never guessed at.
public struct FormParameters: Sendable {
    /// Why a body or query could not be read.
    public enum Problem: Error, Equatable, Sendable {
        /// A `%` not followed by two hex digits.
        case brokenEscape
        /// The decoded bytes are not UTF-8.
        case notUTF8
        /// A NUL byte, raw or escaped: it would cut names short further on.
        case nulByte
        /// The same name twice (the protocol and the registry's forms give each field once).
        case repeated(String)
    }

    /// The pairs in the order given.
    public let pairs: [(name: String, value: String)]

    /// Decodes `bytes`, a query string or a form body.
    public init(decoding bytes: some Sequence<UInt8>) throws(Problem) {
        var pairs: [(name: String, value: String)] = []
        var name: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        var pendingEscape: (count: Int, high: UInt8) = (0, 0)
        func finishPair() throws(Problem) {
            defer { name.removeAll(keepingCapacity: true); value.removeAll(keepingCapacity: true); inValue = false }
            guard !(name.isEmpty && value.isEmpty && !inValue) else { return }
            guard let decodedName = String(validating: name, as: UTF8.self), let decodedValue = String(validating: value, as: UTF8.self) else { throw .notUTF8 }
            guard !pairs.contains(where: { $0.name == decodedName }) else { throw .repeated(decodedName) }
            pairs.append((decodedName, decodedValue))
        }
        for byte in bytes {
            if pendingEscape.count > 0 {
                guard let digit = Self.hexValue(byte) else { throw .brokenEscape }
                if pendingEscape.count == 1 {
                    pendingEscape = (2, digit)
                    continue
                }
                let decoded = pendingEscape.high << 4 | digit
                pendingEscape = (0, 0)
                guard decoded != 0 else { throw .nulByte }
                if inValue { value.append(decoded) } else { name.append(decoded) }
                continue
            }
            switch byte {
            case 0: throw .nulByte
            case UInt8(ascii: "&"): try finishPair()
            case UInt8(ascii: "=") where !inValue: inValue = true
            case UInt8(ascii: "%"): pendingEscape = (1, 0)
            case UInt8(ascii: "+"): if inValue { value.append(0x20) } else { name.append(0x20) }
            default: if inValue { value.append(byte) } else { name.append(byte) }
            }
        }
        guard pendingEscape.count == 0 else { throw .brokenEscape }
        try finishPair()
        self.pairs = pairs
    }

    /// The value given for `name`, if any (empty values included).
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The value of one hex digit (either case), nil for any other byte.
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
