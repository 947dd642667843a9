import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The kiosk's way in and out: the start address that brings the device token, the start screen
/// with identification, the patient's menu, "I am still here", and ending (a button, the countdown,
/// or a printed ticket), which ends the session on the server.
struct KioskStartController {
    let pages: PageRenderer
    let region: Region
    let devices: KioskDevices
    let finder: PatientFinder
    let database: any RegistryStore
    let csrf: CSRF
    let secureCookies: Bool
    let now: @Sendable () -> Date

    /// Birth dates are reckoned by the region's calendar.
    static let regionZone = TimeZone(identifier: "Europe/Moscow")!

    /// The screens before identifying go on `open`; the menu needs the patient standing at the kiosk.
    func addRoutes(open group: RouterGroup<KioskRequestContext>, standing: RouterGroup<KioskPatientContext>) {
        group.get(KioskRoute.start().pattern) { request, context in try await start(request, context) }
        group.get(KioskRoute.home.pattern) { request, context in
            if context.patient != nil { return Response.redirect(to: KioskRoute.menu.path, type: .normal) }
            return try await show(request: request, context: context)
        }
        group.post(KioskRoute.identify.pattern) { request, context in try await identify(request, context) }
        standing.get(KioskRoute.menu.pattern) { _, context in
            try pages.kiosk("pages/kiosk/menu", KioskMenuPage(name: context.patient.displayName, csrfToken: context.session.csrfToken), context)
        }
        // Ending needs no form token: whatever sent it, the answer is the start screen with nobody signed in.
        group.post(KioskRoute.end.pattern) { request, context in
            _ = try? await request.body.collect(upTo: 4_096)
            if let session = context.session { try await database.deleteSession(id: session.id) }
            var response = Self.toStart()
            response.setCookie(KioskDeviceMiddleware.sessionCookie(secure: secureCookies).expired)
            return response
        }
        group.get(KioskRoute.alive.pattern) { _, context in
            // Asked by the countdown script: a plain 401 once nobody is signed in here, never the start screen.
            guard let session = context.session else { return Response(status: .unauthorized) }
            try await database.touchSession(id: session.id, now: now())
            return Response(status: .noContent)
        }
    }

    /// The start screen, for everything that is not a live patient's (`RequireKioskPatient`).
    static func toStart() -> Response {
        Response.redirect(to: KioskRoute.home.path, type: .normal)
    }

    /// The kiosk's browser opens this with its token: the token is kept in a cookie, and the start screen follows.
    private func start(_ request: Request, _ context: KioskRequestContext) async throws -> Response {
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        guard case .kiosk(let device) = try await devices.admit(token: token, from: context.remoteAddress, now: now()) else {
            return try pages.kiosk("pages/kiosk/not-registered", KioskMessagePage(), context, status: .forbidden)
        }
        try await database.kioskStarted(id: device.id, now: now())
        var response = Self.toStart()
        response.setCookie(KioskDeviceMiddleware.deviceCookie(token, secure: secureCookies))
        response.setCookie(KioskDeviceMiddleware.sessionCookie(secure: secureCookies).expired)
        return response
    }

    private func show(_ typed: TypedIdentity = TypedIdentity(), answer: IdentificationAnswer = .none, request: Request, context: KioskRequestContext,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        var clinicName: String?
        if let device = context.device { clinicName = try? await region.clinic(device.clinicID)?.clinic.shortName }
        return try csrf.respond(to: request, context: context) { [clinicName] token in
            let page = KioskStartPage(clinicName: clinicName, typed: typed, answer: answer, csrfToken: token)
            return try pages.kiosk("pages/kiosk/start", page, context, status: status)
        }
    }

    private func identify(_ request: Request, _ context: KioskRequestContext) async throws -> Response {
        // Every address but the start one comes with a live kiosk (`KioskDeviceMiddleware`).
        guard let device = context.device else { throw HTTPError(.forbidden) }
        let form = try await csrf.form(request, context: context)
        let typed = TypedIdentity(form: form)
        let now = self.now()
        // Failed attempts are counted per kiosk (a lobby's kiosks share one address); a kiosk proves no earlier sign-in.
        let identification = try await finder.identify(policy: typed.policy, birthDate: typed.birthDate, document: typed.document, from: "kiosk:" + device.id,
                                                       known: { _ in false }, zone: Self.regionZone, now: now)
        switch IdentificationResult(identification) {
        case .signIn(let patient, _):
            let sessionID = CSRF.randomToken()
            // The session's form token goes with a fresh pre-session cookie, so that a form still on the screen when the session lapses passes as one without a session.
            let (cookie, token) = csrf.newPair()
            try await database.identify(session: context.session?.id ?? "", as: sessionID, csrfToken: token, patient: patient, kiosk: device.id, now: now)
            var response = Response.redirect(to: KioskRoute.menu.path)
            response.setCookie(KioskDeviceMiddleware.sessionCookie(secure: secureCookies).holding(sessionID))
            response.setCookie(csrf.cookie(cookie))
            return response
        case .show(let answer):
            var response = try await show(typed, answer: answer, request: request, context: context, status: answer.status)
            response.headers[.retryAfter] = answer.retryAfter
            return response
        }
    }
}
