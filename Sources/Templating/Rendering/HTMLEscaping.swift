/// Escapes text for HTML in one pass over its UTF-8 bytes.
public enum HTMLEscaping {
    /// Returns `string` with `& < > " '` replaced by entities: safe in element text and quoted attributes.
    public static func escape(_ string: String) -> String {
        var output = OutputBuffer(capacity: string.utf8.count + 16)
        output.appendEscaped(string)
        return String(decoding: output.bytes(), as: UTF8.self)
    }

    /// What a URL attribute (href, src…) receives: the URL, or a harmless address when its scheme is
    /// other than http, https, mailto and tel (javascript:, data:, vbscript: …).
    static func safeURL(_ string: String) -> String {
        isSafeURL(string) ? string : blockedURL
    }

    static let blockedURL = "about:invalid#blocked"
    private static let safeSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    static func isSafeURL(_ string: String) -> Bool {
        // Browsers ignore leading spaces/control characters and tabs or newlines inside a scheme.
        let meaningful = string.unicodeScalars.drop(while: { $0.value <= 0x20 }).filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        var scheme = ""
        for scalar in meaningful {
            if scalar == ":" { return safeSchemes.contains(scheme.lowercased()) }
            if scalar == "/" || scalar == "?" || scalar == "#" { return true }
            scheme.unicodeScalars.append(scalar)
        }
        return true
    }

    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let apos = Array("&#39;".utf8)

    /// The entity that replaces `byte`, or nil when it stays as it is.
    @inline(__always)
    static func entity(for byte: UInt8) -> [UInt8]? {
        switch byte {
        case 0x26: amp
        case 0x3C: lt
        case 0x3E: gt
        case 0x22: quot
        case 0x27: apos
        default: nil
        }
    }
}
