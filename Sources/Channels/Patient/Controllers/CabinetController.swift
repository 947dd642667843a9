import Foundation
import Hummingbird
import Web
import MISBridge
import Persistence
import RegistryCore

/// The personal cabinet: active tickets, history, cancellation behind a confirmation page.
struct CabinetController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let database: any RegistryStore
    let csrf: CSRF
    /// The mail relay speaks SMTPUTF8: e-mail addresses may hold Cyrillic before the `@`.
    let unicodeMailboxes: Bool
    let now: @Sendable () -> Date

    func addRoutes(to site: RouterGroup<PatientRequestContext>) {
        let router = site.identified(csrf)
        router.get(SiteRoute.cabinet().pattern) { request, context in
            let patient = context.patient
            let now = self.now()
            // Before the list is shown: attempts whose answer never arrived are settled, and what the
            // clinics changed on their side (a closed day, a moved appointment) is read.
            let reconciler = LedgerReconciler(region: region, database: database, logger: context.logger)
            let entries = try await reconciler.refreshedLedger(of: patient.key, now: now).filter { $0.status.isBooked || $0.status == .displaced || $0.status == .cancelled || $0.status == .moved }
            // Just cancelled here: said at the top, so that the patient sees it worked.
            let justCancelled = request.uri.queryParameters["cancelled"].flatMap { id in entries.first { $0.requestID == id && $0.status == .cancelled } }
            return try render("pages/patient/cabinet", CabinetPage(
                name: patient.displayName,
                justCancelled: justCancelled,
                active: entries.filter { $0.status.isBooked && $0.start > now },
                displaced: entries.filter { $0.status == .displaced },
                cancelledByClinic: entries.filter { $0.status == .cancelled && $0.cancelledBy == MISChannel.clinic.rawValue && $0.start > now },
                past: entries.filter { !($0.status.isBooked && $0.start > now) && $0.status != .displaced },
                contact: try await database.contact(patientKey: patient.key),
                csrfToken: ""
            ), request, context)
        }
        router.get(SiteRoute.cabinetContact.pattern) { request, context in
            let patient = context.patient
            let saved = try await database.contact(patientKey: patient.key)
            let form = ContactForm(phone: saved?.phone, email: saved?.email, consent: saved != nil, unicodeMailboxes: true)
            let notice = request.uri.queryParameters["notice"].flatMap { ContactConfirmationController.notices[String($0)] }
            let page = ContactPage(form: form, saved: saved != nil, csrfToken: "", record: saved, notice: notice)
            return try render("pages/patient/contact", page, request, context)
        }
        router.post(SiteRoute.cabinetContact.pattern) { request, context in try await saveContact(request, context) }
        router.get(SiteRoute.cabinetMessages.pattern) { _, context in
            let patient = context.patient
            let ledger = Dictionary(try await database.bookings(patientKey: patient.key).map { ($0.requestID, $0) }, uniquingKeysWith: { first, _ in first })
            let page = MessagesPage(messages: try await database.messages(patientKey: patient.key), bookings: ledger)
            return try pages.render("pages/patient/messages", for: context.viewer, page: page, caching: .personal)
        }
        router.get(SiteRoute.ticketCancel(.parameter("ticket")).pattern) { request, context in
            let id = try context.parameters.decoded("ticket")
            if let cancelled = try await ownCancelled(id, context) { return Response.redirect(to: SiteRoute.ticket(cancelled.requestID).path) }
            let entry = try await ownActive(id, context)
            return try render("pages/patient/cancel", CancelPage(entry: entry, csrfToken: ""), request, context)
        }
        router.post(SiteRoute.ticketCancel(.parameter("ticket")).pattern) { request, context in try await cancel(try context.parameters.decoded("ticket"), request, context) }
    }

    private func render(_ template: String, _ page: some TokenCarryingPage, _ request: Request, _ context: IdentifiedContext) throws -> Response {
        try csrf.respond(to: request, context: context) { token in
            try pages.render(template, for: context.viewer, page: page.with(csrfToken: token), caching: .personal)
        }
    }

    private func ownActive(_ requestID: String, _ context: IdentifiedContext) async throws -> LedgerEntry {
        guard let entry = try await context.ledgerAtStart(in: database).first(where: { $0.requestID == requestID && ($0.status.isBooked || $0.status == .displaced) }),
            entry.appointmentID != nil
        else { throw HTTPError(.notFound) }
        return entry
    }

    /// The patient's booking `requestID` if it is already cancelled (a second press, or the form sent again after going back).
    private func ownCancelled(_ requestID: String, _ context: IdentifiedContext) async throws -> LedgerEntry? {
        try await context.ledgerAtStart(in: database).first { $0.requestID == requestID && $0.status == .cancelled }
    }

    private func cancel(_ requestID: String, _ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let form = try await csrf.form(request, context: context, limit: 8_192)
        // Sent again: the ticket says it is cancelled already, rather than "not found".
        if let cancelled = try await ownCancelled(requestID, context) { return Response.redirect(to: SiteRoute.ticket(cancelled.requestID).path) }
        let entry = try await ownActive(requestID, context)
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)
        do {
            try await desk.cancel(entry, reason: reason.isEmpty ? nil : String(reason), by: .patient, now: now())
        } catch .unavailable {
            throw HTTPError(.serviceUnavailable)
        } catch .notFound {
            throw HTTPError(.notFound)
        } catch {
            throw HTTPError(.conflict)
        }
        return Response.redirect(to: SiteRoute.cabinet(cancelled: entry.requestID).path)
    }

    /// Saves the reminder contacts (with consent), or withdraws consent and forgets them.
    private func saveContact(_ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let form = try await csrf.form(request, context: context, limit: 8_192)
        let patient = context.patient
        let contact = ContactForm(phone: form["phone"], email: form["email"], consent: form["consent"] == "yes", unicodeMailboxes: unicodeMailboxes)
        if form["withdraw"] == "yes" || contact.isEmpty {
            try await database.deleteContact(patientKey: patient.key)
        } else if contact.errors.isEmpty {
            try await database.saveContact(patientKey: patient.key, phone: contact.keptPhone, email: contact.keptEmail, consentAt: now())
            // A new phone or address is confirmed before it receives anything.
            let started = try await ContactConfirmations(database: database).start(patientKey: patient.key, now: now())
            if !started.sent.isEmpty || !started.limited.isEmpty {
                return Response.redirect(to: SiteRoute.cabinetContact.path + "?notice=" + (started.limited.isEmpty ? "sent" : "limited"))
            }
        } else {
            let saved = try await database.contact(patientKey: patient.key) != nil
            return try pages.render("pages/patient/contact", for: context.viewer, page: ContactPage(form: contact, saved: saved, csrfToken: form[CSRF.fieldName] ?? ""), status: .unprocessableContent, caching: .personal)
        }
        return Response.redirect(to: SiteRoute.cabinet().path)
    }
}
