import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// A clinic's day list for its registrars and head: on screen, to print (A4) and as CSV. Only the
/// account's own clinics (another is 403 and audited); every look, print and download is audited
/// with the clinic, the day, the doctor and how many patients it named.
struct DayListController {
    let pages: PageRenderer
    let region: Region
    let audit: AuditTrail
    let database: any RegistryStore
    let kiosks: KioskDevices
    let access: ClinicPageAccess
    let now: @Sendable () -> Date

    /// How far from the clinic's today a list may be asked for.
    static let reachDays = 400

    /// What the answer is: the page, its print version, or the spreadsheet.
    enum Form {
        case screen, print, spreadsheet

        var action: AuditTrail.Action {
            switch self {
            case .screen: .dayListViewed
            case .print: .dayListPrinted
            case .spreadsheet: .dayListExported
            }
        }
    }

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.dayList(clinic: .parameter("clinic")).pattern) { request, context in try await answer(.screen, request, context) }
        group.get(StaffRoute.dayListPrint(clinic: .parameter("clinic"), day: "", doctor: nil).pattern) { request, context in try await answer(.print, request, context) }
        group.get(StaffRoute.dayListExport(clinic: .parameter("clinic"), day: "", doctor: nil).pattern) { request, context in try await answer(.spreadsheet, request, context) }
    }

    private func answer(_ form: Form, _ request: Request, _ context: StaffContext) async throws -> Response {
        let account = context.staff.account
        let now = self.now()
        let opened: ClinicPageAccess.Opened
        switch try await access.open(request, context, now: now) {
        case .success(let found): opened = found
        case .failure(let refused): return refused.response
        }
        let (clinic, clinicID, today) = (opened.clinic, opened.clinic.id, opened.today)
        let typed = request.uri.queryParameters["day"].map(String.init)
        let doctor = request.uri.queryParameters["doctor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        guard let day = typed.map(TypedDay.parse) ?? today else {
            return try problem("Укажите день в виде ДД.ММ.ГГГГ, например \(DayName.typed(today)).", typed: typed ?? "", clinic: clinic, context, now: now)
        }
        guard let distance = TypedDay.distance(from: today, to: day), abs(distance) <= Self.reachDays else {
            return try problem("Список дня открывается не дальше чем на \(Self.reachDays) дней от сегодняшнего.", typed: typed ?? "", clinic: clinic, context, now: now)
        }
        guard doctor.map({ (1...64).contains($0.count) }) ?? true,
            let list = try await misForPage({ () throws(MISFailure) in try await ClinicDayList.read(region: region, clinic: clinicID, day: day, doctor: doctor) })
        else { throw HTTPError(.notFound) }
        let detail = "поликлиника \(clinicID), день \(day)" + (list.doctor.map { ", врач \($0.id)" } ?? ", все врачи") + ", пациентов: \(list.patients)"
        try await audit.record(form.action, by: AuditTrail.actor(account), detail: detail, address: context.remoteAddress, now: now)
        let names = DayListRow.Names(accounts: try await database.accounts(), kiosks: try await kiosks.all())
        let page = DayListPage(list: list, names: names, viewer: account, now: now)
        switch form {
        case .screen: return try pages.render("pages/staff/day-list", for: context.viewer, page: page, caching: .personal)
        case .print: return try pages.render("pages/staff/day-list-print", for: context.viewer, page: page, caching: .personal)
        case .spreadsheet:
            // The file's name is made of the clinic's code and the day only (a code that is not all digits is left out).
            let code = clinicID.allSatisfy { $0.isASCII && $0.isNumber } ? clinicID + "-" : ""
            return CSVTable(header: DayListRow.csvHeader, rows: page.rows.map(\.csvCells)).download(named: "day-list-\(code)\(day).csv")
        }
    }

    private func problem(_ message: String, typed: String, clinic: MISClinic, _ context: StaffContext, now: Date) throws -> Response {
        let page = DayListPage(clinic: clinic, typed: typed, error: message, viewer: context.staff.account, now: now)
        return try pages.render("pages/staff/day-list", for: context.viewer, page: page, status: .badRequest, caching: .personal)
    }
}
