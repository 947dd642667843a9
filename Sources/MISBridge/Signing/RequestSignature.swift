import Crypto
import Foundation
import Synchronization

/// Signs protocol requests: HMAC-SHA256, keyed per endpoint, over the method, path, a timestamp, a
/// one-time nonce and the parameters in canonical order. See docs/mis-protocol.md, "Authentication".
public struct RequestSigner: Sendable {
    public static let keyHeader = "X-Registry-Key"
    public static let timestampHeader = "X-Registry-Timestamp"
    public static let nonceHeader = "X-Registry-Nonce"
    public static let signatureHeader = "X-Registry-Signature"

    public let keyID: String
    private let secret: Data

    public init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = Data(secret.utf8)
    }

    /// The four authentication headers for a request.
    public func headers(method: String, path: String, parameters: [(String, String)], now: Date = Date(), nonce: String = RequestSigner.makeNonce()) -> [(String, String)] {
        let timestamp = String(Int(now.timeIntervalSince1970))
        let signature = Self.signature(secret: secret, method: method, path: path, timestamp: timestamp, nonce: nonce, parameters: parameters)
        return [(Self.keyHeader, keyID), (Self.timestampHeader, timestamp), (Self.nonceHeader, nonce), (Self.signatureHeader, signature)]
    }

    /// 128 random bits as hex.
    public static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }

    static func signature(secret: Data, method: String, path: String, timestamp: String, nonce: String, parameters: [(String, String)]) -> String {
        let message = [method.uppercased(), path, timestamp, nonce, canonical(parameters)].joined(separator: "\n")
        let code = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: secret))
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in code { hex.append(hexDigits[Int(byte >> 4)] | 0x20); hex.append(hexDigits[Int(byte & 0x0F)] | 0x20) }
        return String(decoding: hex, as: UTF8.self)
    }

    /// `0`–`9`, `A`–`F` as bytes (`| 0x20` gives lower case).
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Parameters percent-encoded (RFC 3986 unreserved kept), sorted bytewise by encoded name then
    /// encoded value, joined by `&`.
    public static func canonical(_ parameters: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = parameters.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.name == rhs.name ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8) : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
        }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// `text` percent-encoded: RFC 3986 unreserved bytes kept, every other byte as `%XX` (upper case).
    /// Also the form encoding of requests, so that what is signed is what is sent.
    public static func encode(_ text: String) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes.append(0x25)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: true
        default: false
        }
    }
}

/// Checks signed requests on the gateway side: known key, timestamp within the window, nonce not
/// seen within it, signature matching. Remembers nonces only as long as the window needs them.
public final class SignatureVerifier: Sendable {
    private let secrets: [String: Data]
    private let window: TimeInterval
    private let seen = Mutex<[String: Date]>([:])

    /// `keys` maps key ids to secrets; `window` is how far a timestamp may be from now, either way.
    public init(keys: [String: String], window: TimeInterval = 300) {
        secrets = keys.mapValues { Data($0.utf8) }
        self.window = window
    }

    /// Throws `MISFailure` with `.unauthorised` and a reason when the request must be refused.
    public func verify(method: String, path: String, parameters: [(String, String)], header: (String) -> String?, now: Date = Date()) throws(MISFailure) {
        func refuse(_ reason: String) -> MISFailure { MISFailure(.unauthorised, message: reason) }
        guard let keyID = header(RequestSigner.keyHeader), let secret = secrets[keyID] else { throw refuse("неизвестный ключ") }
        guard let timestampText = header(RequestSigner.timestampHeader), let timestamp = TimeInterval(timestampText),
            abs(now.timeIntervalSince1970 - timestamp) <= window
        else { throw refuse("метка времени вне допустимого окна") }
        guard let nonce = header(RequestSigner.nonceHeader), (16...128).contains(nonce.count) else { throw refuse("нет одноразового кода запроса") }
        guard let signature = header(RequestSigner.signatureHeader) else { throw refuse("нет подписи") }
        let expected = RequestSigner.signature(secret: secret, method: method, path: path, timestamp: timestampText, nonce: nonce, parameters: parameters)
        guard Self.constantTimeEqual(expected, signature.lowercased()) else { throw refuse("подпись не совпадает") }
        let replayed = seen.withLock { seen in
            let key = keyID + ":" + nonce
            if seen[key] != nil { return true }
            if seen.count > 100_000 { seen = seen.filter { now.timeIntervalSince($0.value) <= window } }
            seen[key] = now
            return false
        }
        if replayed { throw refuse("повтор уже выполненного запроса") }
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
