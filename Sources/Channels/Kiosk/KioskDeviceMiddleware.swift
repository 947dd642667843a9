import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import RegistryCore
import Templating
import Web

/// Lets only a live kiosk in: the device token of its `kiosk` cookie must name a kiosk that is not
/// revoked (checked on every request, so a revocation works at once). Loads the session of the
/// patient standing at it from its own cookie — a session made at this kiosk, never a browser's
/// own or another kiosk's. Every kiosk answer carries no-store: nothing of a patient stays in a cache.
struct KioskDeviceMiddleware: RouterMiddleware {
    typealias Context = KioskRequestContext

    /// The device token (sent to every address, so that a kiosk's browser is kept to the kiosk's pages: `KioskConfinement`).
    static let deviceCookieName = "kiosk"
    /// The id of the session of the patient at the kiosk.
    static let sessionCookieName = "kiosk_patient"

    let devices: KioskDevices
    let database: any RegistryStore
    let pages: PageRenderer
    /// The kiosk's inactivity reset, and how long the server keeps a session without a request.
    let idleTimeout: TimeInterval
    let sessionIdleTimeout: TimeInterval
    let secureCookies: Bool
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await admit(request, context: context, next: next)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func admit(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.viewer = PageViewer(session: KioskFrame(patientName: nil, idleSeconds: Int(idleTimeout)))
        // The start address brings the token itself.
        if request.uri.path == KioskRoute.start().path { return try await next(request, context) }
        let admission: KioskDevices.Admission = if let token = request.cookies[Self.deviceCookieName]?.value {
            try await devices.admit(token: token, from: context.remoteAddress, now: now())
        } else {
            .unknown
        }
        guard case .kiosk(let device) = admission else {
            var response = try pages.render("pages/kiosk/not-registered", for: context.viewer, page: KioskMessagePage(), status: .forbidden, caching: .personal)
            if request.cookies[Self.sessionCookieName] != nil { response.setCookie(Self.sessionCookie(secure: secureCookies).expired) }
            return response
        }
        context.device = device
        let sent = request.cookies[Self.sessionCookieName]?.value
        if let sent, sent.count == 32, let session = try await database.session(id: sent, now: now(), idleTimeout: sessionIdleTimeout), session.kioskID == device.id {
            context.session = session
            context.viewer = PageViewer(session: KioskFrame(patientName: session.patient?.displayName, idleSeconds: Int(idleTimeout)))
        }
        var response = try await next(request, context)
        if sent != nil, context.session == nil, !response.headers[values: HTTPField.Name.setCookie].contains(where: { $0.hasPrefix(Self.sessionCookieName + "=") }) {
            response.setCookie(Self.sessionCookie(secure: secureCookies).expired)
        }
        return response
    }

    /// The device token's cookie: sent to every address of the registry, kept as long as browsers allow.
    static func deviceCookie(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: deviceCookieName, value: token, maxAge: 400 * 86_400, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The session cookie of the patient standing at the kiosk: the kiosk's pages only.
    static func sessionCookie(secure: Bool) -> SessionCookie {
        SessionCookie(name: sessionCookieName, path: KioskRoute.prefix, sameSite: .strict, secure: secure)
    }
}

/// Keeps a kiosk's browser to the kiosk's pages: a request carrying a device token anywhere else
/// (the patient site, its cabinet, the workstation) gets a page that leads back to the kiosk's start.
package struct KioskConfinement: RouterMiddleware {
    package typealias Context = RegistryRequestContext

    let pages: PageRenderer
    /// Public's files (styles, scripts) are for every page, the kiosk's too.
    let isStaticFile: @Sendable (String) -> Bool

    package init(pages: PageRenderer, isStaticFile: @escaping @Sendable (String) -> Bool) {
        self.pages = pages
        self.isStaticFile = isStaticFile
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.cookies[KioskDeviceMiddleware.deviceCookieName] != nil, !KioskRoute.isKioskPath(request.uri.path), !isStaticFile(request.uri.path) else {
            return try await next(request, context)
        }
        return try pages.render("pages/kiosk/outside", for: PageViewer(), page: KioskMessagePage(), status: .forbidden, caching: .personal)
    }
}
