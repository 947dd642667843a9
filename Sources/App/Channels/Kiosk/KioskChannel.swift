import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Templating
import Web

/// The lobby kiosk (инфомат) under /kiosk: its own route group, context and device check
/// (`KioskDeviceMiddleware`); a patient identifies at it, books, prints and cancels, and leaves
/// nothing behind. What it books carries the kiosk channel and the kiosk's id.
struct KioskChannel {
    let configuration: AppConfiguration
    let pages: PageRenderer
    let core: RegistryCoreServices
    let now: @Sendable () -> Date

    func mount(on router: Router<RegistryRequestContext>) async throws {
        let group = router.group(RouterPath(KioskRoute.prefix), context: KioskRequestContext.self)
            .add(middleware: KioskDeviceMiddleware(devices: core.kiosks, database: core.database, pages: pages, idleTimeout: configuration.kioskIdleTimeout,
                                                   sessionIdleTimeout: configuration.kioskSessionIdleTimeout, secureCookies: configuration.secureCookies, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: configuration.secureCookies)
        let finder = PatientFinder(region: core.region, database: core.database, attemptsPerAddress: configuration.identifyAttemptsPerAddress)
        KioskStartController(pages: pages, region: core.region, devices: core.kiosks, finder: finder, database: core.database, csrf: csrf,
                             secureCookies: configuration.secureCookies, now: now).addRoutes(to: group)
        KioskBookingController(pages: pages, region: core.region, desk: core.desk, reconciler: core.reconciler, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: group)
        KioskAppointmentsController(pages: pages, region: core.region, desk: core.desk, csrf: csrf, now: now).addRoutes(to: group)
    }
}

extension PageRenderer {
    /// A kiosk page: never stored, shown to whoever stands at the kiosk now.
    func kiosk(_ template: String, _ page: some TemplateObject, _ context: KioskRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try render(template, for: context.viewer, page: page, status: status, caching: .personal)
    }
}
