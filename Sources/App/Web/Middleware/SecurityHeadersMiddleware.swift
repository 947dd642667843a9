import HTTPTypes
import Hummingbird

/// Adds the security headers every response carries: a CSP without inline script, no framing, no
/// sniffing; and, when the registry is served over TLS, HSTS.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The registry is served over TLS (`REGISTRATURA_SECURE_COOKIES`): browsers are told to keep to HTTPS.
    var overTLS = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in SecurityHeaders.all { response.headers[name] = value }
        if overTLS { response.headers[SecurityHeaders.strictTransportSecurityName] = SecurityHeaders.strictTransportSecurity }
        return response
    }
}

/// The header values themselves, shared by the middleware and its tests.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static let strictTransportSecurityName = HTTPField.Name("Strict-Transport-Security")!
    static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    static let all: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy, contentSecurityPolicy),
        (.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
        (HTTPField.Name("Permissions-Policy")!, "camera=(), microphone=(), geolocation=()"),
    ]
}
