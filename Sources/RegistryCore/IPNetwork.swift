import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An address or a network of them, as an administrator writes it: `10.20.0.15`, `10.20.0.0/24`,
/// `fd00:1::/64`. An IPv4 client seen as an IPv4-mapped IPv6 address (`::ffff:10.20.0.15`) is matched
/// as the IPv4 address it is.
public struct IPNetwork: Equatable, Sendable, CustomStringConvertible {
    private let bytes: [UInt8]
    private let prefix: Int

    /// Reads `10.20.0.0/24` or a single address (a network of one); nil for anything else.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.address(String(parts[0])) else { return nil }
        let bits = address.count * 8
        let prefix: Int
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...bits).contains(given), parts[1].allSatisfy(\.isASCII) else { return nil }
            prefix = given
        } else {
            prefix = bits
        }
        self.bytes = address
        self.prefix = prefix
    }

    /// Whether `address` (a client's, as the registry sees it) is in the network; false for nil or malformed.
    public func contains(_ address: String?) -> Bool {
        guard let address, let other = Self.address(address), other.count == bytes.count else { return false }
        var left = prefix
        for (mine, theirs) in zip(bytes, other) where left > 0 {
            let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
            if mine & mask != theirs & mask { return false }
            left -= 8
        }
        return true
    }

    /// The network as written back: address and prefix length.
    public var description: String {
        let text: String
        if bytes.count == 4 {
            text = bytes.map(String.init).joined(separator: ".")
        } else {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
            text = inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { _ in String(cString: buffer) } ?? "::"
        }
        return prefix == bytes.count * 8 ? text : "\(text)/\(prefix)"
    }

    /// 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for IPv6; nil for anything else.
    private static func address(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if text.contains("."), !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}

/// Several networks, as a setting lists them (commas or spaces between).
public struct IPNetworks: Equatable, Sendable {
    public let networks: [IPNetwork]

    /// nil when any entry is not a network.
    public init?(_ text: String) {
        let entries = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init)
        let parsed = entries.compactMap(IPNetwork.init)
        guard !entries.isEmpty, parsed.count == entries.count else { return nil }
        networks = parsed
    }

    public func contains(_ address: String?) -> Bool {
        networks.contains { $0.contains(address) }
    }
}
