import Booking
import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Web

/// The patient channel: the public site and the identified patient's pages, in one route group with
/// its own context (`PatientRequestContext`) and its own sign-in (`SessionMiddleware`).
package struct PatientChannel {
    /// What the registry's configuration tells this channel.
    package struct Settings: Sendable {
        let secureCookies: Bool
        let sessionIdleTimeout: TimeInterval
        let identifyAttemptsPerAddress: Int
        let bookingRules: BookingRules
        /// The mail relay speaks SMTPUTF8: a Cyrillic mailbox may be saved.
        let unicodeMailboxes: Bool

        package init(secureCookies: Bool, sessionIdleTimeout: TimeInterval, identifyAttemptsPerAddress: Int, bookingRules: BookingRules, unicodeMailboxes: Bool) {
            self.secureCookies = secureCookies
            self.sessionIdleTimeout = sessionIdleTimeout
            self.identifyAttemptsPerAddress = identifyAttemptsPerAddress
            self.bookingRules = bookingRules
            self.unicodeMailboxes = unicodeMailboxes
        }
    }

    let settings: Settings
    let pages: PageRenderer
    let core: RegistryCoreServices
    /// The registry's one clock: rules, sessions, consents (tests set it).
    let now: @Sendable () -> Date

    package init(settings: Settings, pages: PageRenderer, core: RegistryCoreServices, now: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.pages = pages
        self.core = core
        self.now = now
    }

    package func mount(on router: Router<RegistryRequestContext>) async throws {
        let group = router.group(context: PatientRequestContext.self)
            .add(middleware: SessionMiddleware(database: core.database, idleTimeout: settings.sessionIdleTimeout, secureCookies: settings.secureCookies, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: settings.secureCookies)
        let (region, database, desk, reconciler) = (core.region, core.database, core.desk, core.reconciler)
        let unicodeMailboxes = settings.unicodeMailboxes
        HomeController(pages: pages).addRoutes(to: group)
        BrowseController(pages: pages, region: region, rules: settings.bookingRules, now: now).addRoutes(to: group)
        SearchController(pages: pages, region: region).addRoutes(to: group)
        let finder = PatientFinder(region: region, database: database, attemptsPerAddress: settings.identifyAttemptsPerAddress)
        IdentifyController(pages: pages, region: region, finder: finder, desk: desk, database: database, csrf: csrf, secureCookies: settings.secureCookies, now: now).addRoutes(to: group)
        CabinetController(pages: pages, region: region, desk: desk, database: database, csrf: csrf, unicodeMailboxes: unicodeMailboxes, now: now).addRoutes(to: group)
        BookController(pages: pages, desk: desk, reconciler: reconciler, database: database, csrf: csrf, unicodeMailboxes: unicodeMailboxes, now: now).addRoutes(to: group)
        MoveController(pages: pages, region: region, desk: desk, reconciler: reconciler, database: database, csrf: csrf, now: now).addRoutes(to: group)
        EarliestController(pages: pages, region: region, desk: desk, database: database, now: now).addRoutes(to: group)
        ContactConfirmationController(pages: pages, database: database, csrf: csrf, now: now).addRoutes(to: group)
        WaitlistController(pages: pages, region: region, desk: desk, database: database, csrf: csrf, unicodeMailboxes: unicodeMailboxes, now: now).addRoutes(to: group)
    }
}
