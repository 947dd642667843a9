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
        // Read as bytes up to the first `:`, `/`, `?` or `#` (a relative link ends it at once);
        // schemes are ASCII, so any other byte only makes the scheme one that is not safe.
        var scheme: [UInt8] = []
        var leading = true
        for byte in string.utf8 {
            if leading && byte <= 0x20 { continue }
            leading = false
            switch byte {
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: ":"): return safeSchemeBytes.contains(scheme)
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"): return true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): scheme.append(byte | 0x20)
            default: scheme.append(byte)
            }
        }
        return true
    }

    private static let safeSchemeBytes = Set(safeSchemes.map { Array($0.utf8) })

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
