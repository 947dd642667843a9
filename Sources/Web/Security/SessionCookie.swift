import Hummingbird

/// A channel's session cookie: its name, the path it is sent to and its SameSite policy. The cookie
/// that holds a session and the one that makes the browser forget it differ only in value and age.
public struct SessionCookie: Sendable {
    public let name: String
    public let path: String
    public let sameSite: Cookie.SameSite
    /// Served over TLS: the browser sends it back only over TLS.
    public let secure: Bool

    public init(name: String, path: String, sameSite: Cookie.SameSite, secure: Bool) {
        self.name = name
        self.path = path
        self.sameSite = sameSite
        self.secure = secure
    }

    /// The cookie that carries session `id` until the browser closes.
    public func holding(_ id: String) -> Cookie {
        Cookie(name: name, value: id, path: path, secure: secure, httpOnly: true, sameSite: sameSite)
    }

    /// The cookie that makes the browser forget the session.
    public var expired: Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: sameSite)
    }
}
