import Crypto
import Foundation

/// The secret that keys the audit trail's chain, kept outside the store (a file beside it, or the
/// nodes' settings): someone who can write to the database but does not hold it can neither rewrite
/// a line and recompute the hashes after it nor forge a checkpoint.
public struct AuditKey: Sendable, Equatable {
    let bytes: [UInt8]

    /// 32 bytes written as 64 hex digits; nil for anything else.
    public init?(hex: String) {
        let text = hex.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.bytes = bytes
    }

    /// A new random key, as 64 hex digits.
    public static func newHex() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }.map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the key from `path`; when there is no file there and `create` is set, makes one (mode 0600).
    public static func load(path: String, create: Bool) throws -> AuditKey {
        if !FileManager.default.fileExists(atPath: path) {
            guard create else { throw AuditKeyError("no audit key file at \(path)") }
            let created = FileManager.default.createFile(atPath: path, contents: Data((newHex() + "\n").utf8), attributes: [.posixPermissions: 0o600])
            guard created else { throw AuditKeyError("could not write the audit key file \(path)") }
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let key = AuditKey(hex: text) else {
            throw AuditKeyError("the audit key file \(path) must hold 64 hex digits")
        }
        return key
    }

    /// HMAC-SHA-256 of `text`, as hex.
    func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: bytes)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Why the audit key could not be had.
public struct AuditKeyError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The head of the audit chain as it stood at one moment, written outside the store (a file of the
/// node's, its log): a verifier finds the line it names, with that hash, or knows the trail was cut
/// or rewritten. Its `mac` (under the audit key) shows it was written by a node holding the key.
public struct AuditCheckpoint: Sendable, Equatable {
    public let atMilliseconds: Int64
    public let sequence: Int64
    public let hash: String
    public let mac: String

    public init(at: Date, sequence: Int64, hash: String, key: AuditKey?) {
        let milliseconds = Int64((at.timeIntervalSince1970 * 1_000).rounded())
        atMilliseconds = milliseconds
        self.sequence = sequence
        self.hash = hash
        mac = key.map { $0.mac(Self.signed(milliseconds, sequence, hash)) } ?? "-"
    }

    /// One line of a checkpoints file: `at sequence hash mac`.
    public var line: String { "\(atMilliseconds) \(sequence) \(hash) \(mac)" }

    /// Reads a line written by `line`; nil for anything else.
    public init?(line: Substring) {
        let parts = line.split(separator: " ")
        guard parts.count == 4, let at = Int64(parts[0]), let sequence = Int64(parts[1]), sequence >= 0 else { return nil }
        atMilliseconds = at
        self.sequence = sequence
        hash = String(parts[2])
        mac = String(parts[3])
    }

    /// Whether a node holding `key` wrote it (a checkpoint without a key is taken as written).
    public func isGenuine(key: AuditKey?) -> Bool {
        guard let key else { return true }
        return mac == key.mac(Self.signed(atMilliseconds, sequence, hash))
    }

    private static func signed(_ at: Int64, _ sequence: Int64, _ hash: String) -> String {
        "checkpoint|\(at)|\(sequence)|\(hash)"
    }
}
