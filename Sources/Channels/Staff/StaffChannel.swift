import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Web

/// The staff pages under /staff: the one sign-in of all staff, a clinic's registrars and heads
/// (their own clinics only), and the region's administration (accounts, kiosks, the audit trail).
/// Its own route group, context and layout; each group of pages behind the permission it needs.
package struct StaffChannel {
    /// What the registry's configuration tells this channel.
    package struct Settings: Sendable {
        /// Where staff sign in and what their headers link to (every staff channel's, from the wiring).
        let doors: StaffDoors
        /// The networks staff pages answer from (nil: any).
        let staffNetworks: IPNetworks?
        let sessionIdleTimeout: TimeInterval
        let passwordHashCost: UInt8
        /// The start address of a kiosk with this device token (the kiosk channel's, handed over by the wiring).
        let kioskStartPath: @Sendable (String) -> String

        package init(doors: StaffDoors, staffNetworks: IPNetworks?, sessionIdleTimeout: TimeInterval, passwordHashCost: UInt8, kioskStartPath: @escaping @Sendable (String) -> String) {
            self.doors = doors
            self.staffNetworks = staffNetworks
            self.sessionIdleTimeout = sessionIdleTimeout
            self.passwordHashCost = passwordHashCost
            self.kioskStartPath = kioskStartPath
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
        var channel = router.group(RouterPath(StaffRoute.prefix), context: StaffChannelContext.self)
        if let networks = settings.staffNetworks { channel = channel.add(middleware: StaffNetworkGate<StaffChannelContext>(networks: networks, pages: pages)) }
        channel = channel.add(middleware: StaffSessionMiddleware<StaffChannelContext>(database: core.database, idleTimeout: settings.sessionIdleTimeout, doors: doors, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: doors.secureCookies)
        let audit = AuditTrail(database: core.database)
        var accounts = StaffAccounts(database: core.database, audit: audit)
        accounts.cost = settings.passwordHashCost
        /// The pages behind `permission` (nil: any signed-in staff member).
        func group(_ permission: StaffPermission?) -> RouterGroup<StaffContext> {
            channel.group().add(middleware: RequireStaffPermission<StaffChannelContext>(permission, doors: doors, pages: pages, audit: audit, now: now)).group(context: StaffContext.self)
        }
        let signedIn = group(nil)
        StaffSignInController(pages: pages, accounts: accounts, audit: audit, database: core.database, csrf: csrf, doors: doors, now: now)
            .addRoutes(open: channel, signedIn: signedIn)
        StaffHomeController(pages: pages, region: core.region, doors: doors).addRoutes(to: signedIn)
        AuditController(pages: pages, audit: audit, database: core.database, csrf: csrf, now: now).addRoutes(to: group(.readAudit))
        AccountsController(pages: pages, accounts: accounts, region: core.region, database: core.database, csrf: csrf, now: now).addRoutes(to: group(.administer))
        let refusal = StaffRefusal(pages: pages, audit: audit, doors: doors)
        let access = ClinicPageAccess(region: core.region, refusal: refusal)
        DayListController(pages: pages, region: core.region, audit: audit, database: core.database, kiosks: core.kiosks, access: access, now: now)
            .addRoutes(to: group(.readClinicLists))
        SchedulesController(pages: pages, region: core.region, audit: audit, access: access, now: now).addRoutes(to: group(.readClinicLists))
        QueueController(pages: pages, desk: core.reservations, rules: core.rules, access: access, csrf: csrf, now: now).addRoutes(to: group(.decideBookings))
        StatisticsController(pages: pages, region: core.region, database: core.database, refusal: refusal, now: now).addRoutes(to: group(.readStatistics))
        KiosksController(pages: pages, kiosks: core.kiosks, region: core.region, csrf: csrf, secureCookies: doors.secureCookies, kioskStartPath: settings.kioskStartPath, now: now)
            .addRoutes(to: group(.administer))
    }
}
