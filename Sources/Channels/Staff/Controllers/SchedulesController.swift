import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// Doctors' schedules for a week or a month, to print (A4 landscape, a doctor a page) — for one
/// doctor, a specialty's doctors or the whole clinic. The account's own clinics only; every print
/// is audited with the clinic, the period, the doctors and how many patients it names.
struct SchedulesController {
    let pages: PageRenderer
    let region: Region
    let audit: AuditTrail
    let access: ClinicPageAccess
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(StaffRoute.schedules(clinic: .parameter("clinic")).pattern) { request, context in try await answer(printing: false, request, context) }
        group.get(StaffRoute.schedulePrint(clinic: .parameter("clinic"), from: "", period: "").pattern) { request, context in try await answer(printing: true, request, context) }
    }

    private func answer(printing: Bool, _ request: Request, _ context: StaffContext) async throws -> Response {
        let account = context.staff.account
        let now = self.now()
        let opened: ClinicPageAccess.Opened
        switch try await access.open(request, context, now: now) {
        case .success(let found): opened = found
        case .failure(let refused): return refused.response
        }
        let (clinic, clinicID, today) = (opened.clinic, opened.clinic.id, opened.today)
        let query = request.uri.queryParameters
        let typed = query["from"].map(String.init) ?? TypedDay.monday(of: today) ?? today
        let period = query["period"].map(String.init) == "month" ? "month" : "week"
        let doctor = query["doctor"].map(String.init).flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        let specialty = query["specialty"].map(String.init).flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        func form(_ error: String? = nil) async throws -> Response {
            let page = SchedulesFormPage(clinic: clinic, doctors: await doctorsToday(clinicID, today: today), from: String(typed.prefix(40)), period: period,
                                         doctor: doctor, specialty: specialty, error: error)
            return try pages.render("pages/staff/schedules", for: context.viewer, page: page, status: error == nil ? .ok : .badRequest, caching: .personal)
        }
        guard printing else { return try await form() }
        guard let day = TypedDay.parse(typed) else { return try await form("Укажите день в виде ДД.ММ.ГГГГ, например \(DayName.typed(today)).") }
        guard let distance = TypedDay.distance(from: today, to: day), abs(distance) <= DayListController.reachDays else {
            return try await form("Расписание печатается не дальше чем на \(DayListController.reachDays) дней от сегодняшнего.")
        }
        guard let (from, to) = Self.period(period, from: day) else { return try await form("Такого периода нет.") }
        let doctors: DoctorSchedules.Doctors = doctor.map { .doctor($0) } ?? specialty.map { .specialty($0) } ?? .all
        guard let schedules = try await misForPage({ () throws(MISFailure) in try await DoctorSchedules.read(region: region, clinic: clinicID, from: from, to: to, doctors: doctors) })
        else { throw HTTPError(.notFound) }
        let who = switch doctors {
        case .all: "все врачи"
        case .doctor(let id): "врач \(id)"
        case .specialty(let id): "специальность \(id)"
        }
        try await audit.record(.schedulePrinted, by: AuditTrail.actor(account),
                               detail: "поликлиника \(clinicID), \(from) – \(to), \(who) (листов: \(schedules.sheets.count)), пациентов: \(schedules.patients)",
                               address: context.remoteAddress, now: now)
        return try pages.render("pages/staff/schedule-print", for: context.viewer, page: ScheduleSheetsPage(schedules: schedules, viewer: account, now: now), caching: .personal)
    }

    /// The clinic's doctors as of today, to choose from; nil when its MIS does not answer (all doctors can still be printed).
    private func doctorsToday(_ clinicID: String, today: String) async -> [ClinicDayList.Doctor]? {
        do {
            return try await ClinicDayList.read(region: region, clinic: clinicID, day: today, doctor: nil)?.doctors
        } catch {
            return nil
        }
    }

    /// A week: seven days from `day`; a month: the calendar month `day` falls in.
    static func period(_ period: String, from day: String) -> (String, String)? {
        period == "week" ? CalendarPeriod.week(from: day) : CalendarPeriod.month(of: day)
    }
}
