import Foundation
import Hummingbird
import Persistence

/// Loads the identified patient's session from its cookie. Anonymous visitors have none, so browsing
/// never touches the database.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = RegistryRequestContext

    static let cookieName = "session"
    /// Sessions end after this long without a request.
    static let idleTimeout: TimeInterval = 15 * 60

    let database: AppDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let id = request.cookies[Self.cookieName]?.value, id.count == 32 {
            context.session = try database.session(id: id, now: Date(), idleTimeout: Self.idleTimeout)
        }
        return try await next(request, context)
    }

    static func cookie(_ id: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: id, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A cookie that makes the browser forget the session.
    static func expiredCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
