import HTTPTypes
import Hummingbird

/// Behind the region's reverse proxies (nginx in front of several nodes) the connection comes from
/// a proxy: for requests from a trusted proxy the client's address is taken from `X-Forwarded-For`,
/// so that throttling, the metrics allow-list and later the audit trail see the person, not nginx.
public struct ForwardedClientMiddleware: RouterMiddleware {
    public typealias Context = RegistryRequestContext

    let trustedProxies: Set<String>
    /// The header nginx fills with `$proxy_add_x_forwarded_for`.
    public static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    public init(trustedProxies: Set<String>) {
        self.trustedProxies = trustedProxies
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = context.remoteAddress, trustedProxies.contains(peer) else { return try await next(request, context) }
        var context = context
        context.remoteAddress = ClientAddress.behind(peer, forwardedFor: request.headers[values: Self.forwardedFor].map { $0[...] }, trusted: trustedProxies)
        return try await next(request, context)
    }
}
