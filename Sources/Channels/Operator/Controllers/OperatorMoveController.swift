import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// Moving one of the caller's bookings that the registry made (on the site or here) to another time
/// of its doctor or of another doctor of the same specialty in that clinic: one reschedule in the MIS.
struct OperatorMoveController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let database: any RegistryStore
    let audit: AuditTrail
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(OperatorRoute.move(booking: "").pattern) { request, context in try await choices(request, context) }
        group.get(OperatorRoute.moveCheck(booking: "", doctor: "", slot: "").pattern) { request, context in try await check(request, context) }
        group.post(OperatorRoute.movePost.pattern) { request, context in try await move(request, context) }
    }

    /// The caller being served and their booking `id`, if it is one the registry can move.
    private func booking(_ id: String?, _ context: StaffContext) async throws -> (StaffSessionRecord, CallerRecord, LedgerEntry, [LedgerEntry])? {
        let staff = context.staff
        guard let caller = staff.caller, let id else { return nil }
        let ledger = try await database.bookings(patientKey: caller.key)
        guard let entry = ledger.first(where: { $0.requestID == id && $0.status.isBooked }), BookingDesk.isMovable(entry, now: now()) else { throw HTTPError(.notFound) }
        return (staff, caller, entry, ledger)
    }

    private func choices(_ request: Request, _ context: StaffContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let (_, caller, entry, _) = try await booking(query["booking"].map(String.init), context) else { return .redirect(to: OperatorRoute.home.path) }
        let now = self.now()
        let doctorID = query["doctor"].map(String.init)
        guard let found = try await misForPage({ () throws(MISFailure) in try await MoveChoices.find(for: entry, doctor: doctorID, in: region, rules: desk.rules, now: now) }) else {
            throw HTTPError(.notFound)
        }
        let shown = found.schedule.doctor.id
        let doctors = found.doctors.filter { $0.id != shown }.map { doctor in
            DeskListItem(title: doctor.name, url: OperatorRoute.move(booking: entry.requestID, doctor: doctor.id).path,
                         details: "кабинет \(doctor.room)" + (doctor.freeCount > 0 ? ", свободно: \(doctor.freeCount)" : ", свободного времени нет"), note: nil, free: doctor.freeCount > 0)
        }
        let page = DeskDoctorPage(caller: caller, schedule: found.schedule, now: now, timeURL: { OperatorRoute.moveCheck(booking: entry.requestID, doctor: shown, slot: $0.id).path },
                                  back: (OperatorRoute.caller.path, "Не переносить"), doctors: doctors, moving: entry)
        return try pages.render("pages/operator/move", for: context.viewer, page: page, caching: .personal)
    }

    private func check(_ request: Request, _ context: StaffContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let (staff, caller, entry, ledger) = try await booking(query["booking"].map(String.init), context) else { return .redirect(to: OperatorRoute.home.path) }
        guard let doctor = query["doctor"].map(String.init), let slot = query["slot"].map(String.init) else { throw HTTPError(.badRequest) }
        let now = self.now()
        do {
            let chosen = try await desk.resolve(clinic: entry.clinicID, doctor: doctor, slot: slot, now: now, fresh: true)
            let refusal = desk.moveRefusal(entry, to: chosen, patient: caller.identified, ledger: ledger, now: now)
            let reasonMissing = query["reason"] == "missing"
            let page = DeskCheckPage(caller: caller, chosen: ChosenTimeFields(chosen), refusal: refusal.map { RefusalTexts.explanation($0.code, for: .staff, rules: desk.rules) },
                                     refusalCode: refusal?.code.rawValue, requestID: CSRF.randomToken(), csrfToken: staff.csrfToken, moving: entry, reasonMissing: reasonMissing)
            return try pages.render("pages/operator/book-check", for: context.viewer, page: page, status: refusal != nil ? .conflict : reasonMissing ? .unprocessableContent : .ok, caching: .personal)
        } catch let outcome as BookingDesk.Outcome {
            return try refused(outcome, caller: caller, entry: entry, doctor: doctor, context)
        }
    }

    private func move(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        guard let (staff, caller, entry, ledger) = try await booking(form["booking"], context) else { return .redirect(to: OperatorRoute.home.path) }
        guard let doctor = form["doctor"], let slot = form["slot"], let requestID = form["requestId"], (16...64).contains(requestID.count) else { throw HTTPError(.badRequest) }
        guard let reason = StaffReason(form["reason"]) else { return .redirect(to: OperatorRoute.moveCheck(booking: entry.requestID, doctor: doctor, slot: slot).path + "&reason=missing") }
        let now = self.now()
        do {
            let moved = try await desk.confirmMove(entry, doctor: doctor, slot: slot, requestID: requestID, patient: caller.identified, ledger: ledger,
                                                   by: .operator(account: staff.account.id), now: now)
            try await audit.record(.moved, by: AuditTrail.actor(staff.account), patientKey: caller.key, detail: "\(entry.requestID) → \(moved.requestID): \(reason)", address: context.remoteAddress, now: now)
            return .redirect(to: OperatorRoute.ticket(moved.requestID).path)
        } catch let outcome as BookingDesk.Outcome {
            return try refused(outcome, caller: caller, entry: entry, doctor: doctor, context)
        }
    }

    private func refused(_ outcome: BookingDesk.Outcome, caller: CallerRecord, entry: LedgerEntry, doctor: String, _ context: StaffContext) throws -> Response {
        try DeskRefusalPage.respond(to: outcome, caller: caller, rules: desk.rules, timeURL: { OperatorRoute.moveCheck(booking: entry.requestID, doctor: doctor, slot: $0.id).path },
                                    doctorURL: OperatorRoute.move(booking: entry.requestID, doctor: doctor).path, zone: entry.timeZone, pages: pages, viewer: context.viewer)
    }
}
