import Crypto
import Foundation
import Hummingbird
import Logging
import MISBridge
import Persistence

/// Protection of every POST against cross-site requests. A signed-in patient's forms carry their
/// session's own token, checked against the session. Before there is a session, the browser holds a
/// pre-session cookie (HttpOnly, SameSite=Strict; `__Host-csrf` when served over TLS, so that no other
/// host or plain-HTTP answer can plant one) with a value this registry signed, and a form carries a
/// token derived from that value. A token copied from another browser's page, or a pair harvested
/// from one's own, does not pass in a browser that holds its own cookie.
public struct CSRF: Sendable {
    public static let fieldName = "csrf"
    /// The name of the store's secret that signs the tokens.
    public static let secretName = "csrf"

    /// The key that signs tokens (the deployment's secret, shared by every node).
    public let key: [UInt8]
    /// Cookies carry the Secure attribute (the registry is served over TLS).
    public let secureCookies: Bool

    public init(key: [UInt8], secureCookies: Bool) {
        self.key = key
        self.secureCookies = secureCookies
    }

    /// The pre-session cookie's name: with the `__Host-` prefix over TLS (Secure, Path=/, no Domain).
    public var cookieName: String { secureCookies ? "__Host-csrf" : "csrf" }

    /// A new pre-session cookie value (128 random bits and their 128-bit HMAC, as 64 hex digits) and
    /// the form token that goes with it.
    public func newPair() -> (cookie: String, token: String) {
        let nonce = Self.randomToken()
        let cookie = nonce + signature(of: nonce)
        return (cookie, token(for: cookie))
    }

    /// The form token of a browser holding pre-session cookie `cookie`.
    public func token(for cookie: String) -> String {
        signature(of: "form|" + cookie)
    }

    /// Whether `cookie` is a pre-session value this registry signed.
    public func isSigned(_ cookie: String) -> Bool {
        guard cookie.utf8.count == 64, cookie.utf8.allSatisfy(Self.isHexDigit) else { return false }
        let nonce = String(cookie.prefix(32))
        return Self.constantTimeEqual(String(cookie.suffix(32)), signature(of: nonce))
    }

    public func cookie(_ value: String) -> Cookie {
        Cookie(name: cookieName, value: value, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Renders a page with a form: `render` gets the token to put in the form — the session's for a
    /// signed-in patient, otherwise the one of the browser's pre-session cookie, or of a new one that the response sets.
    public func respond(to request: Request, context: some FormTokenContext, _ render: (String) throws -> Response) throws -> Response {
        if let token = context.sessionFormToken { return try render(token) }
        if let existing = request.cookies[cookieName]?.value, isSigned(existing) { return try render(token(for: existing)) }
        let (cookie, token) = newPair()
        var response = try render(token)
        response.setCookie(self.cookie(cookie))
        return response
    }

    /// Refuses (403) a POST whose form token is not the session's, or, without a session, not the
    /// one of the browser's own signed pre-session cookie.
    public func check(_ request: Request, context: some FormTokenContext, formToken: String?) throws {
        guard let formToken else { throw HTTPError(.forbidden) }
        if let sessionToken = context.sessionFormToken {
            guard Self.constantTimeEqual(formToken, sessionToken) else { throw HTTPError(.forbidden) }
            return
        }
        guard let cookie = request.cookies[cookieName]?.value, isSigned(cookie), Self.constantTimeEqual(token(for: cookie), formToken) else {
            throw HTTPError(.forbidden)
        }
    }

    /// Reads a posted form of at most `limit` bytes and checks its token. A body that is not a
    /// well-formed form (a broken escape, a NUL, a field given twice, not UTF-8) is the client's
    /// fault: 400 with the error page, never a 500.
    public func form(_ request: Request, context: some FormTokenContext, limit: Int = 16 * 1_024) async throws -> FormParameters {
        let body = try await request.body.collect(upTo: limit)
        let form: FormParameters
        do {
            form = try FormParameters(decoding: body.readableBytesView)
        } catch {
            context.logger.info("malformed form refused", metadata: ["http.path": .string(request.uri.path), "form.problem": .string(Self.label(error))])
            throw HTTPError(.badRequest)
        }
        try check(request, context: context, formToken: form[Self.fieldName])
        return form
    }

    private static func label(_ problem: FormParameters.Problem) -> String {
        switch problem {
        case .brokenEscape: "broken_escape"
        case .notUTF8: "not_utf8"
        case .nulByte: "nul_byte"
        case .repeated: "repeated_field"
        }
    }

    /// A 128-bit HMAC of `text` under the registry's key, as 32 hex digits (tokens and the "known browser" cookie).
    public func signature(of text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key))
        return Self.hex(Array(mac).prefix(16))
    }

    /// 128 random bits as hex.
    public static func randomToken() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { hex(Array($0)) }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8), b = Array(b.utf8)
        return a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
