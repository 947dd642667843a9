/// Writes an XML document element by element, escaping every attribute value and text.
public struct XMLWriter: Sendable {
    private var output: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
    private var open: [String] = []
    private var tagIsOpen = false

    public init() {
        output.reserveCapacity(4_096)
    }

    /// Opens `<name a="…">`; attributes with nil values are left out.
    public mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        closeStartTag()
        output.append(0x3C)
        output.append(contentsOf: name.utf8)
        for (key, value) in attributes {
            guard let value else { continue }
            output.append(0x20)
            output.append(contentsOf: key.utf8)
            output.append(0x3D)
            output.append(0x22)
            Self.escape(value, into: &output)
            output.append(0x22)
        }
        open.append(name)
        tagIsOpen = true
    }

    /// An element with attributes and no content: `<name a="…"/>`.
    public mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        start(name, attributes)
        end()
    }

    public mutating func text(_ text: String) {
        closeStartTag()
        Self.escape(text, into: &output)
    }

    public mutating func end() {
        guard let name = open.popLast() else { return }
        if tagIsOpen {
            output.append(0x2F)
            output.append(0x3E)
            tagIsOpen = false
        } else {
            output.append(0x3C)
            output.append(0x2F)
            output.append(contentsOf: name.utf8)
            output.append(0x3E)
        }
    }

    /// The document, with every open element closed.
    public mutating func finish() -> String {
        while !open.isEmpty { end() }
        output.append(0x0A)
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func closeStartTag() {
        if tagIsOpen {
            output.append(0x3E)
            tagIsOpen = false
        }
    }

    /// Escapes byte by byte: the characters that matter are all ASCII, and UTF-8 never uses ASCII
    /// bytes inside a multi-byte character.
    static func escape(_ text: String, into output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x26: output.append(contentsOf: "&amp;".utf8)
            case 0x3C: output.append(contentsOf: "&lt;".utf8)
            case 0x3E: output.append(contentsOf: "&gt;".utf8)
            case 0x22: output.append(contentsOf: "&quot;".utf8)
            case 0x27: output.append(contentsOf: "&apos;".utf8)
            case 0x0A: output.append(contentsOf: "&#10;".utf8)
            case 0x09: output.append(contentsOf: "&#9;".utf8)
            case 0x0D: output.append(contentsOf: "&#13;".utf8)
            // Control characters other than tab and line breaks are not allowed in XML 1.0.
            case ..<0x20: continue
            default: output.append(byte)
            }
        }
    }
}
