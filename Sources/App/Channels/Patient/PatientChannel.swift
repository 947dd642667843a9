import Foundation
import Hummingbird
import Web
import RegistryCore

/// The patient channel: the public site and the identified patient's pages, in one route group with
/// its own context (`PatientRequestContext`) and its own sign-in (`SessionMiddleware`).
struct PatientChannel {
    let configuration: AppConfiguration
    let pages: PageRenderer
    let core: RegistryCoreServices
    /// The registry's one clock: rules, sessions, consents (tests set it).
    let now: @Sendable () -> Date

    func mount(on router: Router<RegistryRequestContext>) async throws {
        let group = router.group(context: PatientRequestContext.self)
            .add(middleware: SessionMiddleware(database: core.database, idleTimeout: configuration.sessionIdleTimeout, secureCookies: configuration.secureCookies, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: configuration.secureCookies)
        let (region, database, desk, reconciler) = (core.region, core.database, core.desk, core.reconciler)
        let unicodeMailboxes = configuration.notifications.smtp?.smtpUTF8 ?? false
        HomeController(pages: pages).addRoutes(to: group)
        BrowseController(pages: pages, region: region, rules: configuration.bookingRules, now: now).addRoutes(to: group)
        SearchController(pages: pages, region: region).addRoutes(to: group)
        let finder = PatientFinder(region: region, database: database, attemptsPerAddress: configuration.identifyAttemptsPerAddress)
        IdentifyController(pages: pages, region: region, finder: finder, desk: desk, database: database, csrf: csrf, secureCookies: configuration.secureCookies, now: now).addRoutes(to: group)
        CabinetController(pages: pages, region: region, desk: desk, database: database, csrf: csrf, unicodeMailboxes: unicodeMailboxes, now: now).addRoutes(to: group)
        BookController(pages: pages, desk: desk, reconciler: reconciler, database: database, csrf: csrf, unicodeMailboxes: unicodeMailboxes, now: now).addRoutes(to: group)
        MoveController(pages: pages, region: region, desk: desk, reconciler: reconciler, database: database, csrf: csrf, now: now).addRoutes(to: group)
        EarliestController(pages: pages, region: region, desk: desk, database: database, now: now).addRoutes(to: group)
        ContactConfirmationController(pages: pages, database: database, csrf: csrf, now: now).addRoutes(to: group)
        WaitlistController(pages: pages, region: region, desk: desk, database: database, csrf: csrf, unicodeMailboxes: unicodeMailboxes, now: now).addRoutes(to: group)
    }
}
