import Foundation
import Hummingbird
import Persistence
import RegistryCore
import Web

/// The caller being served: chosen from the last search's results (by their place in the list, so
/// that no caller's data travels in a form or an address), their card, and letting them go.
struct CallerController {
    let pages: PageRenderer
    let card: CallerCard
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<OperatorRequestContext>) {
        group.post("caller/choose") { request, context in try await choose(request, context) }
        group.get("caller") { _, context in try await show(context) }
        group.post("caller/end") { request, context in try await end(request, context) }
    }

    private func choose(_ request: Request, _ context: OperatorRequestContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        guard let staff = context.staff else { throw HTTPError(.unauthorized) }
        guard let index = form["choice"].flatMap(Int.init), staff.searchResults.indices.contains(index) else { return .redirect(to: OperatorRoute.home.path) }
        try await database.chooseStaffCaller(sessionID: staff.id, caller: staff.searchResults[index])
        return .redirect(to: OperatorRoute.caller.path)
    }

    private func show(_ context: OperatorRequestContext) async throws -> Response {
        guard let staff = context.staff else { throw HTTPError(.unauthorized) }
        guard let caller = staff.caller else { return .redirect(to: OperatorRoute.home.path) }
        let view = try await card.view(caller, by: staff.account, address: context.remoteAddress, now: now())
        let page = CallerCardPage(caller: caller, view: view, csrfToken: staff.csrfToken)
        return try pages.render("pages/operator/caller", for: context.viewer, page: page, caching: .personal)
    }

    private func end(_ request: Request, _ context: OperatorRequestContext) async throws -> Response {
        _ = try await csrf.form(request, context: context)
        guard let staff = context.staff else { throw HTTPError(.unauthorized) }
        try await database.chooseStaffCaller(sessionID: staff.id, caller: nil)
        try await database.saveStaffSearch(sessionID: staff.id, callers: [])
        return .redirect(to: OperatorRoute.home.path)
    }
}
