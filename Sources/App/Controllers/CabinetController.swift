import Foundation
import Hummingbird
import MISBridge
import Persistence

/// The personal cabinet: active tickets, history, cancellation behind a confirmation page.
struct CabinetController {
    let pages: PageRenderer
    let region: Region
    let database: AppDatabase
    let secureCookies: Bool

    /// The cancellation form as posted.
    struct Form: Decodable {
        var ticket: String?
        var reason: String?
        var csrf: String?
    }

    func addRoutes(to router: Router<RegistryRequestContext>) {
        router.get("/cabinet") { request, context in
            guard let patient = context.session?.patient else { return Response.redirect(to: "/identify?next=%2Fcabinet", type: .normal) }
            let now = Date()
            // Attempts whose answer never arrived are settled against the MIS before the list is shown.
            let unsettled = try database.bookings(patientKey: patient.key).filter { $0.status == .pending && now.timeIntervalSince($0.createdAt) > 10 }
            if !unsettled.isEmpty { await LedgerReconciler(region: region, database: database, logger: context.logger).reconcile(unsettled) }
            let entries = try database.bookings(patientKey: patient.key).filter { $0.status == .active || $0.status == .cancelled }
            return try render("pages/patient/cabinet", CabinetPage(
                name: patient.displayName,
                active: entries.filter { $0.status == .active && $0.start > now },
                past: entries.filter { !($0.status == .active && $0.start > now) },
                csrfToken: ""
            ), request)
        }
        router.get("/tickets/:ticket/cancel") { request, context in
            let entry = try ownActive(try context.parameters.require("ticket"), context)
            return try render("pages/patient/cancel", CancelPage(entry: entry, csrfToken: ""), request)
        }
        router.post("/tickets/:ticket/cancel") { request, context in try await cancel(try context.parameters.require("ticket"), request, context) }
    }

    private func render(_ template: String, _ page: some TokenCarryingPage, _ request: Request) throws -> Response {
        try CSRF.respond(to: request, secure: secureCookies) { token in
            try pages.render(template, page: page.with(csrfToken: token), caching: .personal)
        }
    }

    private func ownActive(_ requestID: String, _ context: RegistryRequestContext) throws -> LedgerEntry {
        guard let patient = context.session?.patient,
            let entry = try database.bookings(patientKey: patient.key).first(where: { $0.requestID == requestID && $0.status == .active }),
            entry.appointmentID != nil
        else { throw HTTPError(.notFound) }
        return entry
    }

    private func cancel(_ requestID: String, _ request: Request, _ context: RegistryRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 8_192)
        let form = try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))
        try CSRF.check(request, formToken: form.csrf)
        let entry = try ownActive(requestID, context)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)
        guard let found = try? await region.clinic(entry.clinicID) else { throw HTTPError(.serviceUnavailable) }
        do {
            _ = try await found.client.cancel(clinic: entry.clinicID, appointment: entry.appointmentID!, patient: entry.misPatientID, reason: reason.isEmpty ? nil : String(reason), by: .internet)
        } catch {
            if error.isOutage { throw HTTPError(.serviceUnavailable) }
            // Already gone in the MIS (cancelled by the clinic): the ledger catches up below.
            guard error.code == .appointmentNotFound else { throw HTTPError(.conflict) }
        }
        try database.cancelBooking(clinicID: entry.clinicID, appointmentID: entry.appointmentID!, by: "internet", now: Date())
        var response = Response.redirect(to: "/cabinet", type: .normal)
        response.status = .seeOther
        return response
    }
}
