import Foundation
import HTTPTypes
import Hummingbird
import Web
import Persistence
import Templating

/// Loads the identified patient's session from its cookie. Anonymous visitors have none, so browsing
/// never touches the database. A cookie whose session has lapsed is noted (the patient is told why
/// they must identify again) and cleared.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = PatientRequestContext

    static let cookieName = "session"

    let database: any RegistryStore
    /// Sessions end after this long without a request.
    let idleTimeout: TimeInterval
    let secureCookies: Bool
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let target = Self.returnableTarget(request)
        context.viewer = PageViewer(session: nil, signIn: { SiteRoute.identify(next: target.flatMap(SiteRoute.localPath)).path })
        guard let id = request.cookies[Self.cookieName]?.value, id.count == 32 else { return try await next(request, context) }
        let now = self.now()
        // A session made at a kiosk is good there only.
        let withLedger = SiteRoute.startsWithLedger(request.uri.path)
        let session = try await database.session(id: id, now: now, idleTimeout: idleTimeout, withLedger: withLedger).flatMap { $0.kioskID == nil ? $0 : nil }
        context.session = session
        context.sessionExpired = session == nil
        context.viewer.session = session.flatMap { SessionClock(session: $0, idleTimeout: idleTimeout, now: now) }
        var response = try await next(request, context)
        if session == nil && !response.headers[values: HTTPField.Name.setCookie].contains(where: { $0.hasPrefix(Self.cookieName + "=") }) {
            response.setCookie(Self.sessionCookie(secure: secureCookies).expired)
        }
        return response
    }

    /// The address a "sign in" link may return to (checked by `SiteRoute.localPath` when a page
    /// uses it): this page's, if it is shown by GET — not the identification form itself, nor the
    /// home page (signing in there leads to the patient's own page).
    private static func returnableTarget(_ request: Request) -> String? {
        guard request.method == .get || request.method == .head, request.uri.path != SiteRoute.home.path,
            !request.uri.path.hasPrefix(SiteRoute.identify().path)
        else { return nil }
        return request.uri.string
    }

    /// The patient's session cookie: the whole site, sent along when a link from a message is followed.
    static func sessionCookie(secure: Bool) -> SessionCookie {
        SessionCookie(name: cookieName, path: "/", sameSite: .lax, secure: secure)
    }
}
