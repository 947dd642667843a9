import HTTPTypes
import Hummingbird

/// Adds the security headers every response carries: a CSP without inline script, no framing, no
/// sniffing; and, when the registry is served over TLS, HSTS.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    /// Every registry middleware runs at the root, before a channel's group gives its own context:
    /// concrete, so that each request runs specialised code rather than generic code across modules.
    public typealias Context = RegistryRequestContext

    /// The registry is served over TLS (`REGISTRATURA_SECURE_COOKIES`): browsers are told to keep to HTTPS.
    public var overTLS = false

    public init(overTLS: Bool = false) {
        self.overTLS = overTLS
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in SecurityHeaders.all { response.headers[name] = value }
        if overTLS { response.headers[SecurityHeaders.strictTransportSecurityName] = SecurityHeaders.strictTransportSecurity }
        return response
    }
}

/// The header values themselves, shared by the middleware and its tests.
public enum SecurityHeaders {
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    public static let strictTransportSecurityName = HTTPField.Name("Strict-Transport-Security")!
    public static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    public static let all: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, contentSecurityPolicy),
        (.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
        (HTTPField.Name("Permissions-Policy")!, "camera=(), microphone=(), geolocation=()"),
    ]
}
