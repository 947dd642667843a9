import Foundation
import HTTPTypes
import Hummingbird
import Persistence

/// Loads the signed-in staff member's session from the staff cookie, and the header their pages show.
public struct StaffSessionMiddleware<Context: StaffRequestContext>: RouterMiddleware {
    let database: any RegistryStore
    let idleTimeout: TimeInterval
    let doors: StaffDoors
    let now: @Sendable () -> Date

    public init(database: any RegistryStore, idleTimeout: TimeInterval, doors: StaffDoors, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.idleTimeout = idleTimeout
        self.doors = doors
        self.now = now
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let id = request.cookies[StaffDoors.cookieName]?.value, id.count == 32 else { return try await next(request, context) }
        let now = self.now()
        let session = try await database.staffSession(id: id, now: now, idleTimeout: idleTimeout)
        context.staff = session
        context.sessionExpired = session == nil
        context.viewer = PageViewer(session: session.map { StaffHeader(session: $0, doors: doors, idleTimeout: idleTimeout, now: now) })
        var response = try await next(request, context)
        if session == nil && !response.headers[values: HTTPField.Name.setCookie].contains(where: { $0.hasPrefix(StaffDoors.cookieName + "=") }) {
            response.forgetStaffSession(doors)
        }
        return response
    }
}
