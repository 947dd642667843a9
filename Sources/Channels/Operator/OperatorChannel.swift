import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Web

/// The call centre's workstation under /operator: its own route group and context; staff sign in
/// once on the staff pages (`StaffDoors`), and every page here is for roles that serve callers.
package struct OperatorChannel {
    /// What the registry's configuration tells this channel.
    package struct Settings: Sendable {
        /// Where staff sign in and what their headers link to (every staff channel's, from the wiring).
        let doors: StaffDoors
        /// The networks the workstation answers from (nil: any).
        let staffNetworks: IPNetworks?
        let sessionIdleTimeout: TimeInterval

        package init(doors: StaffDoors, staffNetworks: IPNetworks?, sessionIdleTimeout: TimeInterval) {
            self.doors = doors
            self.staffNetworks = staffNetworks
            self.sessionIdleTimeout = sessionIdleTimeout
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
        let doors = settings.doors
        var channel = router.group(RouterPath(OperatorRoute.prefix), context: OperatorRequestContext.self)
        if let networks = settings.staffNetworks { channel = channel.add(middleware: StaffNetworkGate<OperatorRequestContext>(networks: networks, pages: pages)) }
        channel = channel.add(middleware: StaffSessionMiddleware<OperatorRequestContext>(database: core.database, idleTimeout: settings.sessionIdleTimeout, doors: doors, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: doors.secureCookies)
        let audit = AuditTrail(database: core.database)
        let signedIn = channel.group().add(middleware: RequireStaffPermission<OperatorRequestContext>(.serveCallers, doors: doors, pages: pages, audit: audit, now: now))
            .group(context: StaffContext.self)
        CallerSearchController(pages: pages, search: CallerSearch(region: core.region, audit: audit, database: core.database), region: core.region, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: signedIn)
        CallerController(pages: pages, card: CallerCard(region: core.region, database: core.database, audit: audit), desk: core.desk, audit: audit, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: signedIn)
        OperatorBookingController(pages: pages, region: core.region, desk: core.desk, database: core.database, audit: audit, csrf: csrf, now: now).addRoutes(to: signedIn)
        OperatorMoveController(pages: pages, region: core.region, desk: core.desk, database: core.database, audit: audit, csrf: csrf, now: now).addRoutes(to: signedIn)
    }
}
