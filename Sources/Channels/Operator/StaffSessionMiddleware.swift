import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Persistence
import RegistryCore
import Templating
import Web

/// Loads the signed-in staff member's session from its own cookie (`staff`, sent only to the
/// workstation's addresses; a patient's session cookie means nothing here).
struct StaffSessionMiddleware: RouterMiddleware {
    typealias Context = OperatorRequestContext

    static let cookieName = "staff"

    let database: any RegistryStore
    let idleTimeout: TimeInterval
    let secureCookies: Bool
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let id = request.cookies[Self.cookieName]?.value, id.count == 32 else { return try await next(request, context) }
        let now = self.now()
        let session = try await database.staffSession(id: id, now: now, idleTimeout: idleTimeout)
        context.staff = session
        context.sessionExpired = session == nil
        context.viewer = PageViewer(session: session.map { StaffHeader(session: $0, idleTimeout: idleTimeout, now: now) })
        var response = try await next(request, context)
        if session == nil && !response.headers[values: HTTPField.Name.setCookie].contains(where: { $0.hasPrefix(Self.cookieName + "=") }) {
            response.setCookie(Self.sessionCookie(secure: secureCookies).expired)
        }
        return response
    }

    /// The staff session cookie: the workstation's pages only, never sent from another site.
    static func sessionCookie(secure: Bool) -> SessionCookie {
        SessionCookie(name: cookieName, path: OperatorRoute.prefix, sameSite: .strict, secure: secure)
    }
}

/// Lets through only a signed-in staff member of at least `role`: anyone else signs in first (and
/// comes back), a lesser role gets the "not for your role" page (403).
struct RequireStaffRole: RouterMiddleware {
    typealias Context = OperatorRequestContext

    let role: StaffRole
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let staff = context.staff else {
            // Back to the page asked for after signing in (the start page is where signing in leads anyway).
            let back = request.method == .get ? OperatorRoute.localPath(request.uri.string).flatMap { $0 == OperatorRoute.home.path ? nil : $0 } : nil
            return .redirect(to: OperatorRoute.signIn(next: back).path, type: .normal)
        }
        if staff.account.mustChangePassword && request.uri.path != OperatorRoute.password.path && request.uri.path != OperatorRoute.signOut.path {
            return .redirect(to: OperatorRoute.password.path, type: .normal)
        }
        guard staff.account.role >= role else {
            return try pages.render("pages/operator/forbidden", for: context.viewer, page: ForbiddenPage(role: staff.account.role), status: .forbidden, caching: .personal)
        }
        return try await next(request, context)
    }
}

/// Keeps the workstation to the networks it is configured for (`OperatorChannel.Settings.staffNetworks`):
/// from any other address every page of it, the sign-in form included, is refused (and logged).
struct StaffNetworkGate: RouterMiddleware {
    typealias Context = OperatorRequestContext

    let networks: IPNetworks
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard networks.contains(context.remoteAddress) else {
            context.logger.notice("workstation refused outside its networks", metadata: ["client.address": .string(context.remoteAddress ?? "unknown")])
            return try pages.render("pages/operator/outside-network", for: PageViewer(), page: OutsideNetworkPage(), status: .forbidden, caching: .personal)
        }
        return try await next(request, context)
    }
}
