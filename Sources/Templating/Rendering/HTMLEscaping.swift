/// Escapes text for HTML in one pass over its UTF-8 bytes.
public enum HTMLEscaping {
    /// Appends `string` with `& < > " '` replaced by entities: safe in element text and quoted attributes.
    public static func append(_ string: String, to output: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendEscaped($0, to: &output) }
    }

    /// Returns `string` escaped; for callers outside a render.
    public static func escape(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count + 16)
        append(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a URL for an attribute such as href: schemes other than http, https, mailto and tel
    /// (javascript:, data:, vbscript: …) are replaced by a harmless address.
    public static func appendURL(_ string: String, to output: inout [UInt8]) {
        if isSafeURL(string) {
            append(string, to: &output)
        } else {
            output.append(contentsOf: blockedURL)
        }
    }

    static let blockedURL = Array("about:invalid#blocked".utf8)
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

    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte <= 0x3E else { continue }  // every special character is at or below '>'
            let entity: [UInt8]
            switch byte {
            case 0x26: entity = amp
            case 0x3C: entity = lt
            case 0x3E: entity = gt
            case 0x22: entity = quot
            case 0x27: entity = apos
            default: continue
            }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            output.append(contentsOf: entity)
            runStart = index + 1
        }
        if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
    }
}
