import Foundation
import Hummingbird
import Persistence
import RegistryCore

/// Lets through only a signed-in staff member whose role may do `permission` (nil: any role): anyone else signs in
/// first (and comes back), an account that must change its password does that first, and a role the
/// pages are not for gets the "not for your role" page (403), with a line in the audit trail.
public struct RequireStaffPermission<Context: StaffRequestContext>: RouterMiddleware {
    let permission: StaffPermission?
    let doors: StaffDoors
    let pages: PageRenderer
    let audit: AuditTrail
    let now: @Sendable () -> Date

    public init(_ permission: StaffPermission?, doors: StaffDoors, pages: PageRenderer, audit: AuditTrail, now: @escaping @Sendable () -> Date) {
        self.permission = permission
        self.doors = doors
        self.pages = pages
        self.audit = audit
        self.now = now
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let staff = context.staff else {
            return .redirect(to: doors.signIn(request.method == .get ? doors.returnPath(request.uri.string) : nil), type: .normal)
        }
        if staff.account.mustChangePassword && request.uri.path != doors.password && request.uri.path != doors.signOut {
            return .redirect(to: doors.password, type: .normal)
        }
        guard permission.map(staff.account.role.may) ?? true else {
            return try await StaffRefusal(pages: pages, audit: audit, doors: doors).page(for: staff.account, context: context, asked: request.uri.path, now: now())
        }
        return try await next(request, context)
    }
}

/// The answer to a staff page asked by a role or for a clinic it is not for: 403, the "not for you"
/// page, and a line in the audit trail saying who asked for what.
public struct StaffRefusal: Sendable {
    let pages: PageRenderer
    let audit: AuditTrail
    let doors: StaffDoors

    public init(pages: PageRenderer, audit: AuditTrail, doors: StaffDoors) {
        self.pages = pages
        self.audit = audit
        self.doors = doors
    }

    /// `asked` is the path (never the query) of the page refused; `clinic` the clinic it was for, if that was why.
    public func page(for account: StaffAccount, context: some ChannelContext, asked: String, clinic: String? = nil, now: Date) async throws -> Response {
        let detail = String(asked.prefix(200)) + (clinic.map { ", поликлиника " + $0 } ?? "")
        try await audit.record(.staffRefused, by: AuditTrail.actor(account), detail: detail, address: context.remoteAddress, now: now)
        let page = ForbiddenPage(role: account.role, clinic: clinic, homeURL: doors.home(account))
        return try pages.render("pages/staff/forbidden", for: context.viewer, page: page, status: .forbidden, caching: .personal)
    }
}
