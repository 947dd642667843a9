import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The statistics page and its tables as CSV: a head of clinic sees their clinics (all of them or
/// one), supervisors and administrators the whole region or one clinic. Figures only — no person —
/// read from the registry's own store, never from a MIS while the page is drawn.
struct StatisticsController {
    let pages: PageRenderer
    let region: Region
    let database: any RegistryStore
    let refusal: StaffRefusal
    let now: @Sendable () -> Date

    /// The region's own calendar for "today" when no clinic is chosen.
    static let zone = TimeZone(identifier: "Europe/Moscow")!

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.statistics().pattern) { request, context in try await answer(request, context, table: nil) }
        group.get(StaffRoute.statisticsExport(table: "", StatisticsChoice(period: .day, from: "", to: "", basis: .made, clinic: nil)).pattern) { request, context in
            try await answer(request, context, table: request.uri.queryParameters["table"].map(String.init) ?? "")
        }
    }

    private func answer(_ request: Request, _ context: StaffContext, table: String?) async throws -> Response {
        let account = context.staff.account
        let now = self.now()
        let query = request.uri.queryParameters
        let typed = (period: query["period"].map(String.init), from: query["from"].map(String.init), to: query["to"].map(String.init),
                     basis: query["basis"].map(String.init), clinic: query["clinic"].map(String.init).flatMap { $0.isEmpty ? nil : $0 })
        let wholeRegion = !account.role.isClinicRole
        let names = StatisticsPage.Names(clinics: try await database.statisticNames(kind: "clinic"), specialties: try await database.statisticNames(kind: "specialty"),
                                         doctors: try await database.statisticNames(kind: "doctor"))
        let choices = try await clinicChoices(account, known: names.clinics)
        if let clinic = typed.clinic, !account.covers(clinic: clinic) {
            return try await refusal.page(for: account, context: context, asked: request.uri.path, clinic: clinic, now: now)
        }
        if let clinic = typed.clinic, !choices.contains(where: { $0.id == clinic }) { throw HTTPError(.notFound) }
        switch StatisticsChoice.parse(period: typed.period, from: typed.from, to: typed.to, basis: typed.basis, clinic: typed.clinic, today: ProtocolTime.day(now, in: Self.zone)) {
        case .failure(let problem):
            let page = StatisticsPage(problem: problem.message, typed: typed, clinicChoices: choices, wholeRegion: wholeRegion)
            return try pages.render("pages/staff/statistics", for: context.viewer, page: page, status: .badRequest, caching: .personal)
        case .success(let choice):
            let clinics = choice.clinic.map { [$0] } ?? (wholeRegion ? nil : account.clinics)
            let report = try await StatisticsReport.read(database, basis: choice.basis, from: choice.from, to: choice.to, clinics: clinics)
            let page = StatisticsPage(report: report, choice: choice, names: names, clinicChoices: choices, wholeRegion: wholeRegion)
            guard let table else { return try pages.render("pages/staff/statistics", for: context.viewer, page: page, caching: .personal) }
            guard let section = page.sections.first(where: { $0.id == table }) else { throw HTTPError(.notFound) }
            // The file's name: the table's own id, the clinic's code when it is all digits, and the days.
            let clinic = choice.clinic.flatMap { $0.allSatisfy { $0.isASCII && $0.isNumber } ? "-" + $0 : nil } ?? ""
            return section.csv.download(named: "statistics-\(section.id)\(clinic)-\(choice.from)-\(choice.to).csv")
        }
    }

    /// The clinics the reader may choose: a clinic role's own, the region's for the others (from its
    /// gateways, or the names the figures keep while no gateway answers).
    private func clinicChoices(_ account: StaffAccount, known: [String: String]) async throws -> [(id: String, name: String)] {
        var listed = known
        if let clinics = try? await region.clinics() { for (clinic, _) in clinics { listed[clinic.id] = clinic.shortName } }
        let ids = account.role.isClinicRole ? account.clinics : Array(listed.keys)
        return ids.map { ($0, listed[$0] ?? "поликлиника \($0)") }.sorted { $0.name < $1.name }
    }
}
