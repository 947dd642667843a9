import Crypto
import Foundation
import Hummingbird

/// Protection of every POST against cross-site requests: a random token in an HttpOnly,
/// SameSite=Strict cookie that each form repeats in a hidden field ("double submit").
enum CSRF {
    static let cookieName = "csrf"
    static let fieldName = "csrf"

    /// The token a form should carry: the browser's own, or a new one that the response must set.
    static func token(for request: Request) -> (value: String, isNew: Bool) {
        if let existing = request.cookies[cookieName]?.value, existing.count == 32 { return (existing, false) }
        return (randomToken(), true)
    }

    static func cookie(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Renders a page with a form: `render` gets the token to put in the form, and the response sets
    /// the cookie when the browser had none.
    static func respond(to request: Request, secure: Bool, _ render: (String) throws -> Response) throws -> Response {
        let token = token(for: request)
        var response = try render(token.value)
        if token.isNew { response.setCookie(cookie(token.value, secure: secure)) }
        return response
    }

    /// Refuses a POST whose form token does not match its cookie.
    static func check(_ request: Request, formToken: String?) throws {
        guard let cookie = request.cookies[cookieName]?.value, let formToken, cookie.count == 32,
            Data(cookie.utf8).withUnsafeBytes({ a in Data(formToken.utf8).withUnsafeBytes { b in a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 } })
        else { throw HTTPError(.forbidden) }
    }

    /// 128 random bits as hex.
    static func randomToken() -> String {
        let digits = Array("0123456789abcdef".utf8)
        return SymmetricKey(size: .bits128).withUnsafeBytes { bytes in
            String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
        }
    }
}
