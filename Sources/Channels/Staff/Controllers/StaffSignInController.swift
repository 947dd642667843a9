import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The one sign-in of all staff (the call centre's and the clinics'), signing out, and changing
/// one's own password. A sign-in goes back to the page asked for, or to the account's start page.
struct StaffSignInController {
    let pages: PageRenderer
    let accounts: StaffAccounts
    let audit: AuditTrail
    let database: any RegistryStore
    let csrf: CSRF
    let doors: StaffDoors
    let now: @Sendable () -> Date

    /// Routes anyone may open (the sign-in form) go on `open`; the rest need a signed-in staff member.
    func addRoutes(open: RouterGroup<StaffChannelContext>, signedIn: RouterGroup<StaffContext>) {
        open.get(StaffRoute.signIn().pattern) { request, context in try showSignIn(request, context) }
        open.post(StaffRoute.signIn().pattern) { request, context in try await signIn(request, context) }
        open.post(StaffRoute.signOut.pattern) { request, context in try await signOut(request, context) }
        signedIn.get(StaffRoute.password.pattern) { request, context in try showPassword(request, context) }
        signedIn.post(StaffRoute.password.pattern) { request, context in try await changePassword(request, context) }
    }

    private func showSignIn(_ request: Request, _ context: StaffChannelContext) throws -> Response {
        if let staff = context.staff { return .redirect(to: doors.home(staff.account)) }
        let next = doors.returnPath(request.uri.queryParameters["next"].map(String.init))
        let signedOut = request.uri.queryParameters["signed-out"] != nil
        return try signInForm(request, context) { StaffSignInPage(next: next, sessionEnded: context.sessionExpired, signedOut: signedOut, csrfToken: $0) }
    }

    private func signInForm(_ request: Request, _ context: StaffChannelContext, status: HTTPResponse.Status = .ok, page: (String) -> StaffSignInPage) throws -> Response {
        try csrf.respond(to: request, context: context) { token in
            try pages.render("pages/staff/sign-in", for: PageViewer(), page: page(token), status: status, caching: .personal)
        }
    }

    private func signIn(_ request: Request, _ context: StaffChannelContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let login = String((form["login"] ?? "").prefix(64))
        let password = String((form["password"] ?? "").prefix(256))
        let next = doors.returnPath(form["next"])
        let now = self.now()
        let knownBrowser = request.cookies[Self.knownCookieName].map { $0.value == knownToken(login) } ?? false
        switch try await accounts.signIn(login: login, password: password, address: context.remoteAddress, knownBrowser: knownBrowser, now: now) {
        case .signedIn(let account):
            // A fresh session id and form token on every sign-in: a planted id is worthless.
            let id = CSRF.randomToken()
            try await database.createStaffSession(id: id, accountID: account.id, csrfToken: CSRF.randomToken(), now: now)
            if let old = context.staff { try await database.deleteStaffSession(id: old.id) }
            var response = Response.redirect(to: account.mustChangePassword ? StaffRoute.password.path : next ?? doors.home(account))
            response.setStaffSession(id, doors)
            // This browser has signed in as this login: guessing spread over other addresses does not hold it back.
            response.setCookie(Cookie(name: Self.knownCookieName, value: knownToken(account.login), maxAge: 180 * 86_400, path: StaffRoute.signIn().path,
                                      secure: doors.secureCookies, httpOnly: true, sameSite: .strict))
            return response
        case .refused:
            return try signInForm(request, context, status: .unauthorized) { StaffSignInPage(login: login, next: next, refused: true, csrfToken: $0) }
        case .throttled:
            var response = try signInForm(request, context, status: .tooManyRequests) { StaffSignInPage(login: login, next: next, throttled: true, csrfToken: $0) }
            response.headers[.retryAfter] = String(Int(accounts.window))
            return response
        }
    }

    /// The cookie of a browser that has signed in as a login before, and its value for `login` (signed, so it cannot be made up).
    static let knownCookieName = "staff_known"

    private func knownToken(_ login: String) -> String {
        csrf.signature(of: "staff-known|" + (StaffAccounts.normalizedLogin(login) ?? login.lowercased()))
    }

    private func signOut(_ request: Request, _ context: StaffChannelContext) async throws -> Response {
        _ = try await csrf.form(request, context: context)
        if let staff = context.staff {
            try await database.deleteStaffSession(id: staff.id)
            try await audit.record(.signedOut, by: AuditTrail.actor(staff.account), address: context.remoteAddress, now: now())
        }
        var response = Response.redirect(to: StaffRoute.signIn().path + "?signed-out=1")
        response.forgetStaffSession(doors)
        return response
    }

    private func showPassword(_ request: Request, _ context: StaffContext, error: String? = nil, field: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let staff = context.staff
        let page = PasswordPage(required: staff.account.mustChangePassword, error: error, field: field, csrfToken: staff.csrfToken)
        return try pages.render("pages/staff/password", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func changePassword(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        let new = form["new"] ?? ""
        guard new == form["repeat"] else {
            return try showPassword(request, context, error: "Новый пароль и его повтор не совпадают.", field: "new", status: .unprocessableContent)
        }
        let now = self.now()
        do {
            _ = try await accounts.changePassword(of: staff.account, current: form["current"] ?? "", new: new, address: context.remoteAddress, now: now)
        } catch StaffAccounts.Problem.wrongPassword {
            return try showPassword(request, context, error: "Текущий пароль введён неверно.", field: "current", status: .unprocessableContent)
        } catch StaffAccounts.Problem.weakPassword(let problem) {
            return try showPassword(request, context, error: problem, field: "new", status: .unprocessableContent)
        }
        // Every session of the account ended with the old password; this browser goes on in a fresh one.
        let id = CSRF.randomToken(), token = CSRF.randomToken()
        try await database.createStaffSession(id: id, accountID: staff.account.id, csrfToken: token, now: now)
        // Just changed: the reset's requirement is met (the session's account was read before the change).
        let page = PasswordPage(required: false, changed: true, csrfToken: token)
        var response = try pages.render("pages/staff/password", for: context.viewer, page: page, caching: .personal)
        response.setStaffSession(id, doors)
        return response
    }
}
