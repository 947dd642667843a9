/// Writes an XML document element by element, escaping every attribute value and text.
public struct XMLWriter: Sendable {
    private var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []
    private var tagIsOpen = false

    public init() {
        output.reserveCapacity(4_096)
    }

    /// Opens `<name a="…">`; attributes with nil values are left out.
    public mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        closeStartTag()
        output += "<" + name
        for (key, value) in attributes {
            guard let value else { continue }
            output += " " + key + "=\""
            Self.escape(value, into: &output)
            output += "\""
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
            output += "/>"
            tagIsOpen = false
        } else {
            output += "</" + name + ">"
        }
    }

    /// The document, with every open element closed.
    public mutating func finish() -> String {
        while !open.isEmpty { end() }
        return output + "\n"
    }

    private mutating func closeStartTag() {
        if tagIsOpen {
            output += ">"
            tagIsOpen = false
        }
    }

    static func escape(_ text: String, into output: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n": output += "&#10;"
            case "\t": output += "&#9;"
            case "\r": output += "&#13;"
            default:
                // Control characters other than tab and line breaks are not allowed in XML 1.0.
                if scalar.value < 0x20 { continue }
                output.unicodeScalars.append(scalar)
            }
        }
    }
}
