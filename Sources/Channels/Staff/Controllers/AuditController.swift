import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The audit trail for supervisors: search by operator, patient (their policy and birth date,
/// turned into the stable key here and never kept), action and period; the same lines as CSV.
/// Searches are posted (a policy never lands in an address) and are audited themselves.
struct AuditController {
    let pages: PageRenderer
    let audit: AuditTrail
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    /// The region's own calendar for the period's days.
    static let zone = TimeZone(identifier: "Europe/Moscow")!

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.audit.pattern) { _, context in try await show(AuditFilter(), context) }
        group.post(StaffRoute.audit.pattern) { request, context in try await search(request, context, export: false) }
        group.post(StaffRoute.auditExport.pattern) { request, context in try await search(request, context, export: true) }
    }

    private func show(_ filter: AuditFilter, rows: [AuditRow]? = nil, errors: [FormError] = [], _ context: StaffContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = AuditPage(filter: filter, rows: rows, errors: errors, accounts: try await database.accounts(), csrfToken: context.staff.csrfToken)
        return try pages.render("pages/staff/audit", for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func search(_ request: Request, _ context: StaffContext, export: Bool) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let staff = context.staff
        let now = self.now()
        let filter = AuditFilter(form: form)
        let today = ProtocolTime.day(now, in: Self.zone)
        switch filter.query(today: today, zone: Self.zone) {
        case .failure(let error):
            return try await show(filter, errors: [error], context, status: .unprocessableContent)
        case .success(let query):
            let lines = try await database.auditEntries(query)
            try await audit.record(export ? .auditExported : .auditSearched, by: AuditTrail.actor(staff.account), patientKey: query.patientKey,
                                   detail: "\(lines.count) lines" + (query.action.map { ", \($0)" } ?? ""), address: context.remoteAddress, now: now)
            let accounts = Dictionary(try await database.accounts().map { (AuditTrail.actor($0), $0) }, uniquingKeysWith: { first, _ in first })
            let rows = lines.map { AuditRow(entry: $0, account: accounts[$0.actor], zone: Self.zone) }
            if export {
                // The file's name is made here of digits only: nothing typed reaches the header.
                return AuditRow.csv(rows).download(named: "audit-\(today).csv")
            }
            return try await show(filter, rows: rows, context)
        }
    }
}
