import Foundation
/// Client addresses as the registry accepts them: from its own settings and from the
/// `X-Forwarded-For` header its reverse proxies add.
public enum ClientAddress {
    /// An IPv4 address in dotted decimal, or an IPv6 address (hex groups and colons).
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 { return parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil } }
        return text.contains(":") && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    /// The client behind `peer` when `peer` is one of the trusted proxies: walking the forwarded
    /// chain from its right end (the hop the trusted proxy saw), the first address that is not a
    /// trusted proxy itself. What a client wrote at the left end cannot be taken for its address —
    /// each proxy appends the address it saw. A malformed entry ends the walk at the last good hop.
    public static func behind(_ peer: String?, forwardedFor values: [Substring], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        var client = peer
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard isValid(hop) else { break }
            client = hop
            if !trusted.contains(hop) { break }
        }
        return client
    }
}
