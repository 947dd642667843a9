import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The caller being served: chosen from the last search's results (by their place in the list, so
/// that no caller's data travels in a form or an address), their card, and letting them go.
struct CallerController {
    let pages: PageRenderer
    let card: CallerCard
    let desk: BookingDesk
    let audit: AuditTrail
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.post(OperatorRoute.callerChoose.pattern) { request, context in try await choose(request, context) }
        group.get(OperatorRoute.caller.pattern) { request, context in
            try await show(context, cancelled: request.uri.queryParameters["cancelled"] != nil, contactSaved: request.uri.queryParameters["contact"] != nil)
        }
        group.post(OperatorRoute.callerEnd.pattern) { request, context in try await end(request, context) }
        group.get(OperatorRoute.callerCancel(clinic: "", appointment: "").pattern) { request, context in
            let query = request.uri.queryParameters
            guard let clinic = query["clinic"].map(String.init), let appointment = query["appointment"].map(String.init) else { throw HTTPError(.badRequest) }
            return try await askCancel(clinic: clinic, appointment: appointment, context)
        }
        group.post(OperatorRoute.callerCancelPost.pattern) { request, context in try await cancel(request, context) }
        group.post(OperatorRoute.callerContact.pattern) { request, context in try await saveContact(request, context) }
    }

    private func choose(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        guard let index = form["choice"].flatMap(Int.init), staff.searchResults.indices.contains(index) else { return .redirect(to: OperatorRoute.home.path) }
        try await database.chooseStaffCaller(sessionID: staff.id, caller: staff.searchResults[index])
        return .redirect(to: OperatorRoute.caller.path)
    }

    /// The appointment the operator means to cancel, asked back with its reason; it must be the caller's.
    private func askCancel(clinic: String, appointment: String, _ context: StaffContext, error: String? = nil, reason: String = "") async throws -> Response {
        let staff = context.staff
        guard let caller = staff.caller else { return .redirect(to: OperatorRoute.home.path) }
        guard let item = try await misForPage({ () throws(MISFailure) in try await card.upcoming(appointment, clinic: clinic, of: caller, now: now()) }) else { throw HTTPError(.notFound) }
        let page = CancelAskPage(caller: caller, item: item, reason: reason, error: error, csrfToken: staff.csrfToken)
        return try pages.render("pages/operator/cancel", for: context.viewer, page: page, status: error == nil ? .ok : .unprocessableContent, caching: .personal)
    }

    private func cancel(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        guard let caller = staff.caller else { return .redirect(to: OperatorRoute.home.path) }
        guard let clinic = form["clinic"], let appointment = form["appointment"], let patient = caller.cards[clinic],
            try await misForPage({ () throws(MISFailure) in try await card.upcoming(appointment, clinic: clinic, of: caller, now: now()) }) != nil
        else { throw HTTPError(.notFound) }
        guard let reason = StaffReason(form["reason"]) else {
            return try await askCancel(clinic: clinic, appointment: appointment, context, error: "Запишите причину отмены со слов пациента.", reason: StaffReason.cleaned(form["reason"]))
        }
        do {
            try await desk.cancel(clinic: clinic, appointment: appointment, patient: patient, reason: reason.text, by: .operator(account: staff.account.id), now: now())
        } catch BookingDesk.Outcome.unavailable {
            throw HTTPError(.serviceUnavailable)
        } catch {
            throw HTTPError(.notFound)
        }
        try await audit.record(.cancelled, by: AuditTrail.actor(staff.account), patientKey: caller.key, detail: "\(clinic) \(appointment)", address: context.remoteAddress, now: now())
        return .redirect(to: OperatorRoute.caller.path + "?cancelled=1")
    }

    /// The caller's phone for notifications, with their consent given by phone and noted as such.
    private func saveContact(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        guard let caller = staff.caller else { return .redirect(to: OperatorRoute.home.path) }
        let typed = String((form["phone"] ?? "").prefix(40))
        guard let phone = MobilePhone(parsing: typed) else {
            return try await show(context, phoneTyped: typed, phoneError: "Мобильный номер: 10 цифр после +7 или 8, например +7 912 345-67-89.")
        }
        guard form["consent"] == "phone" else {
            return try await show(context, phoneTyped: typed, phoneError: "Спросите, согласен ли пациент получать сообщения, и отметьте согласие.")
        }
        let now = self.now()
        let kept = try await database.contact(patientKey: caller.key)
        try await database.saveContact(patientKey: caller.key, phone: phone.formatted, email: kept?.email, consentAt: now, consentBy: "operator:\(staff.account.id)")
        try await audit.record(.contactsChanged, by: AuditTrail.actor(staff.account), patientKey: caller.key, detail: "phone, consent by phone", address: context.remoteAddress, now: now)
        return .redirect(to: OperatorRoute.caller.path + "?contact=1")
    }

    private func show(_ context: StaffContext, cancelled: Bool = false, contactSaved: Bool = false, phoneTyped: String = "", phoneError: String? = nil) async throws -> Response {
        let staff = context.staff
        guard let caller = staff.caller else { return .redirect(to: OperatorRoute.home.path) }
        let view = try await card.view(caller, by: staff.account, address: context.remoteAddress, now: now())
        let page = CallerCardPage(caller: caller, view: view, csrfToken: staff.csrfToken, cancelled: cancelled, phoneTyped: phoneTyped, phoneError: phoneError, contactSaved: contactSaved)
        return try pages.render("pages/operator/caller", for: context.viewer, page: page, status: phoneError == nil ? .ok : .unprocessableContent, caching: .personal)
    }

    private func end(_ request: Request, _ context: StaffContext) async throws -> Response {
        _ = try await csrf.form(request, context: context)
        let staff = context.staff
        try await database.chooseStaffCaller(sessionID: staff.id, caller: nil)
        try await database.saveStaffSearch(sessionID: staff.id, callers: [])
        return .redirect(to: OperatorRoute.home.path)
    }
}
