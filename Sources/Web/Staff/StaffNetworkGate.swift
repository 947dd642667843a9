import Hummingbird
import Logging
import RegistryCore

/// Keeps the staff pages to the networks they are configured for: from any other address every page,
/// the sign-in form included, is refused (and logged).
public struct StaffNetworkGate<Context: StaffRequestContext>: RouterMiddleware {
    let networks: IPNetworks
    let pages: PageRenderer

    public init(networks: IPNetworks, pages: PageRenderer) {
        self.networks = networks
        self.pages = pages
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard networks.contains(context.remoteAddress) else {
            context.logger.notice("staff pages refused outside their networks", metadata: ["client.address": .string(context.remoteAddress ?? "unknown")])
            return try pages.render("pages/staff/outside-network", for: PageViewer(), page: OutsideNetworkPage(), status: .forbidden, caching: .personal)
        }
        return try await next(request, context)
    }
}
