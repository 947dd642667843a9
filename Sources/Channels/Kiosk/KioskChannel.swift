import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Templating
import Web

/// The lobby kiosk (инфомат) under /kiosk: its own route group, context and device check
/// (`KioskDeviceMiddleware`); a patient identifies at it, books, prints and cancels, and leaves
/// nothing behind. What it books carries the kiosk channel and the kiosk's id.
package struct KioskChannel {
    /// What the registry's configuration tells this channel.
    package struct Settings: Sendable {
        let secureCookies: Bool
        /// How long a kiosk shows a patient's screen untouched before it starts again.
        let idleTimeout: TimeInterval
        let sessionIdleTimeout: TimeInterval
        let identifyAttemptsPerAddress: Int

        package init(secureCookies: Bool, idleTimeout: TimeInterval, sessionIdleTimeout: TimeInterval, identifyAttemptsPerAddress: Int) {
            self.secureCookies = secureCookies
            self.idleTimeout = idleTimeout
            self.sessionIdleTimeout = sessionIdleTimeout
            self.identifyAttemptsPerAddress = identifyAttemptsPerAddress
        }
    }

    let settings: Settings
    let pages: PageRenderer
    let core: RegistryCoreServices
    let now: @Sendable () -> Date

    package init(settings: Settings, pages: PageRenderer, core: RegistryCoreServices, now: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.pages = pages
        self.core = core
        self.now = now
    }

    package func mount(on router: Router<RegistryRequestContext>) async throws {
        let group = router.group(RouterPath(KioskRoute.prefix), context: KioskRequestContext.self)
            .add(middleware: KioskDeviceMiddleware(devices: core.kiosks, database: core.database, pages: pages, idleTimeout: settings.idleTimeout,
                                                   sessionIdleTimeout: settings.sessionIdleTimeout, secureCookies: settings.secureCookies, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: settings.secureCookies)
        let finder = PatientFinder(region: core.region, database: core.database, attemptsPerAddress: settings.identifyAttemptsPerAddress)
        let standing = group.group().add(middleware: RequireKioskPatient()).group(context: KioskPatientContext.self)
        KioskStartController(pages: pages, region: core.region, devices: core.kiosks, finder: finder, database: core.database, csrf: csrf,
                             secureCookies: settings.secureCookies, now: now).addRoutes(open: group, standing: standing)
        KioskBookingController(pages: pages, region: core.region, desk: core.desk, reconciler: core.reconciler, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: standing)
        KioskAppointmentsController(pages: pages, region: core.region, desk: core.desk, csrf: csrf, now: now).addRoutes(to: standing)
    }
}

extension PageRenderer {
    /// A kiosk page: never stored, shown to whoever stands at the kiosk now.
    func kiosk(_ template: String, _ page: some TemplateObject, _ context: some ChannelContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try render(template, for: context.viewer, page: page, status: status, caching: .personal)
    }
}
