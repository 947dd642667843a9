import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Web

/// The call centre's workstation under /operator: its own route group, context and staff sign-in
/// (`StaffSessionMiddleware`), role checks as group middleware — account management for
/// administrators only.
struct OperatorChannel {
    let configuration: AppConfiguration
    let pages: PageRenderer
    let core: RegistryCoreServices
    let now: @Sendable () -> Date

    func mount(on router: Router<RegistryRequestContext>) async throws {
        var channel = router.group(RouterPath(OperatorRoute.prefix), context: OperatorRequestContext.self)
        if let networks = configuration.staffNetworks { channel = channel.add(middleware: StaffNetworkGate(networks: networks, pages: pages)) }
        channel = channel.add(middleware: StaffSessionMiddleware(database: core.database, idleTimeout: configuration.staffSessionIdleTimeout, secureCookies: configuration.secureCookies, now: now))
        let csrf = CSRF(key: try await core.database.secret(named: CSRF.secretName), secureCookies: configuration.secureCookies)
        let audit = AuditTrail(database: core.database)
        var accounts = StaffAccounts(database: core.database, audit: audit)
        accounts.cost = configuration.passwordHashCost
        let signedIn = channel.group().add(middleware: RequireStaffRole(role: .operator, pages: pages))
        let supervisors = channel.group().add(middleware: RequireStaffRole(role: .supervisor, pages: pages))
        let administrators = channel.group().add(middleware: RequireStaffRole(role: .administrator, pages: pages))
        StaffSignInController(pages: pages, accounts: accounts, audit: audit, database: core.database, csrf: csrf, secureCookies: configuration.secureCookies, now: now)
            .addRoutes(open: channel, signedIn: signedIn)
        CallerSearchController(pages: pages, search: CallerSearch(region: core.region, audit: audit, database: core.database), region: core.region, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: signedIn)
        CallerController(pages: pages, card: CallerCard(region: core.region, database: core.database, audit: audit), desk: core.desk, audit: audit, database: core.database, csrf: csrf, now: now)
            .addRoutes(to: signedIn)
        OperatorBookingController(pages: pages, region: core.region, desk: core.desk, database: core.database, audit: audit, csrf: csrf, now: now).addRoutes(to: signedIn)
        OperatorMoveController(pages: pages, region: core.region, desk: core.desk, database: core.database, audit: audit, csrf: csrf, now: now).addRoutes(to: signedIn)
        AuditController(pages: pages, audit: audit, database: core.database, csrf: csrf, now: now).addRoutes(to: supervisors)
        AccountsController(pages: pages, accounts: accounts, database: core.database, csrf: csrf, now: now).addRoutes(to: administrators)
        KiosksController(pages: pages, kiosks: core.kiosks, region: core.region, csrf: csrf, secureCookies: configuration.secureCookies, now: now).addRoutes(to: administrators)
    }
}
