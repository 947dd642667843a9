import Booking
import Foundation
import Hummingbird
import Web
import MISBridge
import Persistence
import RegistryCore

/// Identification by OMS policy and birth date (and the identity document when a MIS finds several
/// cards); the session it creates; leaving it.
struct IdentifyController {
    let pages: PageRenderer
    let region: Region
    let finder: PatientFinder
    /// Recalls the time being chosen when identification interrupted it.
    let desk: BookingDesk
    let database: any RegistryStore
    let csrf: CSRF
    let secureCookies: Bool
    let now: @Sendable () -> Date

    /// A browser that has signed in with a policy keeps this cookie: the signed proof that lets it
    /// past the policy's count of failed attempts (`PatientFinder`).
    static let knownCookieName = "known"
    /// Birth dates and ages are reckoned by the region's calendar.
    static let regionZone = TimeZone(identifier: "Europe/Moscow")!

    func addRoutes(to router: RouterGroup<PatientRequestContext>) {
        router.get(SiteRoute.identify().pattern) { request, context in
            let next = SiteRoute.localPath(request.uri.queryParameters["next"].map(String.init))
            return try await show(next: next, sessionEnded: request.uri.queryParameters["expired"] == "1", request: request, context: context)
        }
        // Any request keeps a session alive; this one does nothing else, and always writes the activity down (the page's "stay signed in" button asks it).
        router.get(SiteRoute.session.pattern) { _, context in
            // Asked by the page's script: a plain 401 when the session has ended, never a redirect.
            guard let identified = context.principal else { return Response(status: .unauthorized, headers: [.cacheControl: "no-store"]) }
            try await database.touchSession(id: identified.session.id, now: now())
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
        router.post(SiteRoute.identify().pattern) { request, context in try await identify(request, context) }
        router.post(SiteRoute.logout.pattern) { request, context in try await logout(request, context) }
        router.identified(csrf).get(SiteRoute.me.pattern) { request, context in
            let patient = context.patient
            let shortcuts = await PatientShortcuts.find(for: patient, in: region, today: BookingRules.day(now(), Self.regionZone))
            return try csrf.respond(to: request, context: context) { token in
                try pages.render("pages/patient/me", for: context.viewer, page: MePage(patient: patient, shortcuts: shortcuts, csrfToken: token), caching: .personal)
            }
        }
    }

    /// The form, recalling the time being booked (unless the clinics are down: there is nobody to ask).
    private func show(next: String?, typed: TypedIdentity = TypedIdentity(), answer: IdentificationAnswer = .none, sessionEnded: Bool = false,
                      request: Request, context: PatientRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let chosen = answer.unavailable ? nil : await chosenTime(in: next)
        return try csrf.respond(to: request, context: context) { token in
            let page = IdentifyPage(next: next, typed: typed, answer: answer, sessionEnded: sessionEnded, chosen: chosen, csrfToken: token)
            return try pages.render("pages/patient/identify", for: context.viewer, page: page, status: status, caching: .personal)
        }
    }

    private func identify(_ request: Request, _ context: PatientRequestContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let next = SiteRoute.localPath(form["next"])
        let typed = TypedIdentity(form: form)
        let now = self.now()
        let identification = try await finder.identify(policy: typed.policy, birthDate: typed.birthDate, document: typed.document, from: context.remoteAddress,
                                                       known: { request.cookies[Self.knownCookieName]?.value == knownToken($0) }, zone: Self.regionZone, now: now)
        let patient: IdentifiedPatient, policyKey: String
        switch IdentificationResult(identification) {
        case .signIn(let found, let key):
            (patient, policyKey) = (found, key)
        case .show(let answer):
            // Shown again with what was typed; when the clinics did not answer, to send again in a minute.
            var response = try await show(next: next, typed: typed, answer: answer, request: request, context: context, status: answer.status)
            response.headers[.retryAfter] = answer.retryAfter
            return response
        }

        let sessionID = CSRF.randomToken()
        // The session's form token goes with a fresh pre-session cookie, so that a form opened before the session lapses still passes as one without a session.
        let (cookie, token) = csrf.newPair()
        try await database.identify(session: context.session?.id ?? "", as: sessionID, csrfToken: token, patient: patient, now: now)
        var response = Response.redirect(to: next ?? SiteRoute.me.path)
        response.setCookie(SessionMiddleware.sessionCookie(secure: secureCookies).holding(sessionID))
        response.setCookie(csrf.cookie(cookie))
        response.setCookie(Cookie(name: Self.knownCookieName, value: knownToken(policyKey), maxAge: 180 * 86_400, path: SiteRoute.identify().path, secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// The time being booked when `next` leads back to its check page; nil for any other page, or
    /// when the clinic does not answer (the form works without it).
    private func chosenTime(in next: String?) async -> ChosenTime? {
        let checkPage = SiteRoute.book.path + "?"
        guard let next, next.hasPrefix(checkPage), let query = try? FormParameters(decoding: next.dropFirst(checkPage.count).utf8),
            let clinic = query["clinic"], let doctor = query["doctor"], let slot = query["slot"]
        else { return nil }
        return (try? await desk.resolve(clinic: clinic, doctor: doctor, slot: slot, now: now())).map(ChosenTime.init)
    }

    /// The "known" cookie's value for a policy: proof that this browser has signed in with it.
    private func knownToken(_ policyKey: String) -> String {
        csrf.signature(of: "known|" + policyKey)
    }

    private func logout(_ request: Request, _ context: PatientRequestContext) async throws -> Response {
        _ = try await csrf.form(request, context: context, limit: 4_096)
        if let id = context.session?.id { try await database.deleteSession(id: id) }
        var response = Response.redirect(to: "/")
        response.setCookie(SessionMiddleware.sessionCookie(secure: secureCookies).expired)
        return response
    }

    /// The way to a page that needs identification: the form, which leads back here afterwards and
    /// says why when the patient's session has just lapsed.
    static func askToIdentify(next: String, _ context: PatientRequestContext) -> Response {
        Response.redirect(to: SiteRoute.identify(next: next, expired: context.sessionExpired).path, type: .normal)
    }
}
