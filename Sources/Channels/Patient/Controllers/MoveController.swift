import Booking
import Foundation
import Hummingbird
import Web
import MISBridge
import Persistence
import RegistryCore

/// Moving a booking to another time: choose a doctor of the same specialty and a time → was and
/// will be → one button → the new ticket, the old one marked moved.
struct MoveController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    /// Settles the patient's attempts lost to an outage before the rules count them.
    let reconciler: LedgerReconciler
    let database: any RegistryStore
    let csrf: CSRF
    /// The clock the booking rules read (tests set it).
    let now: @Sendable () -> Date

    func addRoutes(to site: RouterGroup<PatientRequestContext>) {
        let router = site.identified(csrf)
        router.get(SiteRoute.ticketMove(.parameter("ticket")).pattern) { request, context in try await choose(try context.parameters.decoded("ticket"), request, context) }
        router.get(SiteRoute.ticketMoveCheck(.parameter("ticket")).pattern) { request, context in try await check(try context.parameters.decoded("ticket"), request, context) }
        site.post(SiteRoute.ticketMove(.parameter("ticket")).pattern) { request, context in try await confirm(try context.parameters.decoded("ticket"), request, context) }
    }

    /// The booking's doctors and free times.
    private func choose(_ id: String, _ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let query = request.uri.queryParameters
        let doctor = query["doctor"].map(String.init), day = query["day"].map(String.init)
        let patient = context.patient
        let entry: LedgerEntry
        switch try await movable(id, patient: patient) {
        case .movable(let found): entry = found
        case .elsewhere(let response): return response
        }
        let now = self.now()
        guard let choices = try await misForPage({ () throws(MISFailure) in
            try await MoveChoices.find(for: entry, doctor: doctor, in: region, rules: desk.rules, now: now)
        }) else { throw HTTPError(.notFound) }
        let days = choices.schedule.days.map(\.key)
        // The day asked for, else the booking's own day, else the doctor's first free day.
        let shown = day.flatMap { days.contains($0) ? $0 : nil } ?? (days.contains(entry.day) ? entry.day : days.first)
        return try pages.render("pages/patient/move", for: context.viewer, page: MovePage(choices: choices, shownDay: shown, now: now), caching: .personal)
    }

    /// Was and will be, with the one button.
    private func check(_ id: String, _ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let doctor = query["doctor"].map(String.init), let slot = query["slot"].map(String.init) else { throw HTTPError(.badRequest) }
        let day = query["day"].map(String.init)
        let patient = context.patient
        let entry: LedgerEntry
        switch try await movable(id, patient: patient) {
        case .movable(let found): entry = found
        case .elsewhere(let response): return response
        }
        if entry.slotID == slot { return Response.redirect(to: SiteRoute.ticket(entry.requestID).path) }
        let now = self.now()
        let ledger = try await reconciler.settlePending(of: patient.key, in: try context.ledgerAtStart(in: database), now: now)
        let chosen: ChosenSlot
        do {
            chosen = try await desk.resolve(clinic: entry.clinicID, doctor: doctor, slot: slot, day: day, now: now, fresh: true)
        } catch {
            return try outcomePage(error, entry: entry, doctor: doctor, for: context.viewer)
        }
        if let refusal = desk.moveRefusal(entry, to: chosen, patient: patient, ledger: ledger, now: now) {
            return try outcomePage(.refused(refusal, alternatives: [], zone: chosen.zone), entry: entry, doctor: doctor, for: context.viewer)
        }
        let page = MoveCheckPage(entry: entry, chosen: ChosenTime(chosen), doctorID: doctor, slotID: slot, requestID: CSRF.randomToken(), csrfToken: "")
        return try csrf.respond(to: request, context: context) { token in
            try pages.render("pages/patient/move-check", for: context.viewer, page: page.with(csrfToken: token), caching: .personal)
        }
    }

    /// The move itself; a repeated request lands on the same new ticket.
    private func confirm(_ id: String, _ request: Request, _ context: PatientRequestContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        guard let doctor = form["doctor"], let slot = form["slot"], let requestID = form["requestId"], (16...64).contains(requestID.count) else {
            throw HTTPError(.badRequest)
        }
        // Signed out meanwhile: after identifying again the patient is back on the check page of the same move.
        guard let identified = context.principal else { return IdentifyController.askToIdentify(next: SiteRoute.ticketMoveCheck(id, doctor: doctor, slot: slot).path, context) }
        let patient = identified.patient
        let now = self.now()
        let ledger = try await reconciler.settlePending(of: patient.key, in: try identified.ledgerAtStart(in: database), now: now)
        if let done = ledger.first(where: { $0.requestID == requestID && $0.status.isBooked }) { return Response.redirect(to: SiteRoute.ticket(done.requestID).path) }
        let entry: LedgerEntry
        switch try await movable(id, patient: patient) {
        case .movable(let found): entry = found
        case .elsewhere(let response): return response
        }
        do {
            let moved = try await desk.confirmMove(entry, doctor: doctor, slot: slot, requestID: requestID, patient: patient, ledger: ledger, by: .patient, now: now)
            return Response.redirect(to: SiteRoute.ticket(moved.requestID).path)
        } catch .unavailable {
            // The same confirmation, ready to be sent again once the clinic answers.
            let page = MoveCheckPage(entry: entry, chosen: nil, doctorID: doctor, slotID: slot, requestID: requestID, retryNotice: true, csrfToken: form[CSRF.fieldName] ?? "")
            var response = try pages.render("pages/patient/move-check", for: context.viewer, page: page, status: .serviceUnavailable, caching: .personal)
            response.headers[.retryAfter] = "30"
            return response
        } catch {
            return try outcomePage(error, entry: entry, doctor: doctor, for: context.viewer)
        }
    }

    /// Where a request about booking `id` goes: on, or elsewhere (already moved: to the new ticket;
    /// cancelled or past: to the ticket itself).
    private enum Movability {
        case movable(LedgerEntry)
        case elsewhere(Response)
    }

    private func movable(_ id: String, patient: IdentifiedPatient) async throws -> Movability {
        guard let entry = try await database.bookings(patientKey: patient.key).first(where: { $0.requestID == id }), entry.status != .failed, entry.status != .pending
        else { throw HTTPError(.notFound) }
        if entry.status == .moved, let next = entry.movedTo { return .elsewhere(Response.redirect(to: SiteRoute.ticket(next).path)) }
        guard BookingDesk.isMovable(entry, now: now()) else { return .elsewhere(Response.redirect(to: SiteRoute.ticket(entry.requestID).path)) }
        return .movable(entry)
    }

    private func outcomePage(_ outcome: BookingDesk.Outcome, entry: LedgerEntry, doctor: String, for viewer: PageViewer) throws -> Response {
        try outcome.response { refusal, alternatives, zone in
            let page = RefusalPage(refusal: refusal, rules: desk.rules, clinicID: entry.clinicID, doctorID: doctor, alternatives: alternatives, zone: zone,
                                   alternativesAction: SiteRoute.ticketMoveCheck(entry.requestID).path, heading: "Перенести запись не получилось",
                                   scheduleURL: SiteRoute.ticketMove(entry.requestID, doctor: doctor).path)
            return try pages.render("pages/patient/refusal", for: viewer, page: page, status: .conflict, caching: .personal)
        }
    }
}
