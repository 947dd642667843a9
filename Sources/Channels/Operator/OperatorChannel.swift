import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Web

/// The call centre's workstation under /operator: its own route group, context and staff sign-in
/// (`StaffSessionMiddleware`), role checks as group middleware — account management for
/// administrators only.
package struct OperatorChannel {
    /// What the registry's configuration tells this channel.
    package struct Settings: Sendable {
        let secureCookies: Bool
        /// The networks the workstation answers from (nil: any).
        let staffNetworks: IPNetworks?
        let sessionIdleTimeout: TimeInterval
        let passwordHashCost: UInt8
        /// The start address of a kiosk with this device token (the kiosk channel's, handed over by the wiring).
        let kioskStartPath: @Sendable (String) -> String

        package init(secureCookies: Bool, staffNetworks: IPNetworks?, sessionIdleTimeout: TimeInterval, passwordHashCost: UInt8, kioskStartPath: @escaping @Sendable (String) -> String) {
            self.secureCookies = secureCookies
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
        var channel = router.group(RouterPath(OperatorRoute.prefix), context: OperatorRequestContext.self)
        if let networks = settings.staffNetworks { channel = channel.add(middleware: StaffNetworkGate(networks: networks, pages: pages)) }
        channel = channel.add(middleware: StaffSessionMiddleware(database: core.database, idleTimeout: settings.sessionIdleTimeout, secureCookies: settings.secureCookies, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: settings.secureCookies)
        let audit = AuditTrail(database: core.database)
        var accounts = StaffAccounts(database: core.database, audit: audit)
        accounts.cost = settings.passwordHashCost
        let signedIn = channel.group().add(middleware: RequireStaffRole(role: .operator, pages: pages)).group(context: StaffContext.self)
        let supervisors = channel.group().add(middleware: RequireStaffRole(role: .supervisor, pages: pages)).group(context: StaffContext.self)
        let administrators = channel.group().add(middleware: RequireStaffRole(role: .administrator, pages: pages)).group(context: StaffContext.self)
        StaffSignInController(pages: pages, accounts: accounts, audit: audit, database: core.database, csrf: csrf, secureCookies: settings.secureCookies, now: now)
            .addRoutes(open: channel, signedIn: signedIn)
        CallerSearchController(pages: pages, search: CallerSearch(region: core.region, audit: audit, database: core.database), region: core.region, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: signedIn)
        CallerController(pages: pages, card: CallerCard(region: core.region, database: core.database, audit: audit), desk: core.desk, audit: audit, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: signedIn)
        OperatorBookingController(pages: pages, region: core.region, desk: core.desk, database: core.database, audit: audit, csrf: csrf, now: now).addRoutes(to: signedIn)
        OperatorMoveController(pages: pages, region: core.region, desk: core.desk, database: core.database, audit: audit, csrf: csrf, now: now).addRoutes(to: signedIn)
        AuditController(pages: pages, audit: audit, database: core.database, csrf: csrf, now: now).addRoutes(to: supervisors)
        AccountsController(pages: pages, accounts: accounts, database: core.database, csrf: csrf, now: now).addRoutes(to: administrators)
        KiosksController(pages: pages, kiosks: core.kiosks, region: core.region, csrf: csrf, secureCookies: settings.secureCookies, kioskStartPath: settings.kioskStartPath, now: now).addRoutes(to: administrators)
    }
}
